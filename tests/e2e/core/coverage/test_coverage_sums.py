"""Coverage is the per-customer answers summed: on the demo data and on a generated account, the
counts computed from the subscriptions index by shape equal, action by action and reason by
reason, what ``customers show`` answers for each customer's subscriptions, one customer at a
time through the API."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import stripe

from console.configurations.model import configuration_from_stripe, edit
from console.configurations.rules import Catalogue
from console.configurations.transfer import load_catalogue
from console.coverage.counts import ALLOWED, Coverage, coverage_of
from console.coverage.impact import impact_of
from console.customers.support_card import PORTAL_ACTIONS, refusals
from console.customers.support_view import load_customer_view
from console.eligibility.rules import ENDED_STATUSES
from console.gateway.client import Gateway
from console.gateway.models import PortalConfigurationRecord
from console.index.subscription_sync import full_subscription_sync
from console.index.subscriptions_store import SubscriptionStore
from console.sandbox import Sandbox
from tests import builders
from tests.conftest import make_client

# (action, reason or ALLOWED) -> subscriptions
Tally = Counter[tuple[str, str]]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SubscriptionStore]:
    made = SubscriptionStore(tmp_path / "acct_x-test-subscriptions.sqlite3")
    yield made
    made.close()


async def _configurations(gateway: Gateway) -> list[PortalConfigurationRecord]:
    found: list[PortalConfigurationRecord] = []
    cursor: str | None = None
    while True:
        page = await gateway.list_portal_configurations(starting_after=cursor)
        found += page.data
        cursor = page.next_cursor
        if cursor is None:
            return found


async def _per_customer(
    gateway: Gateway, configuration_id: str, catalogue: Catalogue
) -> tuple[Tally, set[str]]:
    """Each customer's answers as ``customers show`` gives them, summed; and the subscriptions
    counted (not ended)."""
    tally: Tally = Counter()
    counted: set[str] = set()
    cursor: str | None = None
    while True:
        page = await gateway.list_customers(starting_after=cursor)
        for customer in page.data:
            view = await load_customer_view(
                gateway, customer.id, configuration_id=configuration_id, catalogue=catalogue
            )
            for sub in view.subscriptions:
                if sub.subscription.status in ENDED_STATUSES:
                    continue
                assert sub.eligibility is not None
                counted.add(sub.subscription.id)
                for action, codes in refusals(sub.subscription, sub.eligibility).items():
                    tally[(action, codes[0] if codes else ALLOWED)] += 1
        cursor = page.next_cursor
        if cursor is None:
            return tally, counted


def _tally(coverage: Coverage) -> Tally:
    tally: Tally = Counter()
    for action, counted in coverage.actions.items():
        if counted.allowed:
            tally[(action, ALLOWED)] = counted.allowed
        for reason, count in counted.refused.items():
            tally[(action, reason)] = count
    return tally


async def _check_every_configuration(gateway: Gateway, store: SubscriptionStore) -> set[str]:
    """Syncs the index, and for every configuration compares coverage with the per-customer
    answers; returns every reason seen."""
    await full_subscription_sync(store, gateway, restart=True)
    catalogue = await load_catalogue(gateway)
    shapes = store.shape_counts()
    seen: set[str] = set()
    records = await _configurations(gateway)
    assert records
    for record in records:
        coverage = coverage_of(
            shapes, configuration_from_stripe(record.raw), catalogue.prices, record.id
        )
        expected, counted = await _per_customer(gateway, record.id, catalogue)
        assert _tally(coverage) == expected, record.id
        assert coverage.subscriptions == len(counted)
        for action in PORTAL_ACTIONS:
            counts = coverage.actions[action]
            assert counts.allowed + counts.refused_total == coverage.subscriptions
            # The ids behind the allowed count are the subscriptions the customers' answers allow.
            behind = store.of_shapes(coverage.shapes_behind(action))
            assert len(behind) == counts.allowed
        seen.update(reason for _, reason in expected)
    return seen


@pytest.mark.asyncio
async def test_coverage_sums_the_demo_customers_answers(
    demo_sandbox: Sandbox, store: SubscriptionStore
) -> None:
    async with Gateway(
        demo_sandbox.api_key, base_url=demo_sandbox.url, requests_per_second=1000
    ) as gateway:
        seen = await _check_every_configuration(gateway, store)
    assert {"several_products", "metered_price", "send_invoice", ALLOWED} <= seen


def _generate(client: stripe.StripeClient, customers: int, seed: int) -> None:
    """An account of ``customers`` customers with subscriptions of every kind the portal tells
    apart, drawn at random, and a configuration that offers plan changes for one product."""
    rng = random.Random(seed)
    team = builders.product(client, "Team").id
    addon = builders.product(client, "Add-on").id
    usage = builders.product(client, "Usage").id
    exclusive: dict[str, Any] = {"tax_behavior": "exclusive"}
    metered: dict[str, Any] = {"usage_type": "metered", "meter": "mtr_x"}
    made = {
        "team_m": (2900, team, exclusive),
        "team_y": (29000, team, {**exclusive, "interval": "year"}),
        "team_eur": (2700, team, {**exclusive, "currency": "eur"}),
        "team_incl": (3100, team, {"tax_behavior": "inclusive"}),
        "team_plain": (2500, team, {}),
        "addon": (500, addon, exclusive),
        "usage": (20, usage, {**exclusive, "recurring": metered}),
    }
    prices = {
        name: builders.price(client, amount, product=product, **params).id
        for name, (amount, product, params) in made.items()
    }
    for _ in range(customers):
        customer = builders.customer(client, payment_method="pm_card_visa").id
        kind = rng.choice(["team", "team", "eur", "incl", "plain", "two", "usage", "yearly"])
        items = {
            "team": ["team_m"], "eur": ["team_eur"], "incl": ["team_incl"],
            "plain": ["team_plain"], "two": ["team_m", "addon"], "usage": ["usage"],
            "yearly": ["team_y"],
        }[kind]  # fmt: skip
        extra: dict[str, Any] = {}
        if rng.random() < 0.2:
            extra = {"collection_method": "send_invoice", "days_until_due": 30}
        if rng.random() < 0.2:
            extra["trial_period_days"] = 14
        sub = builders.subscribe(client, customer, *(prices[i] for i in items), **extra)
        roll = rng.random()
        if roll < 0.15:
            client.v1.subscriptions.update(sub.id, params={"cancel_at_period_end": True})
        elif roll < 0.25:
            client.v1.subscriptions.cancel(sub.id)
    client.v1.billing_portal.configurations.create(
        params={
            "features": {
                "subscription_update": {
                    "enabled": True,
                    "default_allowed_updates": ["price", "promotion_code"],
                    "products": [{"product": team, "prices": [prices["team_m"], prices["team_y"]]}],
                },
                "subscription_cancel": {"enabled": True, "mode": "at_period_end"},
                "subscription_pause": {"enabled": True},
            }
        }
    )


@pytest.mark.slow
@pytest.mark.asyncio
async def test_coverage_sums_a_generated_accounts_answers_and_impact_counts_the_change(
    fresh_sandbox: Sandbox, store: SubscriptionStore
) -> None:
    _generate(make_client(fresh_sandbox), customers=60, seed=19)
    async with Gateway(
        fresh_sandbox.api_key, base_url=fresh_sandbox.url, requests_per_second=1000
    ) as gateway:
        seen = await _check_every_configuration(gateway, store)
        assert {"several_products", "metered_price", "send_invoice", "currency_mismatch"} <= seen

        # Impact: letting customers change quantities too gains exactly the subscriptions whose
        # quantity answer turns from refused to allowed.
        record = (await _configurations(gateway))[0]
        catalogue = await load_catalogue(gateway)
        saved = configuration_from_stripe(record.raw)
        products = saved.features.subscription_update.products or ()
        adjustable = tuple(edit(entry, "adjustable_quantity.enabled", True) for entry in products)
        edited = edit(
            edit(saved, "features.subscription_update.products", adjustable),
            "features.subscription_update.default_allowed_updates",
            ("price", "quantity", "promotion_code"),
        )
        shapes = store.shape_counts()
        before = coverage_of(shapes, saved, catalogue.prices)
        after = coverage_of(shapes, edited, catalogue.prices)
        change = impact_of(before, after).actions["change_quantity"]
        assert before.actions["change_quantity"].allowed == 0
        assert change.gained == after.actions["change_quantity"].allowed > 0
        assert change.lost == 0
        assert impact_of(before, after).actions["switch_plan"].changed is False
