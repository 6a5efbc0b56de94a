"""Eligibility: each reason and warning, on hand-built subscriptions and configurations."""

from __future__ import annotations

import pytest

from console.configurations.model import (
    AdjustableQuantity,
    PortalConfiguration,
    UpdatableProduct,
    edit,
)
from console.eligibility.rules import evaluate, portal_payment_method_types
from console.gateway.models import Price, PriceId, ProductId
from tests.unit.core.factories import price, subscription

MONTHLY = price("price_m", interval="month")
YEARLY = price("price_y", interval="year")
INCLUSIVE = price("price_incl", "prod_pro", tax_behavior="inclusive")
PRO = price("price_pro", "prod_pro", interval="year")
PRICES: dict[PriceId, Price] = {p.id: p for p in (MONTHLY, YEARLY, INCLUSIVE, PRO)}


ADJUSTABLE = AdjustableQuantity(True, 1, 99)


def configured(**updates: object) -> PortalConfiguration:
    config = edit(PortalConfiguration(), "features.subscription_update.enabled", True)
    config = edit(
        config,
        "features.subscription_update.default_allowed_updates",
        ("price", "quantity", "promotion_code"),
    )
    config = edit(
        config,
        "features.subscription_update.products",
        (
            UpdatableProduct(ProductId("prod_basic"), (MONTHLY.id, YEARLY.id), ADJUSTABLE),
            UpdatableProduct(ProductId("prod_pro"), (INCLUSIVE.id, PRO.id), ADJUSTABLE),
        ),
    )
    config = edit(config, "features.subscription_cancel.enabled", True)
    config = edit(config, "features.subscription_pause.enabled", True)
    for path, value in updates.items():
        config = edit(config, path.replace("__", "."), value)
    return config


def test_a_plain_subscription_can_do_everything() -> None:
    result = evaluate(subscription(MONTHLY), configured(), PRICES)
    assert result.summary == "update"
    assert result.actions == (
        "update_price",
        "update_quantity",
        "apply_promotion_code",
        "cancel_at_period_end",
        "pause",
    )
    assert {t.price_id: t.allowed for t in result.target_prices} == {
        "price_y": True,
        "price_incl": False,
        "price_pro": True,
    }
    # The one refused target price is explained, by price.
    assert [(r.code, r.price_id) for r in result.reasons] == [
        ("tax_behavior_mismatch", "price_incl")
    ]
    assert result.warnings == ()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"items": (subscription(MONTHLY, PRO).items)}, "several_products"),
        (
            {"items": subscription(price("price_meter", usage_type="metered")).items},
            "metered_price",
        ),
        ({"collection_method": "send_invoice"}, "send_invoice"),
        ({"default_payment_method_type": "klarna"}, "unsupported_payment_method"),
    ],
)
def test_cancel_only_cases(changes: dict[str, object], code: str) -> None:
    result = evaluate(subscription(MONTHLY, **changes), configured(), PRICES)
    assert result.summary == "cancel_only"
    assert code in result.reason_codes()
    assert result.can_cancel and not result.can_update


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"schedule_id": "sub_sched_1"}, "pending_schedule"),
        ({"pending_update": True}, "pending_update"),
    ],
)
def test_pending_changes_block_updates(changes: dict[str, object], code: str) -> None:
    result = evaluate(subscription(MONTHLY, **changes), configured(), PRICES)
    assert code in result.reason_codes()
    assert not result.can_update
    # Stripe refuses to change a scheduled subscription's cancellation directly, so the portal
    # cannot cancel one either; a pending update alone leaves cancelling open.
    assert result.can_cancel == ("schedule_id" not in changes)


def test_a_subscription_under_a_schedule_cannot_be_cancelled_or_renewed_in_the_portal() -> None:
    for changes in ({}, {"cancel_at_period_end": True}):
        result = evaluate(
            subscription(MONTHLY, schedule_id="sub_sched_1", **changes), configured(), PRICES
        )
        assert not result.can_cancel and not result.can_renew and not result.can_update
    assert (
        "cancel_under_schedule"
        in evaluate(
            subscription(MONTHLY, schedule_id="sub_sched_1"), configured(), PRICES
        ).reason_codes()
    )


def test_every_reason_is_listed_not_just_the_first() -> None:
    sub = subscription(
        MONTHLY, collection_method="send_invoice", schedule_id="sub_sched_1", pending_update=True
    )
    codes = evaluate(sub, configured(), PRICES).reason_codes()
    assert {"send_invoice", "pending_schedule", "pending_update"} <= set(codes)


def test_every_supported_payment_method_is_fine() -> None:
    assert len(portal_payment_method_types()) == 12
    for kind in portal_payment_method_types():
        sub = subscription(MONTHLY, default_payment_method_type=kind)
        assert evaluate(sub, configured(), PRICES).can_update_price, kind


def test_unspecified_tax_behaviour_blocks_every_price_change() -> None:
    current = price("price_m", tax_behavior="unspecified")
    unspecified_target = price("price_y", interval="year", tax_behavior="unspecified")
    prices = {**PRICES, current.id: current, unspecified_target.id: unspecified_target}
    result = evaluate(subscription(current), configured(), prices)
    assert not result.can_update_price
    assert "tax_behavior_unspecified" in result.reason_codes()
    assert not any(t.allowed for t in result.target_prices)
    assert result.can_update_quantity  # other changes stay possible


def test_tax_mismatch_for_every_target_blocks_price_changes() -> None:
    current = price("price_m", tax_behavior="inclusive")
    prices = {**PRICES, current.id: current}
    config = configured(
        features__subscription_update__products=(
            UpdatableProduct(ProductId("prod_basic"), (current.id, YEARLY.id), ADJUSTABLE),
        )
    )
    result = evaluate(subscription(current), config, prices)
    assert not result.can_update_price
    assert [(r.code, r.price_id) for r in result.reasons] == [("tax_behavior_mismatch", "price_y")]


def test_price_not_among_the_configuration_products() -> None:
    other = price("price_other", "prod_other")
    result = evaluate(subscription(other), configured(), {**PRICES, other.id: other})
    assert "product_not_in_configuration" in result.reason_codes()
    assert not result.can_update and result.can_cancel


def test_target_price_unknown_to_the_account_is_reported() -> None:
    prices = {k: v for k, v in PRICES.items() if k != "price_y"}
    result = evaluate(subscription(MONTHLY), configured(), prices)
    assert ("price_unknown", "price_y") in [(r.code, r.price_id) for r in result.reasons]


@pytest.mark.parametrize(
    ("path", "value", "code", "action"),
    [
        ("features__subscription_update__enabled", False, "update_off", "update_price"),
        (
            "features__subscription_update__default_allowed_updates",
            ("quantity",),
            "price_update_off",
            "update_price",
        ),
        (
            "features__subscription_update__default_allowed_updates",
            ("price",),
            "quantity_update_off",
            "update_quantity",
        ),
        (
            "features__subscription_update__default_allowed_updates",
            ("price",),
            "promotion_code_off",
            "apply_promotion_code",
        ),
        ("features__subscription_cancel__enabled", False, "cancel_off", "cancel_at_period_end"),
        ("features__subscription_pause__enabled", False, "pause_off", "pause"),
    ],
)
def test_features_off_in_the_configuration(
    path: str, value: object, code: str, action: str
) -> None:
    result = evaluate(subscription(MONTHLY), configured(**{path: value}), PRICES)
    assert code in result.reason_codes()
    assert action not in result.actions


def products_with_quantity(adjustable: AdjustableQuantity) -> tuple[UpdatableProduct, ...]:
    return (UpdatableProduct(ProductId("prod_basic"), (MONTHLY.id, YEARLY.id), adjustable),)


def test_quantity_changes_need_the_update_type_and_the_product_adjustable() -> None:
    """The portal shows a quantity field only when ``quantity`` is an allowed update type and
    the product is set to adjustable_quantity; either one alone is not enough."""
    both = configured(
        features__subscription_update__products=products_with_quantity(
            AdjustableQuantity(True, 2, 8)
        )
    )
    result = evaluate(subscription(MONTHLY), both, PRICES)
    assert result.can_update_quantity and result.quantity_bounds == (2, 8)

    type_only = configured(
        features__subscription_update__products=products_with_quantity(AdjustableQuantity())
    )
    result = evaluate(subscription(MONTHLY), type_only, PRICES)
    assert not result.can_update_quantity and "quantity_not_adjustable" in result.reason_codes()

    adjustable_only = configured(
        features__subscription_update__default_allowed_updates=("price",),
        features__subscription_update__products=products_with_quantity(
            AdjustableQuantity(True, 2, 8)
        ),
    )
    result = evaluate(subscription(MONTHLY), adjustable_only, PRICES)
    assert not result.can_update_quantity and "quantity_update_off" in result.reason_codes()


def test_cancel_mode_follows_the_configuration() -> None:
    config = configured(features__subscription_cancel__mode="immediately")
    assert "cancel_now" in evaluate(subscription(MONTHLY), config, PRICES).actions


@pytest.mark.parametrize("changes", [{"cancel_at_period_end": True}, {"cancel_at": 2_000_000_000}])
def test_a_subscription_set_to_end_is_offered_renew(changes: dict[str, object]) -> None:
    result = evaluate(subscription(MONTHLY, **changes), configured(), PRICES)
    assert result.can_renew and not result.can_cancel
    assert "renew" in result.actions
    assert "cancellation_scheduled" in result.reason_codes()


@pytest.mark.parametrize("status", ["canceled", "incomplete_expired"])
def test_ended_subscriptions_allow_nothing(status: str) -> None:
    result = evaluate(subscription(MONTHLY, status=status), configured(), PRICES)
    assert result.summary == "nothing" and result.actions == ()
    assert result.reason_codes() == ("subscription_ended",)


def test_trial_warning_ends_or_continues_the_trial() -> None:
    sub = subscription(MONTHLY, status="trialing", trial_end=2_000_000_000)
    assert evaluate(sub, configured(), PRICES).warning_codes() == ("trial_ends_on_change",)
    config = configured(features__subscription_update__trial_update_behavior="continue_trial")
    assert evaluate(sub, config, PRICES).warning_codes() == ("trial_continues",)


def test_more_than_ten_products_warns() -> None:
    many = tuple(
        UpdatableProduct(ProductId(f"prod_{i}"), (PriceId(f"price_{i}"),)) for i in range(11)
    )
    config = configured(
        features__subscription_update__products=(
            UpdatableProduct(ProductId("prod_basic"), (MONTHLY.id,), ADJUSTABLE),
            *many,
        )
    )
    assert "too_many_products" in evaluate(subscription(MONTHLY), config, PRICES).warning_codes()


def test_payment_method_section_still_shown_for_unsupported_methods() -> None:
    sub = subscription(MONTHLY, default_payment_method_type="klarna")
    config = configured(features__payment_method_update__enabled=True)
    assert evaluate(sub, config, PRICES).warning_codes() == ("payment_method_section_shown",)
    assert evaluate(sub, configured(), PRICES).warning_codes() == ()


def test_reasons_read_as_sentences_for_support_agents() -> None:
    sub = subscription(MONTHLY, collection_method="send_invoice")
    reason = evaluate(sub, configured(), PRICES).reasons[0]
    assert reason.message.endswith(".") and "invoice" in reason.message


def test_prices_in_another_currency_are_not_targets() -> None:
    euro = price("price_eur", "prod_pro", interval="year", currency="eur")
    config = configured(
        features__subscription_update__products=(
            UpdatableProduct(ProductId("prod_basic"), (MONTHLY.id,), ADJUSTABLE),
            UpdatableProduct(ProductId("prod_pro"), (euro.id,)),
        )
    )
    result = evaluate(subscription(MONTHLY), config, {**PRICES, euro.id: euro})
    assert not result.can_update_price
    assert [(r.code, r.price_id) for r in result.reasons] == [("currency_mismatch", "price_eur")]


def test_pause_off_is_the_one_pause_reason_whatever_the_subscription() -> None:
    sub = subscription(MONTHLY, status="past_due", schedule_id="sub_sched_1")
    result = evaluate(sub, configured(features__subscription_pause__enabled=False), PRICES)
    assert not result.can_pause
    assert [c for c in result.reason_codes() if "pause" in c] == ["pause_off"]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"status": "trialing"}, "pause_needs_active"),
        ({"status": "past_due"}, "pause_needs_active"),
        ({"status": "unpaid"}, "pause_needs_active"),
        ({"status": "paused"}, "already_paused"),
        ({"cancel_at_period_end": True}, "pause_after_renew"),
        ({"cancel_at": 2_000_000_000}, "pause_after_renew"),
        ({"schedule_id": "sub_sched_1"}, "pause_schedule"),
    ],
)
def test_pause_needs_an_active_subscription_free_to_change(
    changes: dict[str, object], code: str
) -> None:
    result = evaluate(subscription(MONTHLY, **changes), configured(), PRICES)
    assert not result.can_pause and "pause" not in result.actions
    assert code in result.reason_codes()
    (reason,) = [r for r in result.reasons if r.code == code]
    assert reason.message.endswith(".") and "sub_" not in reason.message


@pytest.mark.parametrize(
    "changes",
    [
        {"items": subscription(MONTHLY, PRO).items},
        {"collection_method": "send_invoice"},
        {"default_payment_method_type": "klarna"},
    ],
)
def test_cancel_only_subscriptions_can_still_pause(changes: dict[str, object]) -> None:
    result = evaluate(subscription(MONTHLY, **changes), configured(), PRICES)
    assert result.summary == "cancel_only"
    assert result.can_pause and "pause" in result.actions


def test_a_past_due_subscription_names_its_status_in_words() -> None:
    result = evaluate(subscription(MONTHLY, status="past_due"), configured(), PRICES)
    (reason,) = [r for r in result.reasons if r.code == "pause_needs_active"]
    assert "past due" in reason.message and "past_due" not in reason.message
