from __future__ import annotations

import dataclasses

import pytest

from console.gateway import models


def test_payment_method_display_names_what_people_recognise() -> None:
    card = {"id": "pm_1", "type": "card", "card": {"brand": "visa", "last4": "4242"}}
    sepa = {"id": "pm_2", "type": "sepa_debit", "sepa_debit": {"last4": "3000"}}
    link = {"id": "pm_3", "type": "link", "link": {"email": "jenny@example.com"}}
    assert models.payment_method_from_json(card, "pm_1") == models.PaymentMethod(
        models.PaymentMethodId("pm_1"), "card", "Visa •••• 4242", True
    )
    assert models.payment_method_from_json(sepa, "pm_1").display == "SEPA •••• 3000"
    assert models.payment_method_from_json(link, None).display == "Link (jenny@example.com)"


def _subscription(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "sub_1",
        "customer": "cus_1",
        "status": "active",
        "created": 100,
        "collection_method": "charge_automatically",
        "items": {
            "data": [
                {
                    "id": "si_1",
                    "quantity": 2,
                    "current_period_start": 100,
                    "current_period_end": 200,
                    "price": {
                        "id": "price_1",
                        "product": {"id": "prod_1", "name": "Pro"},
                        "currency": "eur",
                        "unit_amount": 1500,
                        "type": "recurring",
                        "recurring": {
                            "interval": "month",
                            "interval_count": 1,
                            "usage_type": "licensed",
                        },
                        "tax_behavior": "exclusive",
                        "active": True,
                    },
                }
            ]
        },
    }
    return base | overrides


def test_subscription_reads_expanded_prices_and_products() -> None:
    sub = models.subscription_from_json(_subscription())
    (item,) = sub.items
    assert item.quantity == 2
    assert (item.price.product_id, item.price.product_name) == ("prod_1", "Pro")
    assert (item.price.recurring_interval, item.price.usage_type) == ("month", "licensed")
    assert sub.pending_update is False and sub.pause_collection is False


def test_subscription_payment_method_type_falls_back_to_the_customers() -> None:
    own = _subscription(default_payment_method={"id": "pm_1", "type": "sepa_debit"})
    assert models.subscription_from_json(own, "card").default_payment_method_type == "sepa_debit"
    assert models.subscription_from_json(_subscription(), "card").default_payment_method_type == (
        "card"
    )


def test_subscription_flags_and_coupons() -> None:
    sub = models.subscription_from_json(
        _subscription(
            pending_update={"expires_at": 5},
            pause_collection={"behavior": "void"},
            discounts=[{"id": "di_1", "source": {"coupon": {"id": "SAVE10"}}}, "di_2"],
            schedule="sub_sched_1",
            latest_invoice={"id": "in_1"},
        )
    )
    assert sub.pending_update and sub.pause_collection
    assert sub.discounts == ("SAVE10",)
    assert (sub.schedule_id, sub.latest_invoice_id) == ("sub_sched_1", "in_1")


def test_values_are_frozen() -> None:
    sub = models.subscription_from_json(_subscription())
    with pytest.raises(dataclasses.FrozenInstanceError):
        sub.status = "canceled"  # type: ignore[misc]


def test_account_name_prefers_dashboard_then_business_then_id() -> None:
    assert models.account_name({"id": "acct_1"}) == "acct_1"
    assert models.account_name({"id": "acct_1", "business_profile": {"name": "Shop"}}) == "Shop"
    named = {
        "id": "acct_1",
        "business_profile": {"name": "Shop"},
        "settings": {"dashboard": {"display_name": "Shop EU"}},
    }
    assert models.account_name(named) == "Shop EU"


def test_portal_session_repr_leaves_the_url_out() -> None:
    session = models.portal_session_from_json(
        {"id": "bps_1", "url": "https://billing.example/p/session/secret", "created": 1}
    )
    assert "secret" not in repr(session)
