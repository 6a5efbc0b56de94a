"""Customer tax IDs (and the account's own) through the stripe library: formats, limit, events."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from tests import builders


def typed(params: dict[str, Any]) -> Any:
    """Parameters built at run time (the type is a test parameter), past the SDK's TypedDicts."""
    return params


def add(client: stripe.StripeClient, customer: str, type_: str, value: str) -> Any:
    return client.v1.customers.tax_ids.create(
        customer, params=typed({"type": type_, "value": value})
    )


# Stripe's documented example for each type (and a few real-world spellings).
VALID = [
    ("eu_vat", "DE123456789", "DE"),
    ("eu_vat", "ATU12345678", "AT"),
    ("eu_vat", "BE0123456789", "BE"),
    ("eu_vat", "EL123456789", "GR"),
    ("eu_vat", "FRAB123456789", "FR"),
    ("eu_vat", "NL123456789B12", "NL"),
    ("eu_vat", "ESA1234567Z", "ES"),
    ("eu_vat", "IE1234567AB", "IE"),
    ("eu_vat", "XI123456789", "GB"),
    ("eu_vat", "SE123456789701", "SE"),
    ("eu_vat", "CY12345678Z", "CY"),
    ("gb_vat", "GB123456789", "GB"),
    ("ch_vat", "CHE-123.456.789 MWST", "CH"),
    ("ch_uid", "CHE-123.456.789 HR", "CH"),
    ("no_vat", "123456789MVA", "NO"),
    ("au_abn", "51824753556", "AU"),
    ("au_arn", "123456789123", "AU"),
    ("ca_bn", "123456789", "CA"),
    ("ca_gst_hst", "123456789RT0002", "CA"),
    ("ca_qst", "1234567890TQ1234", "CA"),
    ("ca_pst_bc", "PST-1234-5678", "CA"),
    ("us_ein", "12-3456789", "US"),
    ("br_cnpj", "01.234.456/5432-10", "BR"),
    ("br_cpf", "123.456.789-87", "BR"),
    ("in_gst", "12ABCDE3456FGZH", "IN"),
    ("jp_cn", "1234567891234", "JP"),
    ("jp_trn", "T1234567891234", "JP"),
    ("nz_gst", "123456789", "NZ"),
    ("za_vat", "4123456789", "ZA"),
    ("mx_rfc", "ABC010203AB9", "MX"),
    ("es_cif", "A12345678", "ES"),
    ("sg_gst", "M12345678X", "SG"),
    ("kr_brn", "123-45-67890", "KR"),
    ("ae_trn", "123456789012345", "AE"),
    ("cl_tin", "12.345.678-K", "CL"),
    ("hk_br", "12345678", "HK"),
    ("tr_tin", "0123456789", "TR"),
    ("ru_inn", "1234567891", "RU"),
    ("th_vat", "1234567891234", "TH"),
    ("sa_vat", "123456789012345", "SA"),
]


@pytest.mark.parametrize(("type_", "value", "country"), VALID)
def test_valid_values_are_stored_with_their_country(
    client: stripe.StripeClient, type_: str, value: str, country: str
) -> None:
    customer = builders.customer(client, name="Tax Tester")
    tax_id = add(client, customer.id, type_, value)
    assert tax_id.id.startswith("txi_") and tax_id.object == "tax_id"
    assert (tax_id.type, tax_id.value, tax_id.country) == (type_, value, country)
    assert tax_id.customer == customer.id
    assert tax_id.owner is not None and tax_id.owner.type == "customer"
    assert tax_id.owner.customer == customer.id
    assert tax_id.verification is not None
    expected = "pending" if type_ in ("eu_vat", "gb_vat", "au_abn") else "unavailable"
    assert tax_id.verification.status == expected


INVALID = [
    ("eu_vat", "DE12345678"),
    ("eu_vat", "GR123456789"),
    ("eu_vat", "US123456789"),
    ("eu_vat", "ATU1234567"),
    ("eu_vat", "NL123456789"),
    ("gb_vat", "123456789"),
    ("gb_vat", "GB12345"),
    ("ch_vat", "CHE-123.456.789"),
    ("no_vat", "123456789"),
    ("au_abn", "12345678912"),
    ("au_abn", "51824753557"),
    ("ca_bn", "12345678"),
    ("us_ein", "123-456789"),
    ("br_cpf", "123.456.789"),
    ("br_cnpj", "01.234.456/5432"),
    ("in_gst", "12ABCDE3456FGZ"),
    ("jp_cn", "123456789123"),
    ("za_vat", "5123456789"),
    ("mx_rfc", "AB010203AB9"),
    ("es_cif", "123456789"),
    ("nz_gst", "1234"),
]


@pytest.mark.parametrize(("type_", "value"), INVALID)
def test_invalid_values_are_refused_as_tax_id_invalid(
    client: stripe.StripeClient, type_: str, value: str
) -> None:
    customer = builders.customer(client, name="Tax Tester")
    with pytest.raises(stripe.InvalidRequestError) as raised:
        add(client, customer.id, type_, value)
    assert raised.value.code == "tax_id_invalid"
    assert raised.value.param == "value"
    assert raised.value.user_message == f"Invalid value for {type_}."
    assert client.v1.customers.tax_ids.list(customer.id).data == []


def test_every_type_the_api_accepts_takes_a_plausible_value(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Tax Tester")
    lenient = add(client, customer.id, "bo_tin", "123456789")
    assert lenient.country == "BO"
    with pytest.raises(stripe.InvalidRequestError):
        add(client, customer.id, "bo_tin", "12")


@pytest.mark.parametrize(
    ("value", "status"),
    [("DE000000000", "verified"), ("DE111111111", "unverified"), ("DE123456789", "pending")],
)
def test_test_values_choose_the_verification_status(
    client: stripe.StripeClient, value: str, status: str
) -> None:
    tax_id = add(client, builders.customer(client, name="Tax Tester").id, "eu_vat", value)
    assert tax_id.verification is not None and tax_id.verification.status == status


def test_create_list_expand_delete_with_events(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Tax Tester")
    first = add(client, customer.id, "eu_vat", "FR12345678901")
    second = add(client, customer.id, "gb_vat", "GB123456789")
    listed = client.v1.customers.tax_ids.list(customer.id, params={"limit": 1})
    assert [t.id for t in listed.data] == [second.id]
    assert listed.has_more is True and listed.url == f"/v1/customers/{customer.id}/tax_ids"
    expanded = client.v1.customers.retrieve(customer.id, params={"expand": ["tax_ids"]})
    assert expanded.tax_ids is not None
    assert {t.id for t in expanded.tax_ids.data} == {first.id, second.id}
    assert client.v1.customers.tax_ids.retrieve(customer.id, first.id).value == "FR12345678901"
    with_customer = client.v1.tax_ids.retrieve(first.id, params={"expand": ["customer"]})
    assert with_customer.customer.id == customer.id  # type: ignore[union-attr]

    deleted = client.v1.customers.tax_ids.delete(customer.id, first.id)
    assert deleted.deleted is True and deleted.id == first.id
    with pytest.raises(stripe.InvalidRequestError) as gone:
        client.v1.customers.tax_ids.retrieve(customer.id, first.id)
    assert gone.value.code == "resource_missing"
    assert [t.id for t in client.v1.customers.tax_ids.list(customer.id).data] == [second.id]

    created = client.v1.events.list(params={"type": "customer.tax_id.created", "limit": 100})
    assert {e.data.object["id"] for e in created.data} >= {first.id, second.id}
    removed = client.v1.events.list(params={"type": "customer.tax_id.deleted", "limit": 100})
    assert [e.data.object["id"] for e in removed.data if e.data.object["id"] == first.id] == [
        first.id
    ]


def test_another_customers_tax_id_is_not_found(client: stripe.StripeClient) -> None:
    owner = builders.customer(client, name="Tax Tester")
    tax_id = add(client, owner.id, "us_ein", "12-3456789")
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.customers.tax_ids.retrieve(
            builders.customer(client, name="Tax Tester").id, tax_id.id
        )
    assert raised.value.code == "resource_missing"


def test_a_customer_holds_at_most_25_tax_ids(fresh_client: stripe.StripeClient) -> None:
    customer = builders.customer(fresh_client, name="Tax Tester")
    for n in range(25):
        add(fresh_client, customer.id, "us_ein", f"12-{3456700 + n}")
    with pytest.raises(stripe.InvalidRequestError):
        add(fresh_client, customer.id, "us_ein", "98-7654321")
    page = fresh_client.v1.customers.tax_ids.list(customer.id, params={"limit": 100})
    assert len(page.data) == 25


def test_customer_create_validates_tax_id_data(fresh_client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        fresh_client.v1.customers.create(
            params={
                "email": "taxed@example.com",
                "tax_id_data": [
                    {"type": "eu_vat", "value": "DE123456789"},
                    {"type": "eu_vat", "value": "DE1"},
                ],
            }
        )
    assert raised.value.code == "tax_id_invalid"
    assert raised.value.param == "tax_id_data[1][value]"
    assert fresh_client.v1.customers.list().data == []
    made = fresh_client.v1.customers.create(
        params={"tax_id_data": [{"type": "eu_vat", "value": "EL123456789"}]}
    )
    [tax_id] = fresh_client.v1.customers.tax_ids.list(made.id).data
    assert tax_id.country == "GR"


def test_account_tax_ids_are_owned_by_self(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    own = client.v1.tax_ids.create(params={"type": "eu_vat", "value": "DE123456789"})
    assert own.owner is not None and own.owner.type == "self"
    assert own.customer is None and own.verification is None
    customer = builders.customer(client, name="Tax Tester")
    theirs = client.v1.tax_ids.create(
        params={
            "type": "gb_vat",
            "value": "GB123456789",
            "owner": {"type": "customer", "customer": customer.id},
        }
    )
    assert theirs.customer == customer.id
    assert [t.id for t in client.v1.tax_ids.list().data] == [own.id]
    scoped = client.v1.tax_ids.list(params={"owner": {"type": "customer", "customer": customer.id}})
    assert [t.id for t in scoped.data] == [theirs.id]
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.tax_ids.create(params={"type": "eu_vat", "value": "DE1"})
    assert raised.value.code == "tax_id_invalid" and raised.value.param == "value"
    assert client.v1.tax_ids.delete(own.id).deleted is True
    assert client.v1.tax_ids.list().data == []
