"""Payment Links through the ``stripe`` library and their page: a link sells fixed prices, each
visit makes a Checkout Session from it, and paying there ends where the link says."""

from __future__ import annotations

import httpx
import stripe

from tests import builders
from tests.e2e.checkout.helpers import Checkout, monthly, one_time


def _link(client: stripe.StripeClient, **params: object) -> stripe.PaymentLink:
    return client.v1.payment_links.create(params=params)  # type: ignore[arg-type]


def test_a_link_is_made_listed_and_deactivated(client: stripe.StripeClient) -> None:
    price = monthly(client, 900, "Starter")
    link = _link(client, line_items=[{"price": price, "quantity": 1}], metadata={"k": "v"})
    assert link.id.startswith("plink_") and link.active and "/b/" in link.url
    assert (link.currency, link.after_completion.type) == ("usd", "hosted_confirmation")
    assert link.subscription_data is not None and link.payment_intent_data is None
    items = client.v1.payment_links.line_items.list(link.id)
    assert [(i.price.id if i.price else None, i.quantity) for i in items.data] == [(price, 1)]

    off = client.v1.payment_links.update(link.id, params={"active": False})
    assert off.active is False
    inactive = client.v1.payment_links.list(params={"active": False, "limit": 100})
    assert link.id in [x.id for x in inactive.data]
    assert builders.event_types(client, link.id) == ["payment_link.created", "payment_link.updated"]


def test_line_items_keep_their_prices_and_change_only_quantities(
    client: stripe.StripeClient,
) -> None:
    link = _link(client, line_items=[{"price": one_time(client, 700), "quantity": 1}])
    item = client.v1.payment_links.line_items.list(link.id).data[0]
    client.v1.payment_links.update(link.id, params={"line_items": [{"id": item.id, "quantity": 3}]})
    after = client.v1.payment_links.line_items.list(link.id).data[0]
    assert (after.id, after.quantity, after.amount_total) == (item.id, 3, 2100)
    refused = builders.refused(
        lambda: client.v1.payment_links.update(
            link.id, params={"line_items": [{"id": "li_not_on_this_link", "quantity": 1}]}
        )
    )
    assert refused.param == "line_items[0][id]"
    assert "cannot be added or replaced" in str(refused.user_message)


def test_refusals_name_their_parameter(client: stripe.StripeClient) -> None:
    price = one_time(client)
    cases: list[tuple[dict[str, object], str]] = [
        ({}, "line_items"),
        ({"line_items": [{"price": price}]}, "line_items[0][quantity]"),
        (
            {"line_items": [{"price": monthly(client), "quantity": 1}],
             "customer_creation": "always"},
            "customer_creation",
        ),
        (
            {"line_items": [{"price": price, "quantity": 1}],
             "after_completion": {"type": "redirect", "redirect": {"url": "ftp://x"}}},
            "after_completion[redirect][url]",
        ),
    ]  # fmt: skip
    for params, param in cases:
        refused = builders.refused(lambda p=params: _link(client, **p))  # type: ignore[misc]
        assert refused.param == param, (params, refused.user_message)


def test_a_visit_makes_a_session_and_paying_redirects_where_the_link_says(
    client: stripe.StripeClient,
) -> None:
    price = monthly(client, 900, "Starter")
    link = _link(
        client,
        line_items=[{"price": price, "quantity": 2}],
        subscription_data={"trial_period_days": 7, "metadata": {"from": "link"}},
        after_completion={"type": "redirect", "redirect": {"url": "https://shop.example.com/hi"}},
    )
    with httpx.Client() as http:
        first = http.get(link.url)
        assert first.status_code == 303 and "/c/pay/" in first.headers["location"]
        second = http.get(link.url)
        assert second.headers["location"] != first.headers["location"]  # one session a visit
    sessions = client.v1.checkout.sessions.list(params={"payment_link": link.id})
    assert len(sessions.data) == 2
    made = sessions.data[0]
    assert (made.mode, made.payment_link, made.amount_total) == ("subscription", link.id, 0)

    page = Checkout(second.headers["location"])
    try:
        page.open()
        assert page.page is not None and "Starter" in page.page.text
        answer = page.pay(email=builders.unique_email("link"))
    finally:
        page.close()
    assert answer.status_code == 303
    assert answer.headers["location"] == "https://shop.example.com/hi"
    done = client.v1.checkout.sessions.list(
        params={"payment_link": link.id, "status": "complete"}
    ).data[0]
    sub = client.v1.subscriptions.retrieve(str(done.subscription))
    assert sub.status == "trialing" and sub.items.data[0].quantity == 2
    assert sub.metadata.to_dict() == {"from": "link"}
    assert done.payment_status == "no_payment_required"


def test_a_confirmation_message_and_a_deactivated_link(client: stripe.StripeClient) -> None:
    link = _link(
        client,
        line_items=[{"price": one_time(client, 1200), "quantity": 1}],
        after_completion={
            "type": "hosted_confirmation",
            "hosted_confirmation": {"custom_message": "See you at the workshop!"},
        },
        inactive_message="Sold out, sorry.",
    )
    with httpx.Client() as http:
        session_url = http.get(link.url).headers["location"]
    page = Checkout(session_url)
    try:
        page.open()
        assert page.pay(email=builders.unique_email("fan")).status_code == 200
        assert page.page is not None and "See you at the workshop!" in page.page.text
    finally:
        page.close()
    client.v1.payment_links.update(link.id, params={"active": False})
    gone = httpx.get(link.url)
    assert gone.status_code == 410 and "Sold out, sorry." in gone.text
