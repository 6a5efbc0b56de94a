"""Export/import documents and mapping a configuration onto another account's catalogue."""

from __future__ import annotations

import json

from console.configurations.model import PortalConfiguration, UpdatableProduct, edit
from console.configurations.rules import Catalogue
from console.configurations.transfer import export_document, map_to_catalogue, read_document
from console.gateway.models import PriceId, ProductId
from tests.unit.core.factories import price

SOURCE = Catalogue.from_prices(
    [
        price("price_m", "prod_basic", lookup_key="basic_monthly", product_name="Basic"),
        price("price_y", "prod_basic", interval="year", unit_amount=10000, product_name="Basic"),
        price("price_w", "prod_basic", interval="week", unit_amount=300, product_name="Basic"),
        price("price_pro", "prod_pro", product_name="Pro"),
    ]
)


def config() -> PortalConfiguration:
    c = edit(PortalConfiguration(), "features.subscription_update.enabled", True)
    c = edit(c, "features.subscription_update.default_allowed_updates", ("price",))
    c = edit(
        c,
        "features.subscription_cancel.cancellation_reason.feedback_options",
        ("bfo_1",),
    )
    return edit(
        c,
        "features.subscription_update.products",
        (
            UpdatableProduct(
                ProductId("prod_basic"),
                (PriceId("price_m"), PriceId("price_y"), PriceId("price_w")),
            ),
            UpdatableProduct(ProductId("prod_pro"), (PriceId("price_pro"),)),
        ),
    )


def roundtrip() -> dict[str, object]:
    document: dict[str, object] = json.loads(
        json.dumps(export_document(config(), SOURCE, account="acct_src"))
    )
    return document


def test_export_names_every_price_with_its_lookup_key_and_product() -> None:
    doc = roundtrip()
    assert doc["schema_version"] == 1
    products = doc["products"]
    assert isinstance(products, list)
    assert products[0]["name"] == "Basic"
    assert products[0]["prices"][0]["lookup_key"] == "basic_monthly"
    document, problems = read_document(doc)
    assert problems == () and document is not None
    assert document.configuration == config()


def test_same_account_maps_everything_by_id() -> None:
    document, _ = read_document(roundtrip())
    assert document is not None
    result = map_to_catalogue(document, SOURCE, same_account=True)
    assert result.complete
    assert {(m.source, m.target, m.how) for m in result.mapped if m.kind == "price"} == {
        ("price_m", "price_m", "id"),
        ("price_y", "price_y", "id"),
        ("price_w", "price_w", "id"),
        ("price_pro", "price_pro", "id"),
    }
    assert result.configuration == config()


def test_another_account_maps_by_lookup_key_then_product_name_and_reports_the_rest() -> None:
    target = Catalogue.from_prices(
        [
            price("price_T1", "prod_T", lookup_key="basic_monthly", product_name="Basic"),
            price("price_T2", "prod_T", interval="year", unit_amount=10000, product_name="Basic"),
            # No weekly price of Basic here; Pro does not exist at all.
        ]
    )
    document, _ = read_document(roundtrip())
    assert document is not None
    result = map_to_catalogue(document, target, same_account=False)
    assert {(m.source, m.target, m.how) for m in result.mapped} == {
        ("prod_basic", "prod_T", "product_name"),
        ("price_m", "price_T1", "lookup_key"),
        ("price_y", "price_T2", "product_name"),
    }
    unmapped = {(u.kind, u.source): u for u in result.unmapped}
    assert set(unmapped) == {
        ("price", "price_w"),
        ("price", "price_pro"),
        ("product", "prod_pro"),
        ("feedback_option", "bfo_1"),
    }
    assert "no active price of 300 usd every 1 week" in unmapped[("price", "price_w")].reason
    assert unmapped[("price", "price_w")].param == (
        "features[subscription_update][products][0][prices]"
    )
    products = result.configuration.features.subscription_update.products
    assert products == (
        UpdatableProduct(ProductId("prod_T"), (PriceId("price_T1"), PriceId("price_T2"))),
    )
    assert (
        result.configuration.features.subscription_cancel.cancellation_reason.feedback_options
        is None
    )
    assert {p.code for p in result.problems()} >= {"price_unmapped", "feedback_option_unmapped"}


def test_ambiguous_product_name_matches_are_not_guessed() -> None:
    target = Catalogue.from_prices(
        [
            price("price_A", "prod_T", interval="year", unit_amount=10000, product_name="Basic"),
            price("price_B", "prod_T", interval="year", unit_amount=10000, product_name="Basic"),
        ]
    )
    document, _ = read_document(roundtrip())
    assert document is not None
    result = map_to_catalogue(document, target, same_account=False)
    reasons = [u.reason for u in result.unmapped if u.source == "price_y"]
    assert reasons and "2 prices of product prod_T match" in reasons[0]


def test_a_broken_document_reports_every_problem() -> None:
    document, problems = read_document({"schema_version": 9, "products": "x"})
    assert document is None
    assert [p.param for p in problems] == ["schema", "schema_version", "configuration", "products"]
    assert read_document([])[1][0].code == "document_invalid"
