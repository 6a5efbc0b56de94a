"""The sandbox portal's subscription rules (``console/sandbox/facts/portal_rules.py``): objects
as the sandbox stores them, shaped like the API's, for the tests in this folder."""

from __future__ import annotations

from typing import Any

from console.sandbox.billing import portal_rules as rules
from console.sandbox.facts.spec import JSON


def price(
    price_id: str,
    product: str = "prod_basic",
    amount: int = 1000,
    interval: str = "month",
    *,
    tax: str = "exclusive",
    usage: str = "licensed",
    currency: str = "usd",
    active: bool = True,
) -> JSON:
    return {
        "id": price_id,
        "object": "price",
        "active": active,
        "billing_scheme": "per_unit",
        "currency": currency,
        "product": product,
        "recurring": {
            "interval": interval,
            "interval_count": 1,
            "meter": "mtr_1" if usage == "metered" else None,
            "trial_period_days": None,
            "usage_type": usage,
        },
        "tax_behavior": tax,
        "type": "recurring",
        "unit_amount": amount,
        "unit_amount_decimal": str(amount),
    }


BASIC_M = price("price_basic_m")
BASIC_Y = price("price_basic_y", amount=10000, interval="year")
PRO_M = price("price_pro_m", "prod_pro", 3000)
PRO_Y = price("price_pro_y", "prod_pro", 30000, "year")
PRO_INCL = price("price_pro_incl", "prod_pro_incl", 3000, tax="inclusive")
PRO_UNSPEC = price("price_pro_unspec", "prod_pro_unspec", 3000, tax="unspecified")
PRO_EUR = price("price_pro_eur", "prod_pro_eur", 3000, currency="eur")
CATALOG = {p["id"]: p for p in (BASIC_M, BASIC_Y, PRO_M, PRO_Y, PRO_INCL, PRO_UNSPEC, PRO_EUR)}
PRODUCTS = {
    pid: {"id": pid, "object": "product", "active": True}
    for pid in ("prod_basic", "prod_pro", "prod_pro_incl", "prod_pro_unspec", "prod_pro_eur")
}


def item(item_price: JSON, quantity: int | None = 1, item_id: str = "si_1") -> JSON:
    return {
        "id": item_id,
        "object": "subscription_item",
        "current_period_end": 1_800_000_000 + 30 * 86400,
        "current_period_start": 1_800_000_000,
        "price": item_price,
        "quantity": quantity,
        "subscription": "sub_1",
    }


def subscription(*entries: JSON, **fields: Any) -> JSON:
    sub: JSON = {
        "id": "sub_1",
        "object": "subscription",
        "cancel_at": None,
        "cancel_at_period_end": False,
        "collection_method": "charge_automatically",
        "currency": "usd",
        "customer": "cus_1",
        "default_payment_method": None,
        "discounts": [],
        "items": {"object": "list", "data": list(entries or [item(BASIC_M)]), "has_more": False},
        "pending_update": None,
        "schedule": None,
        "status": "active",
        "trial_end": None,
    }
    sub.update(fields)
    return sub


def customer(default_pm: str | None = "pm_card") -> JSON:
    return {
        "id": "cus_1",
        "object": "customer",
        "invoice_settings": {"default_payment_method": default_pm},
    }


def payment_method(kind: str = "card", pm_id: str = "pm_card") -> JSON:
    return {"id": pm_id, "object": "payment_method", "type": kind}


def configuration(**update: Any) -> JSON:
    """Everything on: price, quantity (1..5 on prod_basic) and promotion codes."""
    feature: JSON = {
        "billing_cycle_anchor": None,
        "default_allowed_updates": ["price", "quantity", "promotion_code"],
        "enabled": True,
        "products": [
            {
                "adjustable_quantity": {"enabled": True, "maximum": 5, "minimum": 1},
                "prices": ["price_basic_m", "price_basic_y"],
                "product": "prod_basic",
            },
            {
                "adjustable_quantity": {"enabled": False, "maximum": None, "minimum": 0},
                "prices": ["price_pro_m", "price_pro_y"],
                "product": "prod_pro",
            },
            {
                "adjustable_quantity": {"enabled": False, "maximum": None, "minimum": 0},
                "prices": ["price_pro_incl"],
                "product": "prod_pro_incl",
            },
            {
                "adjustable_quantity": {"enabled": False, "maximum": None, "minimum": 0},
                "prices": ["price_pro_unspec"],
                "product": "prod_pro_unspec",
            },
            {
                "adjustable_quantity": {"enabled": False, "maximum": None, "minimum": 0},
                "prices": ["price_pro_eur"],
                "product": "prod_pro_eur",
            },
        ],
        "proration_behavior": "create_prorations",
        "schedule_at_period_end": {"conditions": []},
        "trial_update_behavior": "end_trial",
    }
    cancel = {
        "cancellation_reason": {
            "enabled": True,
            "feedback_options": ["bfo_custom"],
            "options": ["too_expensive", "other"],
        },
        "enabled": True,
        "mode": "at_period_end",
        "proration_behavior": "none",
    }
    for key, value in update.items():
        if key.startswith("cancel_"):
            cancel[key.removeprefix("cancel_")] = value
        else:
            feature[key] = value
    return {
        "id": "bpc_1",
        "object": "billing_portal.configuration",
        "features": {"subscription_cancel": cancel, "subscription_update": feature},
    }


def assess(
    sub: JSON | None = None,
    config: JSON | None = None,
    pm: JSON | None = None,
    cust: JSON | None = None,
) -> rules.Assessment:
    return rules.assess(
        sub or subscription(),
        cust or customer(),
        config or configuration(),
        payment_method=pm if pm is not None else payment_method(),
        prices=CATALOG,
        products=PRODUCTS,
    )


def codes(limits: tuple[rules.Limit, ...] | list[rules.Limit]) -> list[str]:
    return [limit.code for limit in limits]
