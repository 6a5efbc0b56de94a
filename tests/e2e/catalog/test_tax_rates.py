"""Tax rates through the official stripe library, against the sandbox."""

from __future__ import annotations

from typing import Any, cast

import stripe

from tests import builders

# -- tax rates --------------------------------------------------------------------------------


def test_tax_rate_create_update_list(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    vat = client.v1.tax_rates.create(
        params={
            "display_name": "VAT",
            "percentage": 19,
            "inclusive": False,
            "country": "de",
            "jurisdiction": "DE",
            "tax_type": "vat",
        }
    )
    assert vat.id.startswith("txr_")
    assert vat.percentage == 19
    assert vat.country == "DE"
    assert vat.active is True
    assert vat.tax_type == "vat"
    gst = client.v1.tax_rates.create(
        params={"display_name": "GST", "percentage": 7.5, "inclusive": True}
    )
    assert gst.percentage == 7.5
    assert client.v1.tax_rates.retrieve(vat.id).display_name == "VAT"

    updated = client.v1.tax_rates.update(
        vat.id, params={"active": False, "description": "German VAT"}
    )
    assert updated.active is False
    assert updated.description == "German VAT"
    [event] = builders.events(client, "tax_rate.updated", vat.id)
    assert event.data.previous_attributes is not None
    assert event.data.previous_attributes["active"] is True
    assert len(builders.events(client, "tax_rate.created", gst.id)) == 1

    assert [r.id for r in client.v1.tax_rates.list(params={"active": True}).data] == [gst.id]
    assert [r.id for r in client.v1.tax_rates.list(params={"inclusive": False}).data] == [vat.id]
    assert [r.id for r in client.v1.tax_rates.list().data] == [gst.id, vat.id]


def test_tax_rate_rules(client: stripe.StripeClient) -> None:
    error = builders.refused(
        lambda: client.v1.tax_rates.create(
            params={"display_name": "Bad", "percentage": 150, "inclusive": False}
        )
    )
    assert error.param == "percentage"
    missing = builders.refused(
        lambda: client.v1.tax_rates.create(params={"display_name": "x", "percentage": 5})  # type: ignore[typeddict-item]
    )
    assert missing.code == "parameter_missing"
    assert missing.param == "inclusive"
    rate = client.v1.tax_rates.create(
        params={"display_name": "Fixed", "percentage": 5, "inclusive": False}
    )
    frozen = builders.refused(
        lambda: client.v1.tax_rates.update(rate.id, params=cast(Any, {"percentage": 6}))
    )
    assert frozen.code == "parameter_unknown"
    assert frozen.param == "percentage"
    assert client.v1.tax_rates.retrieve(rate.id).percentage == 5
    gone = builders.refused(lambda: client.v1.tax_rates.retrieve("txr_missing"))
    assert gone.code == "resource_missing"
    assert gone.param == "tax_rate"
