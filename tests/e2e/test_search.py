"""Search endpoints through the real ``stripe`` library: the query language, pages, errors."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import stripe

from console.sandbox import Sandbox
from tests import builders
from tests.conftest import make_client


def marker() -> str:
    return uuid.uuid4().hex[:12]


def refused(call: Any) -> stripe.InvalidRequestError:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        call()
    assert caught.value.http_status == 400
    return caught.value


def test_customer_email_exact_match_is_case_insensitive(client: stripe.StripeClient) -> None:
    tag = marker()
    wanted = client.v1.customers.create(params={"email": f"Amy.{tag}@RocketRides.io"})
    client.v1.customers.create(params={"email": f"amy.{tag}@other.io"})

    result = client.v1.customers.search(params={"query": f"email:'amy.{tag}@rocketrides.io'"})

    assert result.to_dict()["object"] == "search_result"
    assert [c.id for c in result.data] == [wanted.id]
    assert result.has_more is False
    assert result.to_dict()["next_page"] is None
    assert result.to_dict()["url"] == "/v1/customers/search"
    assert "total_count" not in result


def test_customer_substring_metadata_negation_and_or(client: stripe.StripeClient) -> None:
    tag = marker()
    gold = client.v1.customers.create(
        params={"name": f"Jane {tag} Doe", "metadata": {"tag": tag, "tier": "gold"}}
    )
    silver = client.v1.customers.create(
        params={"name": f"John {tag} Roe", "metadata": {"tag": tag, "tier": "silver"}}
    )
    bare = client.v1.customers.create(params={"name": f"Ann {tag}", "metadata": {"tag": tag}})

    def found(query: str) -> list[str]:
        return [c.id for c in client.v1.customers.search(params={"query": query}).data]

    assert found(f"name~'{tag[:5]}'") == [bare.id, silver.id, gold.id]
    assert found(f"name:'jane {tag}'") == [gold.id]
    assert found(f"metadata['tag']:'{tag}' AND metadata['tier']:'GOLD'") == [gold.id]
    assert found(f'metadata["tag"]:"{tag}" -metadata["tier"]:"gold"') == [bare.id, silver.id]
    assert found(f"metadata['tag']:'{tag}' AND metadata['tier']:null") == [bare.id]
    assert found(f"metadata['tag']:'{tag}' AND -metadata['tier']:null") == [silver.id, gold.id]
    assert found(f"metadata['tier']:'silver' OR name:'ann {tag}'") == [bare.id, silver.id]
    created_after = f"created>={gold.created} AND metadata['tag']:'{tag}'"
    assert set(found(created_after)) == {gold.id, silver.id, bare.id}
    assert found(f"created<{gold.created} AND metadata['tag']:'{tag}'") == []


def test_auto_paging_iter_walks_every_page_newest_first(
    fresh_client: stripe.StripeClient,
) -> None:
    made = [
        fresh_client.v1.customers.create(
            params={"name": f"Pager Person {n}", "email": f"p{n}@x.io"}
        )
        for n in range(23)
    ]
    first = fresh_client.v1.customers.search(params={"query": "name~'pager'", "limit": 10})
    assert len(first.data) == 10
    assert first.has_more is True
    assert first.next_page

    second = fresh_client.v1.customers.search(
        params={"query": "name~'pager'", "limit": 10, "page": first.next_page}
    )
    assert len(second.data) == 10
    assert not {c.id for c in first.data} & {c.id for c in second.data}

    walked = [c.id for c in first.auto_paging_iter()]
    assert walked == [c.id for c in reversed(made)]


def test_total_count_only_when_expanded(fresh_client: stripe.StripeClient) -> None:
    for n in range(12):
        fresh_client.v1.customers.create(params={"email": f"count{n}@example.com"})
    fresh_client.v1.customers.create(params={"email": "other@elsewhere.io"})
    result = fresh_client.v1.customers.search(
        params={"query": "email~'example.com'", "limit": 5, "expand": ["total_count"]}
    )
    assert result.to_dict()["total_count"] == 12
    assert len(result.data) == 5
    assert result.has_more is True


def test_deleted_customers_are_not_found(client: stripe.StripeClient) -> None:
    tag = marker()
    gone = client.v1.customers.create(params={"email": f"{tag}@gone.io"})
    client.v1.customers.delete(gone.id)
    assert client.v1.customers.search(params={"query": f"email:'{tag}@gone.io'"}).data == []


def test_search_is_scoped_to_the_account(sandbox: Sandbox, client: stripe.StripeClient) -> None:
    tag = marker()
    account = client.v1.accounts.create(params={"type": "standard", "country": "US"})
    connected = client.v1.customers.create(
        params={"email": f"{tag}@conn.io"}, options={"stripe_account": account.id}
    )

    on_platform = client.v1.customers.search(params={"query": f"email:'{tag}@conn.io'"})
    on_connected = client.v1.customers.search(
        params={"query": f"email:'{tag}@conn.io'"}, options={"stripe_account": account.id}
    )

    assert on_platform.data == []
    assert [c.id for c in on_connected.data] == [connected.id]


def test_products_and_prices(client: stripe.StripeClient) -> None:
    tag = marker()
    product = client.v1.products.create(
        params={"name": f"Plan {tag} Pro", "description": "Fast t-shirts", "metadata": {"t": tag}}
    )
    retired = client.v1.products.create(
        params={"name": f"Plan {tag} Old", "active": False, "metadata": {"t": tag}}
    )
    monthly = builders.price(
        client,
        900,
        product=product.id,
        currency="eur",
        interval="month",
        lookup_key=f"pro_monthly_{tag}",
    )
    one_time = builders.price(client, 5000, product=product.id, interval=None)

    def products(query: str) -> list[str]:
        return [p.id for p in client.v1.products.search(params={"query": query}).data]

    def prices(query: str) -> list[str]:
        return [p.id for p in client.v1.prices.search(params={"query": query}).data]

    assert products(f"name~'{tag}'") == [retired.id, product.id]
    assert products(f"metadata['t']:'{tag}' AND active:'true'") == [product.id]
    assert products(f"metadata['t']:'{tag}' AND active:'false'") == [retired.id]
    assert products(f"metadata['t']:'{tag}' AND description~'t-shirt'") == [product.id]
    assert prices(f"product:'{product.id}'") == [one_time.id, monthly.id]
    assert prices(f"product:'{product.id}' AND type:'recurring'") == [monthly.id]
    assert prices(f"product:'{product.id}' AND -currency:'EUR'") == [one_time.id]
    assert prices(f"lookup_key:'PRO_MONTHLY_{tag}'") == [monthly.id]


def test_other_resources_answer_empty_results(fresh_client: stripe.StripeClient) -> None:
    subs = fresh_client.v1.subscriptions.search(params={"query": "status:'active'"})
    invoices = fresh_client.v1.invoices.search(params={"query": "total>1000"})
    intents = fresh_client.v1.payment_intents.search(params={"query": "-currency:'usd'"})
    for result, url in (
        (subs, "/v1/subscriptions/search"),
        (invoices, "/v1/invoices/search"),
        (intents, "/v1/payment_intents/search"),
    ):
        assert result.to_dict()["object"] == "search_result"
        assert result.to_dict()["data"] == []
        assert result.to_dict()["url"] == url


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("status:'active'", "status is not a searchable field for customers"),
        ("name~'ab'", "at least 3 characters"),
        ("email:'a' AND name:'b' OR phone:'c'", "AND and OR cannot be combined"),
        ("(email:'a')", "parentheses are not supported"),
        (" AND ".join(f"created>{n}" for n in range(11)), "at most 10"),
        ("email:bob", "must be quoted"),
        ("email>5", "works only on numeric fields"),
        ("created>'later'", "not a number"),
        ("email:'open", "no closing '"),
    ],
)
def test_bad_queries_are_refused_naming_query(
    client: stripe.StripeClient, query: str, fragment: str
) -> None:
    error = refused(lambda: client.v1.customers.search(params={"query": query}))
    assert error.param == "query"
    assert fragment in str(error.user_message)


def test_unknown_field_on_each_resource(client: stripe.StripeClient) -> None:
    for search in (
        client.v1.subscriptions.search,
        client.v1.invoices.search,
        client.v1.products.search,
        client.v1.prices.search,
        client.v1.payment_intents.search,
    ):
        error = refused(lambda s=search: s(params={"query": "nope:'x'"}))
        assert error.param == "query"
        assert "Searchable fields:" in str(error.user_message)


def test_missing_query_limit_and_page_errors(client: stripe.StripeClient) -> None:
    missing = refused(lambda: client.v1.customers.search(params={}))  # type: ignore[typeddict-item]
    assert (missing.param, missing.code) == ("query", "parameter_missing")
    for limit in (0, 101):
        error = refused(
            lambda n=limit: client.v1.customers.search(params={"query": "created>0", "limit": n})
        )
        assert error.param == "limit"
    bad_page = refused(
        lambda: client.v1.customers.search(params={"query": "created>0", "page": "page_bogus"})
    )
    assert bad_page.param == "page"


def test_a_page_token_belongs_to_its_query(fresh_sandbox: Sandbox) -> None:
    client = make_client(fresh_sandbox)
    for n in range(3):
        client.v1.customers.create(params={"name": f"Token Owner {n}"})
    first = client.v1.customers.search(params={"query": "name~'owner'", "limit": 1})
    assert first.next_page
    error = refused(
        lambda: client.v1.customers.search(
            params={"query": "name~'token'", "limit": 1, "page": first.next_page}
        )
    )
    assert error.param == "page"


def test_subscriptions_invoices_and_payment_intents(client: stripe.StripeClient) -> None:
    tag = marker()
    product = client.v1.products.create(params={"name": f"Searchable {tag}"})
    price = builders.price(client, 4321, product=product.id, interval="month")
    customer = client.v1.customers.create(params={"email": f"{tag}@subs.io"})
    pm = client.v1.payment_methods.create(params={"type": "card", "card": {"token": "tok_visa"}})
    client.v1.payment_methods.attach(pm.id, params={"customer": customer.id})
    sub = client.v1.subscriptions.create(
        params={
            "customer": customer.id,
            "items": [{"price": price.id}],
            "default_payment_method": pm.id,
            "metadata": {"tag": tag},
        }
    )
    invoice_id = str(sub.latest_invoice)
    invoice = client.v1.invoices.retrieve(invoice_id)

    def subs(query: str) -> list[str]:
        return [s.id for s in client.v1.subscriptions.search(params={"query": query}).data]

    def invoices(query: str) -> list[str]:
        return [i.id for i in client.v1.invoices.search(params={"query": query}).data]

    assert subs(f"metadata['tag']:'{tag}' AND status:'active'") == [sub.id]
    assert subs(f"metadata['tag']:'{tag}' AND -status:'active'") == []
    assert invoices(f"customer:'{customer.id}'") == [invoice_id]
    assert invoices(f"subscription:'{sub.id}'") == [invoice_id]
    assert invoices(f"customer:'{customer.id}' AND total:4321 AND status:'paid'") == [invoice_id]
    assert invoices(f"customer:'{customer.id}' AND total>4321") == []
    assert invoice.number
    assert invoices(f"number:'{str(invoice.number).lower()}'") == [invoice_id]

    intents = client.v1.payment_intents.search(
        params={"query": f"customer:'{customer.id}' AND amount>=4321 AND status:'succeeded'"}
    ).data
    assert len(intents) == 1
    assert intents[0].amount == 4321
