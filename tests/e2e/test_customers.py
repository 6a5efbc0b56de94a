"""Customers through the official stripe library, against the sandbox over loopback."""

from __future__ import annotations

from typing import Any

import pytest
import stripe


def test_create_retrieve_update_keeps_what_was_sent(client: stripe.StripeClient) -> None:
    created = client.v1.customers.create(
        params={
            "email": "ada@example.com",
            "name": "Ada Lovelace",
            "phone": "+44 20 7946 0000",
            "address": {"line1": "1 St James's Square", "city": "London", "country": "GB"},
            "preferred_locales": ["en-GB", "fr"],
            "metadata": {"segment": "gold"},
        }
    )
    assert created.id.startswith("cus_")
    assert created.livemode is False
    fetched = client.v1.customers.retrieve(created.id)
    assert fetched.email == "ada@example.com"
    assert fetched.address is not None and fetched.address.city == "London"
    assert fetched.preferred_locales == ["en-GB", "fr"]

    updated = client.v1.customers.update(
        created.id, params={"metadata": {"segment": "", "tier": "2"}, "address": ""}
    )
    assert updated.metadata is not None and updated.metadata.to_dict() == {"tier": "2"}
    assert updated.address is None
    assert updated.phone == "+44 20 7946 0000"


def test_list_pages_with_cursors_newest_first(fresh_client: stripe.StripeClient) -> None:
    made = [fresh_client.v1.customers.create(params={"name": f"c{i}"}).id for i in range(25)]
    first = fresh_client.v1.customers.list(params={"limit": 10})
    assert [c.id for c in first.data] == made[::-1][:10]
    assert first.has_more is True
    every = [c.id for c in first.auto_paging_iter()]
    assert every == made[::-1]
    before = fresh_client.v1.customers.list(params={"ending_before": made[5], "limit": 3})
    assert [c.id for c in before.data] == [made[8], made[7], made[6]]


def test_list_filters_by_exact_email(client: stripe.StripeClient) -> None:
    wanted = client.v1.customers.create(params={"email": "exact-filter@example.com"})
    client.v1.customers.create(params={"email": "Exact-Filter@example.com"})
    found = client.v1.customers.list(params={"email": "exact-filter@example.com"})
    assert [c.id for c in found.data] == [wanted.id]


def test_unknown_parameter_is_refused_and_nothing_is_created(
    fresh_client: stripe.StripeClient,
) -> None:
    typo: Any = {"emial": "typo@example.com"}  # not a CustomerCreateParams: that is the point
    with pytest.raises(stripe.InvalidRequestError) as raised:
        fresh_client.v1.customers.create(params=typo)
    assert raised.value.code == "parameter_unknown"
    assert raised.value.param == "emial"
    assert fresh_client.v1.customers.list().data == []


def test_unknown_id_is_resource_missing(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.customers.retrieve("cus_doesnotexist")
    assert raised.value.http_status == 404
    assert raised.value.code == "resource_missing"
    assert raised.value.param == "id"


def test_bad_email_names_the_field(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.customers.create(params={"email": "not-an-email"})
    assert raised.value.code == "email_invalid"
    assert raised.value.param == "email"


def test_deleted_customer_reads_back_as_deleted_stub(client: stripe.StripeClient) -> None:
    customer = client.v1.customers.create(params={"name": "Temporary"})
    deleted = client.v1.customers.delete(customer.id)
    assert deleted.deleted is True
    again = client.v1.customers.retrieve(customer.id)
    assert getattr(again, "deleted", False) is True
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.customers.update(customer.id, params={"name": "Back"})


def test_expand_includable_tax_ids_and_bad_expand(client: stripe.StripeClient) -> None:
    customer = client.v1.customers.create(params={"name": "Expand me"})
    fetched = client.v1.customers.retrieve(customer.id, params={"expand": ["tax_ids"]})
    assert fetched.tax_ids is not None
    assert fetched.tax_ids.data == []
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.customers.retrieve(customer.id, params={"expand": ["name"]})
    assert raised.value.param == "expand"
