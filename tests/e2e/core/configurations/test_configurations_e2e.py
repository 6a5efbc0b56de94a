"""Configuration rules against the sandbox through the real gateway: save, both-refuse table,
export/import round trip and copy to a connected account."""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import stripe

from console.cli import configs as cli
from console.configurations.model import (
    PauseInterval,
    PortalConfiguration,
    UpdatableProduct,
    configuration_from_stripe,
    configuration_to_stripe,
    create_params,
    edit,
    with_metadata,
)
from console.configurations.rules import validate
from console.configurations.transfer import copy_configuration, load_catalogue, save
from console.errors import StripeApiError
from console.gateway.client import Gateway
from console.gateway.models import PriceId, ProductId
from tests import builders

P = "features[subscription_update][products]"


async def default_configuration(gateway: Gateway) -> PortalConfiguration:
    page = await gateway.list_portal_configurations()
    return configuration_from_stripe(next(r for r in page.data if r.is_default).raw)


@pytest.mark.asyncio
async def test_demo_configurations_parse_round_trip_and_pass_the_rules(gateway: Gateway) -> None:
    catalogue = await load_catalogue(gateway)
    page = await gateway.list_portal_configurations()
    assert len(page.data) >= 3
    for record in page.data:
        config = configuration_from_stripe(record.raw)
        assert configuration_to_stripe(config) == dict(record.raw)
        assert validate(config, catalogue) == [], record.id


@pytest.mark.asyncio
async def test_save_sends_only_the_changed_fields(gateway: Gateway) -> None:
    catalogue = await load_catalogue(gateway)
    base = dataclasses.replace(await default_configuration(gateway), id=None, is_default=False)
    created = await save(gateway, None, with_metadata(base, "team", "ops"), catalogue)
    assert created.ok and created.saved is not None
    original = created.saved

    edited = edit(original, "business_profile.headline", "Manage your Acme plan")
    edited = edit(edited, "features.subscription_cancel.mode", "immediately")
    edited = with_metadata(edited, "team", None)
    result = await save(gateway, original, edited, catalogue)
    assert result.ok and result.saved is not None
    assert result.sent == {
        "business_profile": {"headline": "Manage your Acme plan"},
        "metadata": {"team": ""},
        "features": {"subscription_cancel": {"mode": "immediately"}},
    }
    assert result.saved.business_profile.headline == "Manage your Acme plan"
    assert "team" not in (result.saved.metadata or {})

    events = await gateway.list_events(types=["billing_portal.configuration.updated"], limit=10)
    mine = [e for e in events.data if e.data_object.get("id") == original.id]
    previous = mine[0].previous_attributes or {}
    # Stripe reports what changed: nothing beyond the three edits (and the updated stamp).
    assert set(previous) - {"updated"} == {"business_profile", "features", "metadata"}
    assert set(previous["features"]) == {"subscription_cancel"}
    assert set(previous["business_profile"]) == {"headline"}

    unchanged = await save(gateway, result.saved, result.saved, catalogue)
    assert unchanged.ok and unchanged.sent == {}


@pytest.mark.asyncio
async def test_a_stripe_refusal_keeps_the_edits_and_names_the_field(gateway: Gateway) -> None:
    catalogue = await load_catalogue(gateway)
    original = await default_configuration(gateway)
    # A feedback option id that does not exist: only Stripe can know.
    edited = edit(
        original, "features.subscription_cancel.cancellation_reason.feedback_options", ("bfo_nope",)
    )
    edited = edit(edited, "features.subscription_cancel.cancellation_reason.enabled", True)
    edited = edit(edited, "features.subscription_cancel.cancellation_reason.options", ("other",))
    result = await save(gateway, original, edited, catalogue)
    assert not result.ok
    assert result.edited == edited
    assert result.problems[0].param.startswith(
        "features[subscription_cancel][cancellation_reason][feedback_options]"
    )


@pytest.fixture
def shop(demo_client: stripe.StripeClient) -> dict[str, str]:
    """A product with monthly, second monthly, yearly, one-time and archived prices."""
    product = demo_client.v1.products.create(params={"name": "Rules test"})
    other = demo_client.v1.products.create(params={"name": "Rules other"})

    def make(key: str, **extra: object) -> str:
        params = {"product": product.id, "currency": "usd", "unit_amount": 500, **extra}
        return demo_client.v1.prices.create(params=params).id  # type: ignore[arg-type]

    archived = make("archived", recurring={"interval": "week"})
    demo_client.v1.prices.update(archived, params={"active": False})
    return {
        "product": product.id,
        "other_product": other.id,
        "monthly": make("monthly", recurring={"interval": "month"}),
        "monthly2": make("monthly2", recurring={"interval": "month"}, unit_amount=900),
        "yearly": make("yearly", recurring={"interval": "year"}),
        "once": make("once"),
        "archived": archived,
        "other_price": builders.price(demo_client, 100, product=other.id, interval="day").id,
    }


def offering(shop: dict[str, str], *price_keys: str) -> PortalConfiguration:
    config = edit(PortalConfiguration(), "features.subscription_update.enabled", True)
    config = edit(config, "features.subscription_update.default_allowed_updates", ("price",))
    prices = tuple(PriceId(shop[k]) for k in price_keys)
    return edit(
        config,
        "features.subscription_update.products",
        (UpdatableProduct(ProductId(shop["product"]), prices),),
    )


Case = Callable[[dict[str, str]], PortalConfiguration]
INVALID: list[tuple[str, Case, str]] = [
    (
        "eleven products",
        lambda s: edit(
            PortalConfiguration(),
            "features.subscription_update.products",
            tuple(
                UpdatableProduct(ProductId(s["product"]), (PriceId(s["monthly"]),))
                for _ in range(11)
            ),
        ),
        P,
    ),
    ("same interval twice", lambda s: offering(s, "monthly", "monthly2"), f"{P}[0][prices]"),
    ("one-time price", lambda s: offering(s, "monthly", "once"), f"{P}[0][prices][1]"),
    ("archived price", lambda s: offering(s, "monthly", "archived"), f"{P}[0][prices][1]"),
    (
        "other product's price",
        lambda s: offering(s, "monthly", "other_price"),
        f"{P}[0][prices][1]",
    ),
    (
        "headline of 61",
        lambda s: edit(PortalConfiguration(), "business_profile.headline", "h" * 61),
        "business_profile[headline]",
    ),
    ("name of 257", lambda s: PortalConfiguration(name="n" * 257), "name"),
    (
        "privacy URL",
        lambda s: edit(PortalConfiguration(), "business_profile.privacy_policy_url", "acme"),
        "business_profile[privacy_policy_url]",
    ),
    (
        "return URL",
        lambda s: PortalConfiguration(default_return_url="not a url"),
        "default_return_url",
    ),
    (
        "updates on, nothing allowed",
        lambda s: edit(
            offering(s, "monthly"), "features.subscription_update.default_allowed_updates", ()
        ),
        "features[subscription_update][default_allowed_updates]",
    ),
    (
        "updates on, no products",
        lambda s: edit(offering(s, "monthly"), "features.subscription_update.products", ()),
        P,
    ),
    (
        "reasons on, none offered",
        lambda s: edit(
            PortalConfiguration(), "features.subscription_cancel.cancellation_reason.enabled", True
        ),
        "features[subscription_cancel][cancellation_reason][options]",
    ),
    (
        "prorations at period end",
        lambda s: edit(
            PortalConfiguration(),
            "features.subscription_cancel.proration_behavior",
            "create_prorations",
        ),
        "features[subscription_cancel][proration_behavior]",
    ),
    (
        "always_invoice on cancel",
        lambda s: edit(
            edit(PortalConfiguration(), "features.subscription_cancel.mode", "immediately"),
            "features.subscription_cancel.proration_behavior",
            "always_invoice",
        ),
        "features[subscription_cancel][proration_behavior]",
    ),
    (
        "pause of 37 months",
        lambda s: edit(
            edit(PortalConfiguration(), "features.subscription_pause.enabled", True),
            "features.subscription_pause.duration.interval_options",
            (PauseInterval("month", 37),),
        ),
        "features[subscription_pause][duration][interval_options][0][interval_count]",
    ),
    (
        "metadata value of 501",
        lambda s: with_metadata(PortalConfiguration(), "note", "x" * 501),
        "metadata[note]",
    ),
]


@pytest.mark.asyncio
@pytest.mark.parametrize(("case", "build", "param"), INVALID, ids=[c[0] for c in INVALID])
async def test_both_refuse_with_the_same_param(
    gateway: Gateway, shop: dict[str, str], case: str, build: Case, param: str
) -> None:
    config = build(shop)
    catalogue = await load_catalogue(gateway)
    ours = [p.param for p in validate(config, catalogue)]
    assert param in ours, f"{case}: our rules said {ours}"
    with pytest.raises(StripeApiError) as refused:
        await gateway.create_portal_configuration(create_params(config))
    assert refused.value.param == param, f"{case}: sandbox said {refused.value!r}"


@pytest.mark.asyncio
async def test_what_our_rules_accept_the_sandbox_accepts(
    gateway: Gateway, shop: dict[str, str]
) -> None:
    config = offering(shop, "monthly", "yearly")
    config = edit(config, "features.subscription_cancel.enabled", True)
    config = edit(config, "features.subscription_cancel.mode", "immediately")
    config = edit(config, "features.subscription_cancel.proration_behavior", "create_prorations")
    config = edit(config, "features.subscription_cancel.cancellation_reason.enabled", True)
    config = edit(config, "features.subscription_cancel.cancellation_reason.options", ("unused",))
    config = edit(config, "features.subscription_pause.enabled", True)
    config = edit(
        config, "features.subscription_pause.duration.interval_options", (PauseInterval("year", 3),)
    )
    config = dataclasses.replace(config, name="n" * 256, default_return_url="http://localhost/x")
    config = edit(config, "business_profile.headline", "h" * 60)
    config = with_metadata(config, "k" * 40, "v" * 500)
    result = await save(gateway, None, config, await load_catalogue(gateway))
    assert result.problems == () and result.saved is not None
    assert result.saved.features.subscription_pause.duration.interval_options == (
        PauseInterval("year", 3),
    )


@pytest.mark.asyncio
async def test_export_then_import_round_trip(gateway: Gateway, tmp_path: Path) -> None:
    original = await default_configuration(gateway)
    assert original.id is not None
    path = tmp_path / "portal.json"
    assert await cli.configs_export(gateway, original.id, path) == 0
    document = json.loads(path.read_text("utf-8"))
    assert document["configuration"]["id"] == original.id
    assert {p["name"] for p in document["products"]} == {"Starter", "Team", "Business"}

    # Same account: importing the unchanged file is a no-op update of the same configuration.
    assert await cli.configs_import(gateway, path, dry_run=False) == 0
    # Edited file: only the edit is sent.
    document["configuration"]["business_profile"]["headline"] = "From the file"
    path.write_text(json.dumps(document), "utf-8")
    assert await cli.configs_import(gateway, path, dry_run=False) == 0
    record = await gateway.retrieve_portal_configuration(original.id)
    assert record.raw["business_profile"]["headline"] == "From the file"

    # A broken file changes nothing and reports every problem.
    document["configuration"]["name"] = "n" * 300
    document["configuration"]["default_return_url"] = "nope"
    path.write_text(json.dumps(document), "utf-8")
    err = io.StringIO()
    assert await cli.configs_import(gateway, path, dry_run=False, err=err) == 1
    assert "name:" in err.getvalue() and "default_return_url:" in err.getvalue()


@pytest.mark.asyncio
async def test_copy_to_a_connected_account_maps_or_reports_every_price(
    gateway: Gateway, demo_client: stripe.StripeClient
) -> None:
    original = await default_configuration(gateway)
    assert original.id is not None
    connected_id = (await gateway.list_connected_accounts()).data[0].id
    target = gateway.for_connected_account(connected_id)

    # The connected account has none of the platform's prices: nothing is created, all reported.
    refused = await copy_configuration(gateway, original.id, target)
    assert refused.save is None and refused.mapping is not None
    unmapped = {u.source for u in refused.mapping.unmapped if u.kind == "price"}
    assert unmapped == {
        p for e in original.features.subscription_update.products or () for p in e.prices
    }
    assert all("lookup key" in u.reason for u in refused.mapping.unmapped if u.kind == "price")

    # Give it the same lookup keys: the copy maps by lookup key and is created there.
    catalogue = await load_catalogue(gateway)
    options: stripe.RequestOptions = {"stripe_account": connected_id}
    for entry in original.features.subscription_update.products or ():
        name = catalogue.products[entry.product]
        product = demo_client.v1.products.create(params={"name": name or "x"}, options=options)
        for price_id in entry.prices:
            price = catalogue.prices[price_id]
            demo_client.v1.prices.create(
                params={
                    "product": product.id,
                    "currency": price.currency,
                    "unit_amount": price.unit_amount or 0,
                    "recurring": {"interval": price.recurring_interval},  # type: ignore[typeddict-item]
                    "lookup_key": price.lookup_key or "",
                    "tax_behavior": price.tax_behavior,  # type: ignore[typeddict-item]
                },
                options=options,
            )
    copied = await copy_configuration(gateway, original.id, target)
    assert copied.problems == (), copied.problems
    assert copied.save is not None and copied.save.saved is not None
    assert copied.mapping is not None
    assert {m.how for m in copied.mapping.mapped if m.kind == "price"} == {"lookup_key"}
    there = await load_catalogue(target)
    made = copied.save.saved.features.subscription_update.products or ()
    assert all(p in there.prices for entry in made for p in entry.prices)
    assert len(made) == len(original.features.subscription_update.products or ())
