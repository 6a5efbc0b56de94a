"""Quick view: open the portal as a chosen customer, in test mode only.

Stripe forbids it in live mode for safety, and so does the console: ``open_portal_as_customer``
raises ``LiveModeRefused`` before any request when the account's key is live, and there is no
argument that turns this off. The flow builders make the ``flow_data`` deep links.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from console.configurations.retention import retention_coupon_in_raw
from console.configurations.rules import is_web_url
from console.customers.support_view import default_configuration
from console.errors import LiveModeRefused, ValidationError, ValidationProblem
from console.gateway.client import Gateway
from console.gateway.models import PortalSession
from console.i18n import _
from resources import load_json

log = logging.getLogger(__name__)

FlowType = Literal[
    "payment_method_update",
    "customer_update",
    "subscription_cancel",
    "subscription_pause",
    "subscription_update",
    "subscription_update_confirm",
]
MAX_CONFIRMATION_MESSAGE = 500


class PortalSessionMaker(Protocol):
    """What quick view needs of the gateway: its mode (from the key) and one call."""

    livemode: bool

    async def create_portal_session(self, params: Mapping[str, Any]) -> PortalSession: ...


def session_locales() -> frozenset[str]:
    """Every ``locale`` the session API takes: the portal's 40, six regional Englishes, auto."""
    table = load_json("stripe", "portal-locales.json")
    codes = {str(entry["code"]) for entry in table["portal_locales"]}
    codes.update(str(code) for code in table["api_only_locales"]["codes"])
    codes.add("auto")
    return frozenset(codes)


@dataclass(frozen=True, slots=True)
class AfterCompletion:
    """Where the portal goes when the flow is done (``flow_data[after_completion]``)."""

    type: Literal["portal_homepage", "hosted_confirmation", "redirect"] = "portal_homepage"
    custom_message: str | None = None  # hosted_confirmation only
    return_url: str | None = None  # redirect only

    def to_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"type": self.type}
        if self.type == "hosted_confirmation" and self.custom_message is not None:
            params["hosted_confirmation"] = {"custom_message": self.custom_message}
        if self.type == "redirect":
            params["redirect"] = {"return_url": self.return_url}
        return params


@dataclass(frozen=True, slots=True)
class ConfirmItem:
    """One item of a subscription_update_confirm flow: the item and its new price/quantity."""

    id: str
    price: str | None = None
    quantity: int | None = None


@dataclass(frozen=True, slots=True)
class Flow:
    """A deep link into one portal flow; ``to_params()`` is the session's ``flow_data``."""

    type: FlowType
    details: Mapping[str, Any] = field(default_factory=dict)  # the type's companion object
    after_completion: AfterCompletion | None = None

    def to_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"type": self.type}
        if self.details or self.type == "customer_update":
            params[self.type] = dict(self.details)
        if self.after_completion is not None:
            params["after_completion"] = self.after_completion.to_params()
        return params


def payment_method_update_flow(after: AfterCompletion | None = None) -> Flow:
    return Flow("payment_method_update", {}, after)


def customer_update_flow(after: AfterCompletion | None = None) -> Flow:
    return Flow("customer_update", {}, after)


def subscription_cancel_flow(
    subscription_id: str,
    *,
    retention_coupon: str | None = None,
    after: AfterCompletion | None = None,
) -> Flow:
    """Cancel one subscription; with ``retention_coupon`` the portal first offers that coupon."""
    details: dict[str, Any] = {"subscription": subscription_id}
    if retention_coupon:
        details["retention"] = {
            "type": "coupon_offer",
            "coupon_offer": {"coupon": retention_coupon},
        }
    return Flow("subscription_cancel", details, after)


async def configured_retention_coupon(gateway: Gateway, configuration_id: str | None) -> str | None:
    """The coupon the console's cancel links offer under this configuration (the account's
    default when None): the merchant's choice, kept in its metadata (console.configurations.
    retention), since Stripe's configuration has no retention field."""
    record = (
        await gateway.retrieve_portal_configuration(configuration_id)
        if configuration_id
        else await default_configuration(gateway)
    )
    return None if record is None else retention_coupon_in_raw(record.raw.get("metadata"))


def subscription_pause_flow(subscription_id: str, after: AfterCompletion | None = None) -> Flow:
    return Flow("subscription_pause", {"subscription": subscription_id}, after)


def subscription_update_flow(subscription_id: str, after: AfterCompletion | None = None) -> Flow:
    return Flow("subscription_update", {"subscription": subscription_id}, after)


def subscription_update_confirm_flow(
    subscription_id: str,
    items: Sequence[ConfirmItem],
    *,
    coupon: str | None = None,
    promotion_code: str | None = None,
    after: AfterCompletion | None = None,
) -> Flow:
    """Straight to the confirmation of a prepared change (new price/quantity, discount)."""
    details: dict[str, Any] = {
        "subscription": subscription_id,
        "items": [
            {
                key: value
                for key, value in (("id", i.id), ("price", i.price), ("quantity", i.quantity))
                if value is not None
            }
            for i in items
        ],
    }
    discounts = [
        {key: value}
        for key, value in (("coupon", coupon), ("promotion_code", promotion_code))
        if value
    ]
    if discounts:
        details["discounts"] = discounts
    return Flow("subscription_update_confirm", details, after)


def refuse_live_mode(target: object) -> None:
    """Raises ``LiveModeRefused`` for a live account or gateway (``livemode`` or ``mode``)."""
    if getattr(target, "livemode", False) is True or getattr(target, "mode", None) == "live":
        raise LiveModeRefused(
            "Opening the portal as a customer is only possible in test mode. This account "
            "uses a live key, so the console will not do it: use a test-mode key or the sandbox."
        )


def session_params(
    customer_id: str,
    *,
    configuration: str | None = None,
    locale: str | None = None,
    flow: Flow | None = None,
    return_url: str | None = None,
) -> dict[str, Any]:
    """The session's parameters, every problem with them reported at once."""
    problems = []
    if not customer_id.startswith("cus_"):
        problems.append(
            ValidationProblem(
                "customer",
                "resource_missing",
                _("%(customer_id)s is not a cus_ id.") % {"customer_id": repr(customer_id)},
            )
        )
    if locale is not None and locale not in session_locales():
        problems.append(
            ValidationProblem(
                "locale",
                "value_unknown",
                _("The portal has no locale %(locale)s.") % {"locale": repr(locale)},
            )
        )
    if return_url is not None and not is_web_url(return_url):
        problems.append(
            ValidationProblem(
                "return_url",
                "url_invalid",
                _("%(return_url)s is not a web address.") % {"return_url": repr(return_url)},
            )
        )
    if flow is not None and flow.after_completion is not None:
        problems += _after_completion_problems(flow.after_completion)
    if problems:
        raise ValidationError(tuple(problems))
    params: dict[str, Any] = {"customer": customer_id}
    if configuration:
        params["configuration"] = configuration
    if locale:
        params["locale"] = locale
    if return_url:
        params["return_url"] = return_url
    if flow is not None:
        params["flow_data"] = flow.to_params()
    return params


def _after_completion_problems(after: AfterCompletion) -> list[ValidationProblem]:
    base = "flow_data[after_completion]"
    problems = []
    if after.type == "redirect" and (after.return_url is None or not is_web_url(after.return_url)):
        problems.append(
            ValidationProblem(
                f"{base}[redirect][return_url]",
                "url_invalid",
                _("A redirect after the flow needs a web address to go back to."),
            )
        )
    message = after.custom_message or ""
    if len(message) > MAX_CONFIRMATION_MESSAGE:
        problems.append(
            ValidationProblem(
                f"{base}[hosted_confirmation][custom_message]",
                "string_too_long",
                _(
                    "The confirmation message is %(message_count)s characters; at most "
                    "%(max_confirmation_message)s."
                )
                % {
                    "message_count": len(message),
                    "max_confirmation_message": MAX_CONFIRMATION_MESSAGE,
                },
            )
        )
    return problems


async def open_portal_as_customer(
    gateway: PortalSessionMaker,
    customer_id: str,
    *,
    configuration: str | None = None,
    locale: str | None = None,
    flow: Flow | None = None,
    return_url: str | None = None,
) -> PortalSession:
    """A new portal session for ``customer_id``; its ``url`` opens the portal as them.

    Refused (``LiveModeRefused``) in live mode before anything is sent. The URL is a
    credential: only the session id is logged.
    """
    refuse_live_mode(gateway)
    params = session_params(
        customer_id,
        configuration=configuration,
        locale=locale,
        flow=flow,
        return_url=return_url,
    )
    session = await gateway.create_portal_session(params)
    if getattr(session, "livemode", False) is True:
        # The key said test mode but Stripe answered live: never hand out the link.
        raise LiveModeRefused(
            "Stripe answered in live mode although the key is a test key; the portal link "
            "was discarded."
        )
    log.info("Quick view session %s opened for %s", session.id, customer_id)
    return session
