"""The support card: per portal action, yes or no and the reasons, from hand-built views."""

from __future__ import annotations

import dataclasses

import pytest

from console.configurations.model import (
    AdjustableQuantity,
    PortalConfiguration,
    UpdatableProduct,
    edit,
)
from console.customers.support_card import (
    ACTIONS_BY_REASON,
    PORTAL_ACTIONS,
    ActionVerdict,
    no_configuration,
    status_words,
    subscription_card,
    support_card,
)
from console.customers.support_view import SubscriptionView
from console.eligibility.rules import evaluate
from console.gateway.models import Price, PriceId, ProductId
from console.i18n import use_language
from tests.unit.core.factories import customer_view, price, subscription

TEAM = price("price_team_m", "prod_team", product_name="Team")
TEAM_YEARLY = price("price_team_y", "prod_team", interval="year", product_name="Team")
SUPPORT = price("price_support", "prod_support", product_name="Priority Support")
TEAM_EUR = price("price_team_eur", "prod_team", currency="eur", product_name="Team")
METERED = price("price_calls", "prod_calls", usage_type="metered", product_name="API Calls")
PRICES: dict[PriceId, Price] = {p.id: p for p in (TEAM, TEAM_YEARLY, SUPPORT, TEAM_EUR, METERED)}
DAY = 86_400


def everything_on(**updates: object) -> PortalConfiguration:
    """Plan changes for Team (monthly, yearly; quantity adjustable), cancel at period end, pause:
    all on."""
    settings: dict[str, object] = {
        "features.subscription_update.enabled": True,
        "features.subscription_update.default_allowed_updates": (
            "price",
            "quantity",
            "promotion_code",
        ),
        "features.subscription_update.products": (
            UpdatableProduct(
                ProductId("prod_team"), (TEAM.id, TEAM_YEARLY.id), AdjustableQuantity(True, 1, 20)
            ),
        ),
        "features.subscription_cancel.enabled": True,
        "features.subscription_pause.enabled": True,
    }
    settings.update({path.replace("__", "."): value for path, value in updates.items()})
    config = PortalConfiguration()
    for path, value in settings.items():
        config = edit(config, path, value)
    return config


def one(config: PortalConfiguration | None, *prices: Price, **changes: object) -> SubscriptionView:
    view = customer_view(subscription(*prices, **changes), configuration=config, prices=PRICES)
    return view.subscriptions[0]


def verdicts(view: SubscriptionView) -> dict[str, ActionVerdict]:
    return {v.action: v for v in subscription_card(view).verdicts}


def test_a_plain_subscription_answers_every_action_in_order() -> None:
    card = subscription_card(one(everything_on(), TEAM))
    assert [v.action for v in card.verdicts] == list(PORTAL_ACTIONS)
    assert {v.action: v.allowed for v in card.verdicts} == {
        "switch_plan": True,
        "change_quantity": True,
        "promotion_code": True,
        "cancel_at_period_end": True,
        "cancel_now": False,
        "pause": True,
        "renew": False,
    }
    assert all(v.reasons == () for v in card.verdicts if v.allowed)
    # A "no" always says why, even where the rules give no reason of their own.
    found = {v.action: v.reasons for v in card.verdicts}
    assert found["cancel_now"] == (
        "This configuration cancels at the end of the billing period, not at once.",
    )
    assert found["renew"] == (
        "The subscription is not set to end: there is no cancellation to undo.",
    )
    assert card.product == "Team" and card.status == "Active"


def test_cancel_only_subscription_names_its_products_not_their_ids() -> None:
    found = verdicts(one(everything_on(), TEAM, SUPPORT))
    for action in ("switch_plan", "change_quantity", "promotion_code"):
        assert not found[action].allowed
        (reason,) = found[action].reasons
        assert "Team" in reason and "Priority Support" in reason and "prod_" not in reason
    assert found["cancel_at_period_end"].allowed
    assert subscription_card(one(everything_on(), TEAM, SUPPORT)).product == (
        "Team + Priority Support"
    )


def test_a_metered_price_is_named_by_its_nickname() -> None:
    named = dataclasses.replace(METERED, nickname="API calls, per 1k")
    card = subscription_card(one(everything_on(), named))
    assert any('"API calls, per 1k"' in r for r in card.reasons)
    assert not any("price_calls" in r or "prod_calls" in r for r in card.reasons)


def test_prices_in_another_currency_are_one_sentence() -> None:
    card = subscription_card(one(everything_on(), TEAM_EUR))
    (switch,) = [v for v in card.verdicts if v.action == "switch_plan"]
    assert not switch.allowed
    (reason,) = switch.reasons
    assert reason.startswith("2 of the prices") and "EUR" in reason and "price_" not in reason
    assert card.reasons.count(reason) == 1


def test_pause_off_is_the_pause_line_reason() -> None:
    off = verdicts(one(everything_on(features__subscription_pause__enabled=False), TEAM))
    assert off["pause"].reasons == ("Pausing is switched off in this portal configuration.",)
    past_due = verdicts(one(everything_on(), TEAM, status="past_due"))
    assert not past_due["pause"].allowed and "past due" in past_due["pause"].reasons[0]


def test_a_subscription_set_to_end_offers_renew_and_says_why_not_cancel() -> None:
    view = one(everything_on(), TEAM, cancel_at_period_end=True)
    found = verdicts(view)
    assert found["renew"].allowed
    assert not found["cancel_at_period_end"].allowed and not found["cancel_now"].allowed
    assert "already set to end" in found["cancel_now"].reasons[0]
    assert "set to end" in found["pause"].reasons[0]


def test_without_a_configuration_every_action_is_no_with_one_reason() -> None:
    view = customer_view(subscription(TEAM), configuration=None, prices=PRICES)
    card = support_card(view)
    assert card.configuration_id is None
    (sub,) = card.subscriptions
    assert all(not v.allowed and v.reasons == (no_configuration(),) for v in sub.verdicts)
    assert sub.reasons == (no_configuration(),)


def test_an_ended_subscription_gives_the_same_reason_everywhere() -> None:
    found = verdicts(one(everything_on(), TEAM, status="canceled"))
    assert {v.reasons for v in found.values()} == {
        ("The subscription is canceled: there is nothing left to change or cancel in the portal.",)
    }


def test_a_schedule_blocks_cancel_and_renew_and_says_so() -> None:
    found = verdicts(one(everything_on(), TEAM, schedule_id="sub_sched_1"))
    assert not found["cancel_at_period_end"].allowed and not found["pause"].allowed
    assert "schedule" in found["cancel_at_period_end"].reasons[0]
    ending = verdicts(
        one(everything_on(), TEAM, schedule_id="sub_sched_1", cancel_at_period_end=True)
    )
    assert not ending["renew"].allowed
    assert "schedule" in ending["renew"].reasons[0] and "undo" in ending["renew"].reasons[0]


def test_quantity_needs_the_product_adjustable() -> None:
    config = everything_on(
        features__subscription_update__products=(
            UpdatableProduct(ProductId("prod_team"), (TEAM.id, TEAM_YEARLY.id)),
        )
    )
    found = verdicts(one(config, TEAM))
    assert found["switch_plan"].allowed and not found["change_quantity"].allowed
    assert "quantity" in found["change_quantity"].reasons[0]


def test_the_card_speaks_the_users_language() -> None:
    use_language("de")
    card = subscription_card(one(everything_on(), TEAM, status="past_due"))
    assert card.status == "Überfällig: die letzte Zahlung ist fehlgeschlagen"
    found = {v.action: v for v in card.verdicts}
    assert found["cancel_now"].reasons[0].startswith("Diese Konfiguration")
    assert "überfällig" in found["pause"].reasons[0]


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"status": "active"}, "Active"),
        ({"status": "past_due"}, "Past due: the latest payment failed"),
        ({"status": "trialing", "trial_end": 20 * DAY}, "Trialing until Jan 21, 1970"),
        ({"cancel_at_period_end": True}, "Active, set to cancel on Jan 1, 1970"),
        ({"cancel_at": 40 * DAY}, "Active, set to cancel on Feb 10, 1970"),
        ({"status": "canceled", "cancel_at_period_end": True}, "Canceled"),
        ({"status": "something_new"}, "something new"),
    ],
)
def test_status_in_words(changes: dict[str, object], words: str) -> None:
    assert status_words(subscription(TEAM, **changes)) == words


def test_every_reason_the_rules_give_belongs_to_an_action() -> None:
    """Every code from a wide set of cases is mapped, so no reason lands on the wrong line."""
    config = everything_on()
    cases = [
        subscription(TEAM, SUPPORT),
        subscription(METERED),
        subscription(TEAM, collection_method="send_invoice", schedule_id="sub_sched_1"),
        subscription(TEAM, default_payment_method_type="klarna", pending_update=True),
        subscription(TEAM, cancel_at_period_end=True),
        subscription(TEAM, status="canceled"),
        subscription(TEAM, status="paused"),
        subscription(TEAM, status="past_due"),
        subscription(TEAM_EUR),
        subscription(price("price_legacy", "prod_team", tax_behavior="unspecified")),
        subscription(price("price_incl", "prod_team", tax_behavior="inclusive")),
        subscription(SUPPORT),
    ]
    configs = [
        config,
        everything_on(features__subscription_update__enabled=False),
        everything_on(features__subscription_update__default_allowed_updates=()),
        everything_on(features__subscription_cancel__enabled=False),
        everything_on(features__subscription_pause__enabled=False),
        everything_on(
            features__subscription_update__products=(
                UpdatableProduct(ProductId("prod_team"), (TEAM.id,)),
            )
        ),
        everything_on(
            features__subscription_update__products=(
                UpdatableProduct(ProductId("prod_team"), (TEAM.id, PriceId("price_gone"))),
            )
        ),
    ]
    codes = {
        code for sub in cases for c in configs for code in evaluate(sub, c, PRICES).reason_codes()
    }
    assert len(codes) >= 20
    assert codes <= set(ACTIONS_BY_REASON), codes - set(ACTIONS_BY_REASON)


def test_dates_in_the_status_follow_the_language() -> None:
    use_language("de")
    words = status_words(subscription(TEAM, cancel_at=40 * DAY))
    assert "10.02.1970" in words
