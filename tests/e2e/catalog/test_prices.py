"""Prices through the official stripe library, against the sandbox."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, cast

import pytest
import stripe

from tests import builders

# -- prices -----------------------------------------------------------------------------------


def test_one_time_price_defaults(client: stripe.StripeClient) -> None:
    product = builders.product(client)
    price = builders.price(
        client, product=product.id, interval=None, nickname="Once", metadata={"k": "v"}
    )
    assert price.id.startswith("price_")
    assert price.type == "one_time"
    assert price.recurring is None
    assert price.billing_scheme == "per_unit"
    assert price.tax_behavior == "unspecified"
    assert str(price.unit_amount_decimal) == "1000"
    assert price.lookup_key is None
    assert price.nickname == "Once"
    assert "tiers" not in price
    assert "currency_options" not in price
    assert len(builders.events(client, "price.created", price.id)) == 1


def test_unit_amount_decimal_with_fraction(client: stripe.StripeClient) -> None:
    product = builders.product(client)
    price = client.v1.prices.create(
        params={"product": product.id, "currency": "usd", "unit_amount_decimal": Decimal("12.50")}
    )
    assert price.unit_amount is None
    assert str(price.unit_amount_decimal) == "12.5"
    both = builders.refused(
        lambda: client.v1.prices.create(
            params={
                "product": product.id,
                "currency": "usd",
                "unit_amount": 1,
                "unit_amount_decimal": Decimal("1"),
            }
        )
    )
    assert both.code == "parameters_exclusive"
    assert both.param == "unit_amount"
    none = builders.refused(
        lambda: client.v1.prices.create(params={"product": product.id, "currency": "usd"})
    )
    assert none.code == "parameter_missing"
    assert none.param == "unit_amount"


def test_recurring_price_fields(client: stripe.StripeClient) -> None:
    product = builders.product(client)
    price = builders.price(
        client,
        product=product.id,
        interval=None,
        recurring={"interval": "week", "interval_count": 2, "trial_period_days": 7},
    )
    assert price.type == "recurring"
    assert price.recurring is not None
    assert price.recurring.to_dict() == {
        "interval": "week",
        "interval_count": 2,
        "meter": None,
        "trial_period_days": 7,
        "usage_type": "licensed",
    }
    too_long = builders.refused(
        lambda: builders.price(
            client,
            product=product.id,
            interval=None,
            recurring={"interval": "month", "interval_count": 37},
        )
    )
    assert too_long.param == "recurring[interval_count]"


def test_metered_price_needs_a_meter(client: stripe.StripeClient) -> None:
    product = builders.product(client)
    error = builders.refused(
        lambda: builders.price(
            client,
            product=product.id,
            interval=None,
            recurring={"interval": "month", "usage_type": "metered"},
        )
    )
    assert error.code == "parameter_missing"
    assert error.param == "recurring[meter]"
    metered = builders.price(
        client,
        product=product.id,
        interval=None,
        recurring={"interval": "month", "usage_type": "metered", "meter": "mtr_test_1"},
    )
    assert metered.recurring is not None
    assert metered.recurring.usage_type == "metered"
    assert metered.recurring.meter == "mtr_test_1"
    filtered = client.v1.prices.list(
        params={"product": product.id, "recurring": {"usage_type": "metered"}}
    )
    assert [p.id for p in filtered.data] == [metered.id]


def test_product_data_creates_the_product(client: stripe.StripeClient) -> None:
    price = client.v1.prices.create(
        params={
            "currency": "usd",
            "unit_amount": 700,
            "product_data": {"name": "Made with its price", "unit_label": "box"},
        }
    )
    assert isinstance(price.product, str)
    product = client.v1.products.retrieve(price.product)
    assert product.name == "Made with its price"
    assert product.unit_label == "box"
    assert len(builders.events(client, "product.created", product.id)) == 1


def test_product_reference_errors(client: stripe.StripeClient) -> None:
    product = builders.product(client)
    both = builders.refused(
        lambda: client.v1.prices.create(
            params={
                "product": product.id,
                "product_data": {"name": "x"},
                "currency": "usd",
                "unit_amount": 1,
            }
        )
    )
    assert both.code == "parameters_exclusive"
    assert both.param == "product"
    neither = builders.refused(
        lambda: client.v1.prices.create(params={"currency": "usd", "unit_amount": 1})
    )
    assert neither.code == "parameter_missing"
    assert neither.param == "product"
    missing = builders.refused(
        lambda: builders.price(client, product="prod_missing", interval=None)
    )
    assert missing.code == "resource_missing"
    assert missing.param == "product"
    archived = builders.product(client, active=False)
    inactive = builders.refused(lambda: builders.price(client, product=archived.id, interval=None))
    assert inactive.code == "product_inactive"
    assert inactive.param == "product"
    assert client.v1.prices.list(params={"product": archived.id}).data == []
    # An archived price (what inline price_data makes) may belong to an archived product.
    shelved = builders.price(client, product=archived.id, interval=None, active=False)
    assert shelved.product == archived.id


def test_tiers_only_when_expanded(client: stripe.StripeClient) -> None:
    product = builders.product(client)
    price = client.v1.prices.create(
        params={
            "product": product.id,
            "currency": "usd",
            "billing_scheme": "tiered",
            "tiers_mode": "graduated",
            "tiers": [
                {"up_to": 10, "unit_amount": 500},
                {"up_to": "inf", "unit_amount_decimal": Decimal("250.5"), "flat_amount": 100},
            ],
            "recurring": {"interval": "month"},
        }
    )
    assert price.billing_scheme == "tiered"
    assert price.tiers_mode == "graduated"
    assert price.unit_amount is None
    assert "tiers" not in price
    expanded = client.v1.prices.retrieve(price.id, params={"expand": ["tiers"]})
    assert expanded.tiers is not None
    assert [t.to_dict() for t in expanded.tiers] == [
        {
            "flat_amount": None,
            "flat_amount_decimal": None,
            "unit_amount": 500,
            "unit_amount_decimal": Decimal("500"),
            "up_to": 10,
        },
        {
            "flat_amount": 100,
            "flat_amount_decimal": Decimal("100"),
            "unit_amount": None,
            "unit_amount_decimal": Decimal("250.5"),
            "up_to": None,
        },
    ]
    listed = client.v1.prices.list(params={"product": product.id, "expand": ["data.tiers"]})
    assert len(listed.data[0].tiers or []) == 2


def test_tier_rules(client: stripe.StripeClient) -> None:
    product = builders.product(client)
    base: Any = {
        "product": product.id,
        "currency": "usd",
        "billing_scheme": "tiered",
        "tiers_mode": "volume",
    }

    def attempt(**extra: Any) -> stripe.InvalidRequestError:
        body: Any = {**base, **extra}
        return builders.refused(lambda: client.v1.prices.create(params=body))

    no_tiers = attempt()
    assert no_tiers.code == "parameter_missing"
    assert no_tiers.param == "tiers"
    open_end = attempt(tiers=[{"up_to": 5, "unit_amount": 1}])
    assert open_end.param == "tiers[0][up_to]"
    descending = attempt(
        tiers=[
            {"up_to": 5, "unit_amount": 1},
            {"up_to": 3, "unit_amount": 1},
            {"up_to": "inf", "unit_amount": 1},
        ]
    )
    assert descending.param == "tiers[1][up_to]"
    with_amount = attempt(unit_amount=5, tiers=[{"up_to": "inf", "unit_amount": 1}])
    assert with_amount.param == "unit_amount"
    assert client.v1.prices.list(params={"product": product.id}).data == []


def test_tax_behavior_is_settled_once_set(client: stripe.StripeClient) -> None:
    product = builders.product(client)
    price = builders.price(client, product=product.id, interval=None)
    exclusive = client.v1.prices.update(price.id, params={"tax_behavior": "exclusive"})
    assert exclusive.tax_behavior == "exclusive"
    error = builders.refused(
        lambda: client.v1.prices.update(price.id, params={"tax_behavior": "inclusive"})
    )
    assert error.param == "tax_behavior"
    assert client.v1.prices.retrieve(price.id).tax_behavior == "exclusive"
    same = client.v1.prices.update(price.id, params={"tax_behavior": "exclusive"})
    assert same.tax_behavior == "exclusive"


def test_price_updates_only_what_stripe_allows(client: stripe.StripeClient) -> None:
    product = builders.product(client)
    price = builders.price(client, product=product.id, interval=None)
    error = builders.refused(
        lambda: client.v1.prices.update(price.id, params=cast(Any, {"unit_amount": 5}))
    )
    assert error.code == "parameter_unknown"
    assert error.param == "unit_amount"
    updated = client.v1.prices.update(
        price.id, params={"nickname": "Standard", "metadata": {"a": "b"}, "active": False}
    )
    assert updated.nickname == "Standard"
    assert updated.active is False
    assert updated.unit_amount == 1000
    [event] = builders.events(client, "price.updated", price.id)
    assert event.data.previous_attributes is not None
    assert event.data.previous_attributes["active"] is True
    assert event.data.previous_attributes["nickname"] is None


def test_prices_cannot_be_deleted(client: stripe.StripeClient) -> None:
    price = builders.price(client, product=builders.product(client).id, interval=None)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.raw_request("delete", f"/v1/prices/{price.id}")
    assert raised.value.http_status == 404
    assert client.v1.prices.retrieve(price.id).active is True


def test_default_price_cannot_be_archived(client: stripe.StripeClient) -> None:
    product = client.v1.products.create(
        params={"name": "D", "default_price_data": {"currency": "usd", "unit_amount": 9}}
    )
    assert isinstance(product.default_price, str)
    error = builders.refused(
        lambda: client.v1.prices.update(str(product.default_price), params={"active": False})
    )
    assert error.param == "active"
    assert client.v1.prices.retrieve(str(product.default_price)).active is True


def test_lookup_key_is_unique_and_can_be_transferred(client: stripe.StripeClient) -> None:
    key = f"pro_monthly_{uuid.uuid4().hex[:8]}"
    product = builders.product(client)
    first = builders.price(client, product=product.id, interval=None, lookup_key=key)
    assert first.lookup_key == key
    error = builders.refused(
        lambda: builders.price(client, product=product.id, interval=None, lookup_key=key)
    )
    assert error.code == "resource_already_exists"
    assert error.param == "lookup_key"
    assert len(client.v1.prices.list(params={"product": product.id}).data) == 1

    second = builders.price(
        client, product=product.id, interval=None, lookup_key=key, transfer_lookup_key=True
    )
    assert second.lookup_key == key
    assert client.v1.prices.retrieve(first.id).lookup_key is None
    [moved] = builders.events(client, "price.updated", first.id)
    assert moved.data.previous_attributes is not None
    assert moved.data.previous_attributes["lookup_key"] == key
    found = client.v1.prices.list(params={"lookup_keys": [key]})
    assert [p.id for p in found.data] == [second.id]

    third = builders.price(client, product=product.id, interval=None)
    error = builders.refused(lambda: client.v1.prices.update(third.id, params={"lookup_key": key}))
    assert error.param == "lookup_key"
    client.v1.prices.update(third.id, params={"lookup_key": key, "transfer_lookup_key": True})
    assert [p.id for p in client.v1.prices.list(params={"lookup_keys": [key]}).data] == [third.id]
    assert client.v1.prices.retrieve(second.id).lookup_key is None


def test_price_list_filters_and_expand(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    product = builders.product(client)
    other = builders.product(client)
    monthly = builders.price(
        client, product=product.id, interval=None, recurring={"interval": "month"}
    )
    yearly = builders.price(
        client, product=product.id, interval=None, recurring={"interval": "year"}
    )
    once_eur = builders.price(client, product=other.id, interval=None, currency="eur")
    archived = builders.price(client, product=other.id, interval=None, active=False)

    def ids(**params: Any) -> list[str]:
        query: Any = params
        return [p.id for p in client.v1.prices.list(params=query).data]

    assert ids() == [archived.id, once_eur.id, yearly.id, monthly.id]
    assert ids(active=False) == [archived.id]
    assert ids(active=True) == [once_eur.id, yearly.id, monthly.id]
    assert ids(currency="eur") == [once_eur.id]
    assert ids(product=product.id) == [yearly.id, monthly.id]
    assert ids(type="one_time") == [archived.id, once_eur.id]
    assert ids(type="recurring", recurring={"interval": "month"}) == [monthly.id]
    assert ids(created={"gte": monthly.created}, limit=100)[-1] == monthly.id

    page = client.v1.prices.list(params={"limit": 1, "expand": ["data.product"]})
    assert page.has_more is True
    assert isinstance(page.data[0].product, stripe.Product)
    assert page.data[0].product.id == other.id
    walked = [p.id for p in client.v1.prices.list(params={"limit": 1}).auto_paging_iter()]
    assert walked == [archived.id, once_eur.id, yearly.id, monthly.id]


def test_custom_unit_amount_and_transform_quantity(client: stripe.StripeClient) -> None:
    product = builders.product(client)
    donation = client.v1.prices.create(
        params={
            "product": product.id,
            "currency": "usd",
            "custom_unit_amount": {"enabled": True, "minimum": 100, "preset": 500},
        }
    )
    assert donation.unit_amount is None
    assert donation.custom_unit_amount is not None
    assert donation.custom_unit_amount.to_dict() == {
        "maximum": None,
        "minimum": 100,
        "preset": 500,
    }
    error = builders.refused(
        lambda: client.v1.prices.create(
            params={
                "product": product.id,
                "currency": "usd",
                "custom_unit_amount": {"enabled": True},
                "recurring": {"interval": "month"},
            }
        )
    )
    assert error.param == "custom_unit_amount"
    packs = builders.price(
        client,
        product=product.id,
        interval=None,
        transform_quantity={"divide_by": 10, "round": "up"},
    )
    assert packs.transform_quantity is not None
    assert packs.transform_quantity.divide_by == 10


def test_currency_options_when_expanded(client: stripe.StripeClient) -> None:
    product = builders.product(client)
    price = builders.price(
        client, product=product.id, interval=None, currency_options={"eur": {"unit_amount": 900}}
    )
    assert "currency_options" not in price
    expanded = client.v1.prices.retrieve(price.id, params={"expand": ["currency_options"]})
    options = expanded.currency_options
    assert options is not None
    assert options["usd"].unit_amount == 1000
    assert options["eur"].unit_amount == 900
    assert str(options["eur"].unit_amount_decimal) == "900"
