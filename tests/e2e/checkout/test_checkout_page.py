"""The hosted checkout page over HTTP: what paying there makes (as Stripe's Checkout makes it),
the declines and refusals a customer sees, and the page's language and links."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import stripe

from tests import builders
from tests.e2e.checkout.helpers import CANCEL, Checkout, monthly, one_time, session


@pytest.fixture
def pages() -> Iterator[list[Checkout]]:
    opened: list[Checkout] = []
    yield opened
    for page in opened:
        page.close()


def _visit(pages: list[Checkout], made: stripe.checkout.Session) -> Checkout:
    assert made.url is not None
    page = Checkout(made.url)
    pages.append(page)
    page.open()
    return page


def test_subscribing_makes_the_customer_card_subscription_and_paid_invoice(
    client: stripe.StripeClient, pages: list[Checkout]
) -> None:
    price = monthly(client, 1500)
    made = session(
        client,
        mode="subscription",
        line_items=[{"price": price, "quantity": 2}],
        subscription_data={"metadata": {"plan": "team"}},
    )
    page = _visit(pages, made)
    assert page.page is not None and "$30.00" in page.page.text
    email = builders.unique_email("jenny")
    answer = page.pay(email=email, cardholder="Jenny Rosen", postal_code="10115")
    assert answer.status_code == 303
    assert answer.headers["location"] == f"https://shop.example.com/done?session={made.id}"

    done = client.v1.checkout.sessions.retrieve(made.id)
    assert (done.status, done.payment_status, done.url) == ("complete", "paid", None)
    assert done.customer_details is not None and done.customer_details.email == email
    customer = client.v1.customers.retrieve(str(done.customer))
    assert (customer.email, customer.name) == (email, "Jenny Rosen")
    sub = client.v1.subscriptions.retrieve(str(done.subscription))
    assert sub.status == "active" and sub.metadata.to_dict() == {"plan": "team"}
    assert (sub.items.data[0].price.id, sub.items.data[0].quantity) == (price, 2)
    card = client.v1.payment_methods.retrieve(str(sub.default_payment_method))
    assert card.customer == customer.id and card.card is not None and card.card.last4 == "4242"
    assert card.billing_details.name == "Jenny Rosen"
    assert card.billing_details.address is not None
    assert card.billing_details.address.postal_code == "10115"
    invoice = client.v1.invoices.retrieve(str(done.invoice))
    assert (invoice.status, invoice.amount_paid) == ("paid", 3000)
    assert builders.subscription_of(invoice) == sub.id
    # The completed event carries the finished session; the subscription's came before it.
    completed = builders.events(client, "checkout.session.completed", made.id)
    assert len(completed) == 1
    shown = completed[0].data.object
    assert (shown["status"], shown["payment_status"]) == ("complete", "paid")
    assert (shown["customer"], shown["subscription"]) == (customer.id, sub.id)
    assert builders.event_types(client, sub.id)[0] == "customer.subscription.created"


def test_a_declined_card_says_so_and_leaves_the_session_open(
    client: stripe.StripeClient, pages: list[Checkout]
) -> None:
    made = session(
        client, mode="subscription", line_items=[{"price": monthly(client), "quantity": 1}]
    )
    page = _visit(pages, made)
    email = builders.unique_email("decline")
    answer = page.pay("4000 0000 0000 0002", email=email)
    assert answer.status_code == 402
    assert page.error() == "Your card was declined."
    still = client.v1.checkout.sessions.retrieve(made.id)
    assert (still.status, still.subscription) == ("open", None)
    customers = client.v1.customers.list(params={"email": email}).data
    assert len(customers) == 1  # made for the attempt, as Checkout does, and reused next
    assert client.v1.subscriptions.list(params={"customer": customers[0].id}).data == []

    assert page.pay(email=email).status_code == 303
    assert len(client.v1.customers.list(params={"email": email}).data) == 1


def test_a_3d_secure_card_is_refused_with_the_reason(
    client: stripe.StripeClient, pages: list[Checkout]
) -> None:
    made = session(client, mode="payment", line_items=[{"price": one_time(client), "quantity": 1}])
    page = _visit(pages, made)
    assert page.pay("4000 0025 0000 3155", email=builders.unique_email()).status_code == 402
    assert "extra authentication" in page.error()
    assert client.v1.checkout.sessions.retrieve(made.id).status == "open"


def test_paying_once_with_a_promotion_code(
    client: stripe.StripeClient, pages: list[Checkout]
) -> None:
    coupon = client.v1.coupons.create(
        params={"amount_off": 300, "currency": "usd", "duration": "once"}
    )
    code = f"SAVE{secrets.token_hex(4).upper()}"
    promo = client.v1.promotion_codes.create(
        params={"promotion": {"type": "coupon", "coupon": coupon.id}, "code": code}
    )
    made = session(
        client,
        mode="payment",
        line_items=[{"price": one_time(client, 1000), "quantity": 1}],
        allow_promotion_codes=True,
        customer_creation="always",
    )
    page = _visit(pages, made)
    page.submit(action="apply", promotion_code="NOT-A-CODE")
    assert "promotion code is invalid" in page.error()
    page.submit(action="apply", promotion_code=code.lower())
    assert page.page is not None and "$7.00" in page.page.text and code in page.page.text
    assert page.pay(email=builders.unique_email()).status_code == 303

    done = client.v1.checkout.sessions.retrieve(made.id)
    assert (done.amount_total, done.payment_status) == (700, "paid")
    intent = client.v1.payment_intents.retrieve(str(done.payment_intent))
    assert (intent.status, intent.amount, intent.customer) == ("succeeded", 700, done.customer)
    assert client.v1.promotion_codes.retrieve(promo.id).times_redeemed == 1


def test_customer_email_is_shown_and_used_as_given(
    client: stripe.StripeClient, pages: list[Checkout]
) -> None:
    email = builders.unique_email("given")
    made = session(
        client,
        mode="subscription",
        customer_email=email,
        line_items=[{"price": monthly(client), "quantity": 1}],
    )
    page = _visit(pages, made)
    assert page.page is not None and email in page.page.text
    assert 'name="email"' not in page.page.text
    assert page.pay(email="someone.else@example.com").status_code == 303
    done = client.v1.checkout.sessions.retrieve(made.id)
    assert client.v1.customers.retrieve(str(done.customer)).email == email


def test_a_guest_payment_makes_no_customer(
    client: stripe.StripeClient, pages: list[Checkout]
) -> None:
    made = session(client, mode="payment", line_items=[{"price": one_time(client), "quantity": 1}])
    page = _visit(pages, made)
    email = builders.unique_email("guest")
    assert page.pay(email=email).status_code == 303
    done = client.v1.checkout.sessions.retrieve(made.id)
    assert done.customer is None and done.customer_details is not None
    assert done.customer_details.email == email
    assert client.v1.customers.list(params={"email": email}).data == []


def test_setup_mode_saves_the_card_for_the_customer(
    client: stripe.StripeClient, pages: list[Checkout]
) -> None:
    customer = builders.customer(client, email=builders.unique_email())
    made = session(client, mode="setup", currency="usd", customer=customer.id)
    page = _visit(pages, made)
    assert page.page is not None and "Save card" in page.page.text
    assert str(customer.email) in page.page.text  # shown, not asked for
    assert page.pay().status_code == 303
    done = client.v1.checkout.sessions.retrieve(made.id)
    assert (done.status, done.payment_status) == ("complete", "no_payment_required")
    intent = client.v1.setup_intents.retrieve(str(done.setup_intent))
    assert intent.status == "succeeded"
    cards = client.v1.payment_methods.list(params={"customer": customer.id, "type": "card"})
    assert [c.id for c in cards.data] == [intent.payment_method]


def test_the_page_refuses_a_forged_form_and_a_missing_email(
    client: stripe.StripeClient, pages: list[Checkout]
) -> None:
    made = session(client, mode="payment", line_items=[{"price": one_time(client), "quantity": 1}])
    assert made.url is not None
    forged = httpx.post(made.url, data={"action": "pay", "csrf_token": "x" * 22})
    assert forged.status_code == 403
    page = _visit(pages, made)
    assert page.pay(email="").status_code == 400
    assert page.error() == "Enter a valid email address."
    assert client.v1.checkout.sessions.retrieve(made.id).status == "open"


def test_the_page_speaks_the_session_locale_then_the_browser_s(
    client: stripe.StripeClient, pages: list[Checkout]
) -> None:
    items = [{"price": monthly(client, 1500), "quantity": 1}]
    german = _visit(pages, session(client, mode="subscription", line_items=items, locale="de"))
    assert german.page is not None
    assert 'lang="de-DE"' in german.page.text and "Abonnieren" in german.page.text
    assert "15,00" in german.page.text
    auto = session(client, mode="subscription", line_items=items, locale="auto")
    assert auto.url is not None
    japanese = httpx.get(auto.url, headers={"Accept-Language": "ja-JP,ja;q=0.9"})
    assert 'lang="ja-JP"' in japanese.text and "申し込む" in japanese.text


def test_links_back_to_the_shop_and_ends_with_the_session(
    client: stripe.StripeClient, pages: list[Checkout]
) -> None:
    made = session(client, mode="payment", line_items=[{"price": one_time(client), "quantity": 1}])
    page = _visit(pages, made)
    assert page.page is not None and f'href="{CANCEL}"' in page.page.text
    csp = page.page.headers["content-security-policy"]
    assert "form-action 'self' https://shop.example.com;" in csp
    client.v1.checkout.sessions.expire(made.id)
    assert page.open().status_code == 200 and "This link has expired" in page.open().text
    assert httpx.get(made.url.rsplit("/", 1)[0] + "/unknown").status_code == 404  # type: ignore[union-attr]


def test_two_clicks_on_subscribe_make_one_subscription(
    client: stripe.StripeClient, pages: list[Checkout]
) -> None:
    made = session(
        client, mode="subscription", line_items=[{"price": monthly(client), "quantity": 1}]
    )
    page = _visit(pages, made)
    assert page.page is not None
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.page.text)
    assert token is not None
    email = builders.unique_email("twice")
    form = {"csrf_token": token.group(1), "action": "pay", "email": email,
            "number": "4242424242424242", "expiry": "12/34", "cvc": "123"}  # fmt: skip
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda _: page.http.post(page.url, data=form), range(2)))
    assert [a.status_code for a in answers] == [303, 303]
    assert answers[0].headers["location"] == answers[1].headers["location"]
    customer = client.v1.customers.list(params={"email": email}).data
    assert len(customer) == 1
    assert len(client.v1.subscriptions.list(params={"customer": customer[0].id}).data) == 1
