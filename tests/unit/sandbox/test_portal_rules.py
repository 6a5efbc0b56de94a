"""The sandbox portal's subscription rules, on stored-JSON objects shaped like the API's."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from console.sandbox.facts import portal_rules as rules
from console.sandbox.facts.spec import JSON

# -- fixtures: objects as the sandbox stores them -----------------------------------------------


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


# -- an updatable subscription ------------------------------------------------------------------


def test_plain_subscription_offers_every_configured_update() -> None:
    result = assess()
    assert result.can_update and result.can_cancel
    assert [p["id"] for p in result.prices] == [
        "price_basic_y",
        "price_pro_m",
        "price_pro_y",
    ]
    assert result.quantities["prod_basic"] == rules.QuantityRange(1, 5)
    assert "prod_pro" not in result.quantities
    assert result.promotion_code
    assert result.feedback == ("too_expensive", "other")
    assert result.feedback_options == ("bfo_custom",)
    assert not result.can_renew and result.trial_behavior is None


def test_prices_of_other_currency_inactive_or_metered_are_not_offered() -> None:
    catalog = {**CATALOG, "price_pro_y": {**PRO_Y, "active": False}}
    result = rules.assess(
        subscription(),
        customer(),
        configuration(),
        payment_method=payment_method(),
        prices=catalog,
        products=PRODUCTS,
    )
    offered = [p["id"] for p in result.prices]
    assert "price_pro_eur" not in offered and "price_pro_y" not in offered
    metered = {**CATALOG, "price_pro_m": price("price_pro_m", "prod_pro", usage="metered")}
    result = rules.assess(
        subscription(),
        customer(),
        configuration(),
        payment_method=payment_method(),
        prices=metered,
        products=PRODUCTS,
    )
    assert "price_pro_m" not in [p["id"] for p in result.prices]


def test_an_archived_product_offers_none_of_its_prices() -> None:
    products: dict[str, JSON] = {**PRODUCTS, "prod_pro": {"id": "prod_pro", "active": False}}
    result = rules.assess(
        subscription(),
        customer(),
        configuration(),
        payment_method=payment_method(),
        prices=CATALOG,
        products=products,
    )
    assert [p["id"] for p in result.prices] == ["price_basic_y"]


def test_only_the_first_ten_products_are_offered() -> None:
    entries = [
        {
            "adjustable_quantity": {"enabled": False, "maximum": None, "minimum": 0},
            "prices": [f"price_x{n}"],
            "product": f"prod_x{n}",
        }
        for n in range(11)
    ]
    catalog = {f"price_x{n}": price(f"price_x{n}", f"prod_x{n}") for n in range(11)}
    result = rules.assess(
        subscription(),
        customer(),
        configuration(products=entries),
        payment_method=payment_method(),
        prices=catalog,
    )
    assert [p["id"] for p in result.prices] == [f"price_x{n}" for n in range(10)]


def test_quantity_range_defaults() -> None:
    config = configuration()
    config["features"]["subscription_update"]["products"][0]["adjustable_quantity"] = {
        "enabled": True,
        "maximum": None,
        "minimum": 0,
    }
    assert assess(config=config).quantities["prod_basic"] == rules.QuantityRange(1, 99)


@pytest.mark.parametrize(
    ("allowed", "prices", "quantity", "promotion"),
    [
        (["price"], True, False, False),
        (["quantity"], False, True, False),
        (["promotion_code"], False, False, True),
    ],
)
def test_default_allowed_updates_decide_each_kind(
    allowed: list[str], prices: bool, quantity: bool, promotion: bool
) -> None:
    result = assess(config=configuration(default_allowed_updates=allowed))
    assert result.can_update
    assert bool(result.prices) is prices
    assert ("prod_basic" in result.quantities) is quantity
    assert result.promotion_code is promotion


# -- cancel-only ---------------------------------------------------------------------------------


def test_several_products_is_cancel_only() -> None:
    sub = subscription(item(BASIC_M), item(PRO_M, item_id="si_2"))
    result = assess(sub)
    assert codes(result.cancel_only) == [rules.SEVERAL_PRODUCTS]
    assert rules.SEVERAL_PRODUCTS in codes(result.update_limits)
    assert not result.can_update and result.can_cancel


def test_two_items_of_one_product_is_cancel_only() -> None:
    other = price("price_basic_addon", amount=500, interval="month")
    result = assess(subscription(item(BASIC_M), item(other, item_id="si_2")))
    assert codes(result.cancel_only) == [rules.SEVERAL_ITEMS]
    assert result.item is None and not result.can_update


def test_metered_price_is_cancel_only() -> None:
    metered = price("price_api", "prod_api", 5, usage="metered")
    result = assess(subscription(item(metered, quantity=None)))
    assert codes(result.cancel_only) == [rules.METERED]
    assert not result.can_update and result.can_cancel


def test_send_invoice_is_cancel_only() -> None:
    result = assess(subscription(collection_method="send_invoice"))
    assert codes(result.cancel_only) == [rules.SEND_INVOICE]
    assert not result.can_update and result.can_cancel


@pytest.mark.parametrize("kind", ["ideal", "klarna", "us_bank_account_legacy"])
def test_unsupported_payment_method_is_cancel_only(kind: str) -> None:
    result = assess(pm=payment_method(kind))
    assert result.cancel_only == (rules.Limit(rules.UNSUPPORTED_PAYMENT_METHOD, kind),)
    assert not result.can_update and result.can_cancel


def test_every_portal_payment_method_type_is_supported() -> None:
    types = rules.portal_payment_method_types()
    assert len(types) == 12
    for kind in types:
        assert assess(pm=payment_method(kind)).can_update, kind


def test_cancel_only_reasons_combine() -> None:
    metered = price("price_api", "prod_api", 5, usage="metered")
    sub = subscription(item(BASIC_M), item(metered, None, "si_2"), collection_method="send_invoice")
    result = assess(sub, pm=payment_method("ideal"))
    assert codes(result.cancel_only) == [
        rules.SEVERAL_PRODUCTS,
        rules.METERED,
        rules.SEND_INVOICE,
        rules.UNSUPPORTED_PAYMENT_METHOD,
    ]
    assert result.can_cancel


def test_default_payment_method_prefers_the_subscriptions_own() -> None:
    sub = subscription(default_payment_method={"id": "pm_sub", "object": "payment_method"})
    assert rules.default_payment_method_id(sub, customer("pm_cus")) == "pm_sub"
    assert rules.default_payment_method_id(subscription(), customer("pm_cus")) == "pm_cus"
    assert rules.default_payment_method_id(subscription(), customer(None)) is None
    assert assess(cust=customer(None), pm={}).can_update is False  # empty type: unsupported
    no_pm = rules.assess(
        subscription(),
        customer(None),
        configuration(),
        payment_method=None,
        prices=CATALOG,
        products=PRODUCTS,
    )
    assert no_pm.can_update


# -- no update -----------------------------------------------------------------------------------


def test_pending_schedule_blocks_update_and_cancel() -> None:
    result = assess(subscription(schedule="sub_sched_1"))
    assert result.update_limits == (rules.Limit(rules.SCHEDULE, "sub_sched_1"),)
    assert rules.Limit(rules.SCHEDULE, "sub_sched_1") in result.cancel_limits
    assert rules.check_renew(result) == rules.Limit(rules.SCHEDULE, "sub_sched_1")


def test_pending_update_blocks_update_only() -> None:
    result = assess(subscription(pending_update={"expires_at": 1}))
    assert codes(result.update_limits) == [rules.PENDING_UPDATE]
    assert result.can_cancel


def test_update_disabled_or_nothing_allowed() -> None:
    assert codes(assess(config=configuration(enabled=False)).update_limits) == [
        rules.UPDATE_DISABLED
    ]
    assert codes(assess(config=configuration(default_allowed_updates=[])).update_limits) == [
        rules.UPDATE_DISABLED
    ]


def test_paused_incomplete_and_ended_subscriptions() -> None:
    assert codes(assess(subscription(status="paused")).update_limits) == [rules.PAUSED]
    assert codes(assess(subscription(status="incomplete")).update_limits) == [rules.INCOMPLETE]
    ended = assess(subscription(status="canceled"))
    assert codes(ended.update_limits) == [rules.ENDED]
    assert rules.ENDED in codes(ended.cancel_limits)
    assert rules.check_renew(ended) == rules.Limit(rules.ENDED, "canceled")


# -- tax behaviour -------------------------------------------------------------------------------


def test_unspecified_tax_behavior_blocks_every_price_change() -> None:
    current = price("price_basic_unspec", tax="unspecified")
    result = assess(subscription(item(current)))
    assert codes(result.price_limits) == [rules.TAX_BEHAVIOR_UNSPECIFIED]
    assert result.prices == ()
    # Quantity and promotion codes are still offered.
    assert result.can_update and "prod_basic" in result.quantities
    refused = rules.check_change(
        result, price="price_pro_unspec", quantity=None, promotion_code=False
    )
    assert refused == rules.Limit(rules.TAX_BEHAVIOR_UNSPECIFIED)


def test_unspecified_tax_with_nothing_else_offered_is_explained() -> None:
    current = price("price_basic_unspec", tax="unspecified")
    result = assess(
        subscription(item(current)), config=configuration(default_allowed_updates=["price"])
    )
    assert codes(result.update_limits) == [rules.NOTHING_OFFERED]
    assert codes(result.price_limits) == [rules.TAX_BEHAVIOR_UNSPECIFIED]


def test_prices_of_another_tax_behavior_are_excluded_and_refused() -> None:
    result = assess()
    excluded = dict(result.excluded_prices)
    assert excluded["price_pro_incl"] == rules.Limit(rules.TAX_BEHAVIOR_DIFFERS, "inclusive")
    assert excluded["price_pro_unspec"] == rules.Limit(rules.TAX_BEHAVIOR_DIFFERS, "unspecified")
    refused = rules.check_change(
        result, price="price_pro_incl", quantity=None, promotion_code=False
    )
    assert refused is not None and refused.code == rules.TAX_BEHAVIOR_DIFFERS
    inclusive = assess(subscription(item(PRO_INCL)))
    assert [p["id"] for p in inclusive.prices] == []
    assert codes(inclusive.update_limits) == []  # promotion codes remain


# -- trials --------------------------------------------------------------------------------------


def test_trial_behavior_comes_from_the_configuration() -> None:
    trialing = subscription(status="trialing", trial_end=1_800_000_000 + 14 * 86400)
    ended = assess(trialing)
    assert ended.trial_behavior == "end_trial"
    change = rules.update_params(
        ended, configuration(), price="price_pro_m", quantity=None, promotion_code=None
    )
    assert change["trial_end"] == "now"
    kept = assess(trialing, configuration(trial_update_behavior="continue_trial"))
    assert kept.trial_behavior == "continue_trial"
    change = rules.update_params(
        kept, configuration(), price="price_pro_m", quantity=None, promotion_code=None
    )
    assert "trial_end" not in change


# -- checking a posted change --------------------------------------------------------------------


def test_check_change_accepts_what_is_offered() -> None:
    result = assess()
    assert (
        rules.check_change(result, price="price_pro_m", quantity=None, promotion_code=False) is None
    )
    assert rules.check_change(result, price=None, quantity=3, promotion_code=False) is None
    assert rules.check_change(result, price=None, quantity=None, promotion_code=True) is None
    assert (
        rules.check_change(result, price="price_basic_y", quantity=5, promotion_code=True) is None
    )


@pytest.mark.parametrize(
    ("price_id", "quantity", "promotion", "code"),
    [
        ("price_elsewhere", None, False, rules.PRICE_NOT_OFFERED),
        ("price_pro_eur", None, False, rules.PRICE_NOT_OFFERED),
        (None, 6, False, rules.QUANTITY_OUT_OF_RANGE),
        (None, 0, False, rules.QUANTITY_OUT_OF_RANGE),
        ("price_pro_m", 2, False, rules.QUANTITY_NOT_ADJUSTABLE),
        (None, None, False, rules.NO_CHANGE),
        ("price_basic_m", 1, False, rules.NO_CHANGE),
    ],
)
def test_check_change_refuses_what_is_not(
    price_id: str | None, quantity: int | None, promotion: bool, code: str
) -> None:
    refused = rules.check_change(
        assess(), price=price_id, quantity=quantity, promotion_code=promotion
    )
    assert refused is not None and refused.code == code


def test_promotion_codes_refused_unless_allowed() -> None:
    result = assess(config=configuration(default_allowed_updates=["price", "quantity"]))
    refused = rules.check_change(result, price=None, quantity=None, promotion_code=True)
    assert refused == rules.Limit(rules.PROMOTION_CODE_NOT_ALLOWED)


def test_switching_product_keeps_a_quantity_that_must_fit() -> None:
    config = configuration()
    config["features"]["subscription_update"]["products"][1]["adjustable_quantity"] = {
        "enabled": True,
        "maximum": 2,
        "minimum": 1,
    }
    result = assess(subscription(item(BASIC_M, quantity=4)), config)
    refused = rules.check_change(result, price="price_pro_m", quantity=None, promotion_code=False)
    assert refused == rules.Limit(rules.QUANTITY_OUT_OF_RANGE, "1-2")
    assert rules.check_change(result, price="price_pro_m", quantity=2, promotion_code=False) is None


def test_every_cancel_only_case_refuses_any_change() -> None:
    metered = price("price_api", "prod_api", 5, usage="metered")
    cases = [
        subscription(item(BASIC_M), item(PRO_M, item_id="si_2")),
        subscription(item(metered, None)),
        subscription(collection_method="send_invoice"),
    ]
    for sub in cases:
        refused = rules.check_change(
            assess(sub), price="price_pro_m", quantity=None, promotion_code=False
        )
        assert refused is not None and refused.code in rules.CANCEL_ONLY
    refused = rules.check_change(
        assess(pm=payment_method("ideal")), price=None, quantity=2, promotion_code=False
    )
    assert refused == rules.Limit(rules.UNSUPPORTED_PAYMENT_METHOD, "ideal")


# -- cancel and renew ----------------------------------------------------------------------------


def test_cancel_disabled_and_already_scheduled() -> None:
    assert codes(assess(config=configuration(cancel_enabled=False)).cancel_limits) == [
        rules.CANCEL_DISABLED
    ]
    scheduled = assess(subscription(cancel_at_period_end=True, cancel_at=1_800_000_000))
    assert codes(scheduled.cancel_limits) == [rules.CANCEL_SCHEDULED]
    assert scheduled.can_renew and rules.check_renew(scheduled) is None
    assert rules.CANCEL_SCHEDULED in codes(scheduled.update_limits)
    at = assess(subscription(cancel_at=1_800_000_000))
    assert at.can_renew
    assert rules.check_renew(assess()) == rules.Limit(rules.NOT_SCHEDULED_TO_CANCEL)


def test_cancel_feedback_must_be_an_offered_option() -> None:
    result = assess()
    assert rules.check_cancel(result, feedback="too_expensive") is None
    assert rules.check_cancel(result, feedback_option="bfo_custom") is None
    assert rules.check_cancel(result, feedback="unused") == rules.Limit(
        rules.FEEDBACK_NOT_OFFERED, "unused"
    )
    config = configuration()
    config["features"]["subscription_cancel"]["cancellation_reason"]["enabled"] = False
    assert rules.check_cancel(assess(config=config), feedback="too_expensive") is not None


def test_cancel_request_follows_the_mode() -> None:
    result = assess()
    op, params = rules.cancel_request(
        result, configuration(), feedback="too_expensive", feedback_option=None, comment="Pricey"
    )
    assert op == "PostSubscriptionsSubscriptionExposedId"
    assert params == {
        "cancel_at_period_end": True,
        "cancellation_details": {"comment": "Pricey", "feedback": "too_expensive"},
    }
    config = configuration(cancel_mode="immediately", cancel_proration_behavior="create_prorations")
    op, params = rules.cancel_request(
        result, config, feedback=None, feedback_option="bfo_custom", comment=None
    )
    assert op == "DeleteSubscriptionsSubscriptionExposedId"
    assert params == {"prorate": True, "cancellation_details": {"feedback_option": "bfo_custom"}}
    op, params = rules.cancel_request(
        result,
        configuration(cancel_mode="immediately"),
        feedback=None,
        feedback_option=None,
        comment=None,
    )
    assert params == {"prorate": False}


# -- parameters ----------------------------------------------------------------------------------


def test_update_params_carry_the_configuration() -> None:
    config = configuration(billing_cycle_anchor="now", proration_behavior="always_invoice")
    result = assess(config=config)
    params = rules.update_params(
        result, config, price="price_pro_m", quantity=2, promotion_code="promo_1"
    )
    assert params == {
        "items": [{"id": "si_1", "price": "price_pro_m", "quantity": 2}],
        "proration_behavior": "always_invoice",
        "billing_cycle_anchor": {"type": "now"},
        "discounts": [{"promotion_code": "promo_1"}],
    }
    preview = rules.preview_params(result, config, params)
    assert preview["subscription"] == "sub_1" and preview["customer"] == "cus_1"
    assert preview["discounts"] == [{"promotion_code": "promo_1"}]
    assert "discounts" not in preview["subscription_details"]
    assert preview["subscription_details"]["items"] == params["items"]


def test_schedule_at_period_end_conditions() -> None:
    none = configuration()
    assert not rules.deferred_to_period_end(none, PRO_M, 1, BASIC_M, 1)
    decreasing = configuration(
        schedule_at_period_end={"conditions": [{"type": "decreasing_item_amount"}]}
    )
    assert rules.deferred_to_period_end(decreasing, PRO_M, 1, BASIC_M, 1)
    assert rules.deferred_to_period_end(decreasing, BASIC_M, 3, BASIC_M, 2)
    assert not rules.deferred_to_period_end(decreasing, BASIC_M, 1, PRO_M, 1)
    shortening = configuration(
        schedule_at_period_end={"conditions": [{"type": "shortening_interval"}]}
    )
    assert rules.deferred_to_period_end(shortening, BASIC_Y, 1, BASIC_M, 1)
    assert not rules.deferred_to_period_end(shortening, BASIC_M, 1, BASIC_Y, 1)


def test_rules_never_change_their_inputs() -> None:
    sub, config = subscription(), configuration()
    before = copy.deepcopy((sub, config, CATALOG))
    result = assess(sub, config)
    rules.update_params(result, config, price="price_pro_m", quantity=2, promotion_code="p")
    rules.cancel_request(result, config, feedback="other", feedback_option=None, comment="x")
    assert (sub, config, CATALOG) == before


def test_a_deep_links_discount_is_a_change_of_its_own() -> None:
    result = assess(config=configuration(default_allowed_updates=["price"]))
    assert rules.check_change(result, price=None, quantity=None, promotion_code=False) == (
        rules.Limit(rules.NO_CHANGE)
    )
    assert (
        rules.check_change(
            result, price=None, quantity=None, promotion_code=False, merchant_discount=True
        )
        is None
    )
    params = rules.update_params(
        result,
        configuration(),
        price=None,
        quantity=None,
        discounts=[{"coupon": "co_1", "promotion_code": None}],
    )
    assert params["discounts"] == [{"coupon": "co_1"}]
    assert params["items"] == [{"id": "si_1"}]


def test_a_deferred_change_keeps_the_plan_until_the_period_ends() -> None:
    result = assess(subscription(item(PRO_M, quantity=2)))
    params = rules.schedule_params(result, price="price_basic_m", quantity=None)
    first, second = params["phases"]
    assert first == {
        "items": [{"price": "price_pro_m", "quantity": 2}],
        "end_date": 1_800_000_000 + 30 * 86400,
    }
    assert second["items"] == [{"price": "price_basic_m", "quantity": 2}]
    assert params["end_behavior"] == "release"
