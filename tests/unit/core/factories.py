"""Hand-built gateway values for the portal rule tests, and a customer view built from them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from console.configurations.model import PortalConfiguration
from console.customers.detail import CustomerDetail
from console.customers.support_view import CustomerView, SubscriptionView
from console.eligibility.rules import evaluate
from console.gateway.models import (
    Customer,
    CustomerId,
    PortalConfigurationId,
    PortalConfigurationRecord,
    Price,
    PriceId,
    ProductId,
    Subscription,
    SubscriptionId,
    SubscriptionItem,
    SubscriptionItemId,
)


def price(
    price_id: str,
    product: str = "prod_basic",
    *,
    interval: str | None = "month",
    interval_count: int = 1,
    usage_type: str = "licensed",
    tax_behavior: str | None = "exclusive",
    active: bool = True,
    lookup_key: str | None = None,
    product_name: str | None = None,
    unit_amount: int = 1000,
    currency: str = "usd",
) -> Price:
    recurring = interval is not None
    return Price(
        id=PriceId(price_id),
        product_id=ProductId(product),
        product_name=product_name,
        currency=currency,
        unit_amount=unit_amount,
        type="recurring" if recurring else "one_time",
        recurring_interval=interval,
        recurring_interval_count=interval_count if recurring else None,
        usage_type=usage_type if recurring else None,
        tax_behavior=tax_behavior,
        active=active,
        lookup_key=lookup_key,
        nickname=None,
    )


def subscription(*prices: Price, **changes: Any) -> Subscription:
    items = tuple(
        SubscriptionItem(SubscriptionItemId(f"si_{i}"), p, 1, 0, 100) for i, p in enumerate(prices)
    )
    fields: dict[str, Any] = {
        "id": SubscriptionId("sub_1"),
        "customer_id": CustomerId("cus_1"),
        "status": "active",
        "items": items,
        "collection_method": "charge_automatically",
        "cancel_at_period_end": False,
        "cancel_at": None,
        "canceled_at": None,
        "trial_end": None,
        "schedule_id": None,
        "default_payment_method_type": "card",
        "pending_update": False,
        "pause_collection": False,
        "discounts": (),
        "latest_invoice_id": None,
        "created": 0,
    }
    fields.update(changes)
    return Subscription(**fields)


def customer(**changes: Any) -> Customer:
    fields: dict[str, Any] = {
        "id": CustomerId("cus_1"),
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "phone": None,
        "address": None,
        "shipping": None,
        "preferred_locales": (),
        "tax_exempt": None,
        "balance": 0,
        "currency": "usd",
        "default_payment_method_id": None,
        "metadata": {},
        "created": 0,
    }
    fields.update(changes)
    return Customer(**fields)


def customer_view(
    *subscriptions: Subscription,
    configuration: PortalConfiguration | None,
    prices: Mapping[PriceId, Price],
    who: Customer | None = None,
    name: str | None = "Everything on",
) -> CustomerView:
    """The view ``load_customer_view`` would give, the rules applied to hand-built values."""
    detail = CustomerDetail(
        customer=who or customer(),
        subscriptions=subscriptions,
        invoices=(),
        more_invoices=False,
        payment_methods=(),
        tax_ids=(),
    )
    record = (
        PortalConfigurationRecord(PortalConfigurationId("bpc_1"), name, True, True, {})
        if configuration is not None
        else None
    )
    return CustomerView(
        detail=detail,
        configuration=record,
        subscriptions=tuple(
            SubscriptionView(
                sub, evaluate(sub, configuration, prices) if configuration is not None else None
            )
            for sub in subscriptions
        ),
    )
