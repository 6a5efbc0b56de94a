"""What the form asks for, as plain data, and the ``Flow`` it means (no Qt here).

The view reads its widgets into ``PortalRequest``; ``flow_of`` turns the flow choices into
the core's ``Flow`` and reports, Stripe-shaped, what a flow still lacks (a subscription,
a new price), so the form can point at the field before anything is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QCoreApplication

from console.errors import ValidationError, ValidationProblem
from console.portal_session.quick_view import (
    AfterCompletion,
    ConfirmItem,
    Flow,
    FlowType,
    customer_update_flow,
    payment_method_update_flow,
    subscription_cancel_flow,
    subscription_pause_flow,
    subscription_update_confirm_flow,
    subscription_update_flow,
)
from resources import load_json

AfterType = Literal["portal_homepage", "hosted_confirmation", "redirect"]
COUPON_FLOWS: frozenset[FlowType] = frozenset(
    {"subscription_cancel", "subscription_update_confirm"}
)
SUBSCRIPTION_FLOWS: frozenset[FlowType] = frozenset(
    {
        "subscription_cancel",
        "subscription_pause",
        "subscription_update",
        "subscription_update_confirm",
    }
)


@dataclass(frozen=True, slots=True)
class PortalLocale:
    code: str
    native: str
    english: str


def portal_locales() -> tuple[PortalLocale, ...]:
    """The portal's 40 locales, in the table's order (Stripe's own list)."""
    table = load_json("stripe", "portal-locales.json")
    return tuple(
        PortalLocale(str(entry["code"]), str(entry["native"]), str(entry["english"]))
        for entry in table["portal_locales"]
    )


@dataclass(frozen=True, slots=True)
class PortalRequest:
    """Everything the form holds; empty text fields are ``None``."""

    customer_id: str | None
    configuration: str | None = None
    locale: str | None = None
    flow_type: FlowType | None = None
    subscription_id: str | None = None
    confirm_item_id: str | None = None  # the subscription item whose price/quantity changes
    confirm_price: str | None = None
    confirm_quantity: int | None = None
    coupon: str | None = None  # cancel: the retention offer; confirm: a discount to apply
    after_type: AfterType = "portal_homepage"
    after_message: str | None = None
    after_redirect_url: str | None = None
    return_url: str | None = None


def _after(request: PortalRequest) -> AfterCompletion | None:
    if request.after_type == "portal_homepage":
        return None  # Stripe's default: nothing to send
    if request.after_type == "hosted_confirmation":
        return AfterCompletion("hosted_confirmation", custom_message=request.after_message)
    return AfterCompletion("redirect", return_url=request.after_redirect_url)


def flow_of(request: PortalRequest) -> Flow | None:
    """The deep link the form describes, or ``None`` for the portal's home page.

    Raises ``ValidationError`` naming the ``flow_data`` parameter a flow is missing.
    """
    kind = request.flow_type
    if kind is None:
        return None
    after = _after(request)
    if kind == "payment_method_update":
        return payment_method_update_flow(after)
    if kind == "customer_update":
        return customer_update_flow(after)
    subscription = request.subscription_id
    problems: list[ValidationProblem] = []
    if not subscription:
        problems.append(
            ValidationProblem(
                f"flow_data[{kind}][subscription]",
                "parameter_missing",
                QCoreApplication.translate(
                    "PortalSessionRequest",
                    "Choose which of the customer's subscriptions the flow is about.",
                ),
            )
        )
    if kind == "subscription_update_confirm" and not (
        request.confirm_price or request.confirm_quantity
    ):
        problems.append(
            ValidationProblem(
                "flow_data[subscription_update_confirm][items]",
                "parameter_missing",
                QCoreApplication.translate(
                    "PortalSessionRequest",
                    "Choose the new price or quantity the customer is asked to confirm.",
                ),
            )
        )
    if problems or subscription is None:
        raise ValidationError(tuple(problems))
    if kind == "subscription_cancel":
        return subscription_cancel_flow(subscription, retention_coupon=request.coupon, after=after)
    if kind == "subscription_pause":
        return subscription_pause_flow(subscription, after)
    if kind == "subscription_update":
        return subscription_update_flow(subscription, after)
    item = ConfirmItem(
        request.confirm_item_id or "",
        price=request.confirm_price,
        quantity=request.confirm_quantity,
    )
    return subscription_update_confirm_flow(
        subscription, [item], coupon=request.coupon, after=after
    )


def field_of(param: str) -> str:
    """Which form field a Stripe-shaped ``param`` belongs to ("general" if none)."""
    if param in {"customer", "configuration", "locale", "return_url"}:
        return param
    if param.startswith("flow_data[after_completion][redirect]"):
        return "after_redirect"
    if param.startswith("flow_data[after_completion][hosted_confirmation]"):
        return "after_message"
    if param.startswith("flow_data[after_completion]"):
        return "after"
    if "[retention]" in param or "[discounts]" in param:
        return "coupon"
    if param.endswith("[subscription]"):
        return "subscription"
    if "[items]" in param:
        return "items"
    if param.startswith("flow_data"):
        return "flow"
    return "general"
