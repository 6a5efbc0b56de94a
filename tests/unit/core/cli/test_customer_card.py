"""``customers show``'s two outputs, text and JSON, from hand-built customer views."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from console.cli.customer_card import card_json, card_text
from console.configurations.model import (
    AdjustableQuantity,
    PortalConfiguration,
    UpdatableProduct,
    edit,
)
from console.customers.support_card import ACTION_WORDS, plan_words, support_card
from console.gateway.models import Price, PriceId, ProductId, SubscriptionId
from console.i18n import use_language
from tests.unit.core.factories import customer, customer_view, price, subscription

TEAM = price("price_team_m", "prod_team", product_name="Team", unit_amount=2900)
TEAM_YEARLY = price(
    "price_team_y", "prod_team", interval="year", product_name="Team", unit_amount=29000
)
SUPPORT = price("price_support", "prod_support", product_name="Priority Support")
PRICES: dict[PriceId, Price] = {p.id: p for p in (TEAM, TEAM_YEARLY, SUPPORT)}
PORTAL_KEYS = {
    "switch_plan",
    "change_quantity",
    "promotion_code",
    "cancel_at_period_end",
    "cancel_now",
    "pause",
    "renew",
}


def configuration() -> PortalConfiguration:
    config = PortalConfiguration()
    for path, value in {
        "features.subscription_update.enabled": True,
        "features.subscription_update.default_allowed_updates": ("price", "quantity"),
        "features.subscription_update.products": (
            UpdatableProduct(
                ProductId("prod_team"), (TEAM.id, TEAM_YEARLY.id), AdjustableQuantity(True, 1, 9)
            ),
        ),
        "features.subscription_cancel.enabled": True,
    }.items():
        config = edit(config, path, value)
    return config


def two_subscriptions() -> tuple[dict[str, Any], str]:
    view = customer_view(
        subscription(TEAM, id=SubscriptionId("sub_team")),
        subscription(TEAM, SUPPORT, id=SubscriptionId("sub_both"), status="past_due"),
        configuration=configuration(),
        prices=PRICES,
    )
    card = support_card(view)
    return card_json(card), card_text(card)


def test_json_has_exactly_the_documented_keys() -> None:
    data, _ = two_subscriptions()
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {"customer", "configuration", "subscriptions"}
    assert data["customer"] == {"id": "cus_1", "name": "Ada Lovelace", "email": "ada@example.com"}
    assert data["configuration"] == "bpc_1"
    subscriptions = data["subscriptions"]
    assert isinstance(subscriptions, list) and len(subscriptions) == 2
    for sub in subscriptions:
        assert set(sub) == {"id", "status", "product", "portal", "reasons"}
        assert set(sub["portal"]) == PORTAL_KEYS
        assert all(isinstance(v, bool) for v in sub["portal"].values())
        assert all(isinstance(r, str) and r.endswith(".") for r in sub["reasons"])


def test_json_answers_per_subscription() -> None:
    data, _ = two_subscriptions()
    team, both = data["subscriptions"]
    assert (team["id"], team["status"], team["product"]) == ("sub_team", "active", "Team")
    assert team["portal"] == {
        "switch_plan": True,
        "change_quantity": True,
        "promotion_code": False,
        "cancel_at_period_end": True,
        "cancel_now": False,
        "pause": False,
        "renew": False,
    }
    assert "Applying promotion codes is not allowed in this configuration." in team["reasons"]
    assert "Pausing is switched off in this portal configuration." in team["reasons"]
    assert both["product"] == "Team + Priority Support" and both["status"] == "past_due"
    assert not both["portal"]["switch_plan"] and both["portal"]["cancel_at_period_end"]
    assert any("2 products" in r and "prod_" not in r for r in both["reasons"])


def test_text_titles_subscriptions_by_product_and_answers_each_action() -> None:
    _, text = two_subscriptions()
    lines = text.splitlines()
    assert lines[0] == "Ada Lovelace <ada@example.com>  cus_1"
    assert lines[1] == "Portal configuration: Everything on (bpc_1, the default)"
    titles = [line for line in lines if line and not line.startswith(" ")][2:]
    assert titles == ["Team  (sub_team)", "Team + Priority Support  (sub_both)"]
    assert "  Status: Past due: the latest payment failed" in lines
    assert "  Plan: Team, $29.00 per month; Priority Support, $10.00 per month" in lines
    team = lines[
        lines.index("Team  (sub_team)") : lines.index("Team + Priority Support  (sub_both)")
    ]
    answers = {
        words: next(line for line in team if line.startswith(f"    {words} "))
        for words in ACTION_WORDS.values()
    }
    assert answers["Switch plan"].rstrip().endswith("yes")
    assert " no   Applying promotion codes is not allowed" in answers["Apply a promotion code"]
    assert " no   Pausing is switched off" in answers["Pause"]
    # The same reasons on the next line are not printed twice.
    both = lines[lines.index("Team + Priority Support  (sub_both)") :]
    assert sum("(as above)" in line for line in both) == 2
    assert "sub_" not in "".join(line for line in lines if line.startswith("    "))


def test_text_without_a_configuration_or_subscriptions() -> None:
    empty = card_text(support_card(customer_view(configuration=None, prices=PRICES)))
    assert "Portal configuration: none." in empty and "no portal configuration yet" in empty
    assert empty.endswith("No subscriptions.")
    unconfigured = card_text(
        support_card(customer_view(subscription(TEAM), configuration=None, prices=PRICES))
    )
    assert "In the portal:" not in unconfigured and "Team  (sub_1)" in unconfigured


def test_text_for_a_customer_without_name_or_email_and_a_named_configuration_absent() -> None:
    view = customer_view(
        configuration=configuration(), prices=PRICES, who=customer(name=None, email=None), name=None
    )
    lines = card_text(support_card(view)).splitlines()
    assert lines[:2] == ["(no name)  cus_1", "Portal configuration: (bpc_1, the default)"]


def test_plan_words() -> None:
    metered = price("price_calls", "prod_calls", usage_type="metered", product_name="API Calls",
                    unit_amount=20)  # fmt: skip
    quarterly = price("price_q", interval="month", interval_count=3, product_name="Starter")
    yen = price("price_jpy", currency="jpy", unit_amount=1200, product_name="Team")
    assert plan_words(subscription(metered)) == "API Calls, $0.20 per unit used, billed every month"
    assert plan_words(subscription(quarterly)) == "Starter, $10.00 per 3 months"
    assert plan_words(subscription(yen)) == "Team, ¥1,200 per month"
    (item,) = subscription(TEAM).items
    five = subscription(TEAM, items=(dataclasses.replace(item, quantity=5),))
    assert plan_words(five) == "Team, $29.00 per month, quantity 5"


def test_text_keeps_reasons_that_belong_to_no_line() -> None:
    inclusive = price("price_incl", "prod_team", tax_behavior="inclusive", product_name="Team")
    config = edit(
        configuration(),
        "features.subscription_update.products",
        (UpdatableProduct(ProductId("prod_team"), (TEAM.id, TEAM_YEARLY.id, inclusive.id)),),
    )
    view = customer_view(
        subscription(TEAM), configuration=config, prices={**PRICES, inclusive.id: inclusive}
    )
    lines = card_text(support_card(view)).splitlines()
    assert any(line.startswith("    Switch plan") and line.endswith("yes") for line in lines)
    also = [line for line in lines if line.startswith("  Also: ")]
    assert len(also) == 1 and "tax-inclusive" in also[0]


def test_text_in_german() -> None:
    use_language("de")
    _, text = two_subscriptions()
    lines = text.splitlines()
    assert lines[1] == "Portalkonfiguration: Everything on (bpc_1, die Standardkonfiguration)"
    assert "  Status: Überfällig: die letzte Zahlung ist fehlgeschlagen" in lines
    assert "  Tarif: Team, 29,00\xa0$ pro Monat; Priority Support, 10,00\xa0$ pro Monat" in lines
    assert any(line.startswith("    Tarif wechseln") and line.endswith("ja") for line in lines)
    assert any(
        line.startswith("    Pausieren") and "nein  Pausieren ist in dieser" in line
        for line in lines
    )
