"""Errors the sandbox answers with, shaped and numbered as Stripe's.

The status decides which exception the ``stripe`` library raises:

    400/404 invalid_request_error  -> InvalidRequestError (param, code)
    400     idempotency_error      -> IdempotencyError
    401     authentication_error   -> AuthenticationError
    402     card_error             -> CardError
    403     (permission)           -> PermissionError
    429     rate_limit             -> RateLimitError
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

JSON = dict[str, Any]


class StripeError(Exception):
    """An error response: HTTP status plus Stripe's ``error`` object."""

    def __init__(
        self,
        message: str,
        *,
        status: int = 400,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        keep_changes: bool = False,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        # Stripe keeps some failed attempts (a declined PaymentIntent, with its events) and
        # still answers with an error: such errors commit the request's changes.
        self.keep_changes = keep_changes
        self.message = message
        self.status = status
        self.type = type
        self.code = code
        self.param = param
        self.extra = extra

    def body(self, request_id: str) -> JSON:
        error: JSON = {"type": self.type, "message": self.message}
        if self.code is not None:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        if self.param is not None:
            error["param"] = self.param
        error.update(self.extra)
        error["request_log_url"] = f"https://dashboard.stripe.com/test/logs/{request_id}"
        return {"error": error}


def as_answered(error: StripeError, path_params: Collection[str]) -> StripeError:
    """``error`` with the status Stripe gives it where it was raised.

    A missing object is a 404 when the URL names it (``GET /v1/customers/cus_gone``, whose
    error names ``id`` or the path's own parameter) and a 400 when a parameter does
    (``customer=cus_gone`` on ``POST /v1/subscriptions``); the code (``resource_missing``),
    message and param are the same. Handlers raise ``no_such`` alike for both.
    """
    if (
        error.status == 404
        and error.code == "resource_missing"
        and error.param not in ("id", *path_params)
    ):
        error.status = 400
    return error


def invalid(message: str, *, param: str | None = None, code: str | None = None) -> StripeError:
    return StripeError(message, param=param, code=code)


def missing_param(param: str) -> StripeError:
    return StripeError(f"Missing required param: {param}.", param=param, code="parameter_missing")


def unknown_param(param: str) -> StripeError:
    return StripeError(
        f"Received unknown parameter: {param}", param=param, code="parameter_unknown"
    )


def no_such(kind: str, object_id: str, *, param: str = "id") -> StripeError:
    return StripeError(
        f"No such {kind}: '{object_id}'", status=404, param=param, code="resource_missing"
    )


def state_error(message: str, *, param: str | None = None, code: str | None = None) -> StripeError:
    return StripeError(message, param=param, code=code)


def card_declined(
    message: str = "Your card was declined.",
    *,
    decline_code: str = "generic_decline",
    code: str = "card_declined",
    **extra: Any,
) -> StripeError:
    return StripeError(
        message, status=402, type="card_error", code=code, decline_code=decline_code, **extra
    )
