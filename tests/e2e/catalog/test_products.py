"""Products through the official stripe library, against the sandbox."""

from __future__ import annotations

import uuid

import stripe

from tests import builders

# -- products ---------------------------------------------------------------------------------


def test_product_defaults_and_given_fields(client: stripe.StripeClient) -> None:
    product = client.v1.products.create(
        params={
            "name": "Pro",
            "description": "The pro plan",
            "metadata": {"tier": "pro"},
            "marketing_features": [{"name": "Priority support"}],
            "unit_label": "seat",
        }
    )
    assert product.id.startswith("prod_")
    assert product.type == "service"
    assert product.active is True
    assert product.default_price is None
    assert product.updated == product.created
    assert product.marketing_features[0].name == "Priority support"
    fetched = client.v1.products.retrieve(product.id)
    assert fetched.to_dict() == product.to_dict()
    assert len(builders.events(client, "product.created", product.id)) == 1


def test_product_id_may_be_given_once(client: stripe.StripeClient) -> None:
    wanted = f"gold-{uuid.uuid4().hex[:8]}"
    product = client.v1.products.create(params={"id": wanted, "name": "Gold"})
    assert product.id == wanted
    error = builders.refused(
        lambda: client.v1.products.create(params={"id": wanted, "name": "Again"})
    )
    assert error.code == "resource_already_exists"
    assert error.param == "id"
    assert client.v1.products.retrieve(wanted).name == "Gold"


def test_default_price_data_creates_the_default_price(client: stripe.StripeClient) -> None:
    product = client.v1.products.create(
        params={
            "name": "Monthly",
            "default_price_data": {
                "currency": "EUR",
                "unit_amount": 1500,
                "recurring": {"interval": "month"},
            },
        }
    )
    assert isinstance(product.default_price, str)
    price = client.v1.prices.retrieve(product.default_price)
    assert price.product == product.id
    assert price.currency == "eur"
    assert price.type == "recurring"
    assert price.recurring is not None and price.recurring.interval_count == 1
    assert price.unit_amount == 1500
    assert len(builders.events(client, "price.created", price.id)) == 1
    created = builders.events(client, "product.created", product.id)
    assert created[0].data.object["default_price"] == price.id


def test_default_price_data_errors_name_the_nested_param(client: stripe.StripeClient) -> None:
    error = builders.refused(
        lambda: client.v1.products.create(
            params={"name": "No amount", "default_price_data": {"currency": "usd"}}
        )
    )
    assert error.code == "parameter_missing"
    assert error.param == "default_price_data[unit_amount]"


def test_default_price_must_be_an_active_price_of_the_product(
    client: stripe.StripeClient,
) -> None:
    product = builders.product(client)
    other = builders.product(client)
    foreign = builders.price(client, product=other.id, interval=None)
    error = builders.refused(
        lambda: client.v1.products.update(product.id, params={"default_price": foreign.id})
    )
    assert error.param == "default_price"
    error = builders.refused(
        lambda: client.v1.products.update(product.id, params={"default_price": "price_nope"})
    )
    assert error.code == "resource_missing"
    assert error.param == "default_price"
    archived = builders.price(client, product=product.id, interval=None, active=False)
    error = builders.refused(
        lambda: client.v1.products.update(product.id, params={"default_price": archived.id})
    )
    assert error.param == "default_price"
    assert client.v1.products.retrieve(product.id).default_price is None

    own = builders.price(client, product=product.id, interval=None)
    updated = client.v1.products.update(product.id, params={"default_price": own.id})
    assert updated.default_price == own.id
    [event] = builders.events(client, "product.updated", product.id)
    assert event.data.previous_attributes is not None
    assert event.data.previous_attributes["default_price"] is None


def test_expand_default_price(client: stripe.StripeClient) -> None:
    product = client.v1.products.create(
        params={"name": "E", "default_price_data": {"currency": "usd", "unit_amount": 5}}
    )
    expanded = client.v1.products.retrieve(product.id, params={"expand": ["default_price"]})
    assert isinstance(expanded.default_price, stripe.Price)
    assert expanded.default_price.unit_amount == 5


def test_product_update_and_unset(client: stripe.StripeClient) -> None:
    product = builders.product(client, description="old", url="https://example.com/p")
    updated = client.v1.products.update(
        product.id, params={"description": "", "name": "Renamed", "metadata": {"a": "1"}}
    )
    assert updated.description is None
    assert updated.name == "Renamed"
    assert updated.url == "https://example.com/p"
    assert updated.updated >= product.updated
    error = builders.refused(lambda: client.v1.products.update(product.id, params={"name": ""}))
    assert error.param == "name"
    [event] = builders.events(client, "product.updated", product.id)
    assert event.data.previous_attributes is not None
    assert event.data.previous_attributes["name"] == "Plan"
    assert event.data.previous_attributes["description"] == "old"


def test_product_with_prices_cannot_be_deleted(client: stripe.StripeClient) -> None:
    product = builders.product(client)
    builders.price(client, product=product.id, interval=None)
    error = builders.refused(lambda: client.v1.products.delete(product.id))
    assert "prices" in str(error.user_message)
    assert client.v1.products.retrieve(product.id).active is True
    assert builders.events(client, "product.deleted", product.id) == []


def test_product_without_prices_is_deleted(client: stripe.StripeClient) -> None:
    product = builders.product(client)
    deleted = client.v1.products.delete(product.id)
    assert deleted.deleted is True
    assert deleted.id == product.id
    error = builders.refused(lambda: client.v1.products.retrieve(product.id))
    assert error.code == "resource_missing"
    assert error.http_status == 404
    assert len(builders.events(client, "product.deleted", product.id)) == 1


def test_product_list_filters_and_pages(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    good = builders.product(client, type="good", shippable=True, url="https://example.com/a")
    plain = [builders.product(client) for _ in range(3)]
    archived = builders.product(client, active=False)
    assert [p.id for p in client.v1.products.list(params={"active": False}).data] == [archived.id]
    active = client.v1.products.list(params={"active": True, "limit": 2})
    assert [p.id for p in active.data] == [plain[2].id, plain[1].id]
    assert active.has_more is True
    assert [p.id for p in active.auto_paging_iter()] == [
        plain[2].id,
        plain[1].id,
        plain[0].id,
        good.id,
    ]
    by_ids = client.v1.products.list(params={"ids": [good.id, archived.id]})
    assert {p.id for p in by_ids.data} == {good.id, archived.id}
    assert [p.id for p in client.v1.products.list(params={"shippable": True}).data] == [good.id]
    by_url = client.v1.products.list(params={"url": "https://example.com/a"})
    assert [p.id for p in by_url.data] == [good.id]
    assert [p.id for p in client.v1.products.list(params={"type": "good"}).data] == [good.id]
    later = client.v1.products.list(params={"created": {"gt": good.created}})
    assert all(p.created > good.created for p in later.data)


def test_product_features_list_is_empty(client: stripe.StripeClient) -> None:
    product = builders.product(client)
    features = client.v1.products.features.list(product.id)
    assert features.data == []
    assert features.url == f"/v1/products/{product.id}/features"
