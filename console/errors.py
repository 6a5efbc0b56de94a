"""The console's errors, one tree. Each carries what Stripe's do (type, code, param, message).

```
ConsoleError          anything the console reports to a person
├── StripeApiError    Stripe answered with an error (type, code, param, request_id, http_status)
├── NetworkError      Stripe could not be reached: the environment's fault, retry later
├── LiveModeRefused   an action only allowed in test mode was asked of a live account
├── ValidationError   input broke rules: every ValidationProblem at once, each naming its param
└── AccountError      the account store cannot work (unknown account, unsafe keyring, bad key)
```

No message here ever holds an API key: Stripe's messages are passed through
``redaction.redact_keys`` before they are kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.i18n import _
from console.redaction import redact_keys


class ConsoleError(Exception):
    """Base of every error the console reports; ``str()`` is the message shown to a person."""

    type: str = "console_error"

    def __init__(self, message: str, *, code: str | None = None, param: str | None = None) -> None:
        self.message = redact_keys(message)
        self.code = code
        self.param = param
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class StripeApiError(ConsoleError):
    """Stripe refused a request; keeps Stripe's ``type`` (e.g. ``invalid_request_error``)."""

    def __init__(
        self,
        message: str,
        *,
        type: str,
        code: str | None = None,
        param: str | None = None,
        request_id: str | None = None,
        http_status: int | None = None,
        decline_code: str | None = None,
    ) -> None:
        super().__init__(message, code=code, param=param)
        self.type = type
        self.request_id = request_id
        self.http_status = http_status
        self.decline_code = decline_code

    def __str__(self) -> str:
        details = ", ".join(
            f"{name} {value}"
            for name, value in (
                ("code", self.code),
                ("param", self.param),
                ("request", self.request_id),
            )
            if value
        )
        return f"{self.message} ({details})" if details else self.message

    def __repr__(self) -> str:
        return (
            f"StripeApiError(type={self.type!r}, code={self.code!r}, param={self.param!r}, "
            f"http_status={self.http_status!r}, request_id={self.request_id!r}, "
            f"message={self.message!r})"
        )


class NetworkError(ConsoleError):
    """Stripe could not be reached (no connection, timeout, TLS).

    A change may or may not have been applied (the connection can break after Stripe acted);
    asking for the same change again is safe: the gateway reuses its idempotency key.
    """

    type = "network_error"

    def __init__(self, detail: str) -> None:
        super().__init__(
            _(
                "Stripe could not be reached (%(detail)s). Check the internet connection "
                "(or that the sandbox is running) and try again."
            )
            % {"detail": detail},
            code="network_unreachable",
        )


class LiveModeRefused(ConsoleError):  # noqa: N818 - the name the portal rules use
    """Quick view and other test-only actions are refused on live accounts, for safety."""

    type = "livemode_refused"

    def __init__(self, message: str) -> None:
        super().__init__(message, code="livemode_refused")


@dataclass(frozen=True, slots=True)
class ValidationProblem:
    """One broken rule; ``param`` names the field in Stripe's bracket form.

    Messages may quote what was typed; a key pasted into the wrong field is redacted here,
    so no form, bar or log that shows the problem ever shows the key.
    """

    param: str
    code: str
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", redact_keys(self.message))
        object.__setattr__(self, "param", redact_keys(self.param))


class ValidationError(ConsoleError):
    """Every problem found at once, so a form can mark each field and keep the user's edits."""

    type = "validation_error"

    def __init__(self, problems: tuple[ValidationProblem, ...]) -> None:
        self.problems = problems
        first = problems[0] if problems else None
        summary = "; ".join(f"{p.param}: {p.message}" for p in problems) or "invalid input"
        super().__init__(
            summary,
            code=first.code if first else None,
            param=first.param if first else None,
        )


class AccountError(ConsoleError):
    """The account store cannot do what was asked (unknown account, unsafe keyring, bad key)."""

    type = "account_error"


def headline(error: ConsoleError) -> str | None:
    """What a Stripe error means for the person at the desk, in their language; ``None`` when
    the error's own message already says it (the console's errors are written for people,
    Stripe's are written for developers, in English)."""
    if not isinstance(error, StripeApiError):
        return None
    if error.http_status == 404 or error.code == "resource_missing":
        return _(
            "Stripe does not know this object: it may have been deleted, or belong to "
            "another account or mode."
        )
    words = {
        "authentication_error": _(
            "Stripe did not accept the account's API key. Check the key under Accounts."
        ),
        "permission_error": _(
            "The account's key may not do this (a restricted key?). Ask the account's owner "
            "for a key with this permission."
        ),
        "rate_limit_error": _(
            "Stripe is receiving too many requests for this account right now. Wait a minute "
            "and try again; the console has already slowed down."
        ),
        "card_error": _("The card was declined."),
        "idempotency_error": _(
            "Stripe refused a repeated request. Try the action again from the start."
        ),
        "invalid_request_error": _("Stripe refused the request."),
        "api_error": _(
            "Stripe had a problem answering. Try again; if it persists, see status.stripe.com."
        ),
    }
    return words.get(error.type, _("Stripe refused the request."))
