"""A 3-D Secure card on the hosted checkout page, over HTTP: the page sends the customer to the
test page and back; completed, the session ends as a 4242 card would end it; failed, the page
says so in Stripe's words and the session stays open."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import stripe

from tests import builders
from tests.e2e.checkout.helpers import Checkout, monthly, one_time, session
from tests.e2e.three_d_secure.helpers import authenticate

CARD_3DS = "4000 0027 6000 3184"


@pytest.fixture
def pages() -> Iterator[list[Checkout]]:
    opened: list[Checkout] = []
    yield opened
    for page in opened:
        page.close()


def _to_challenge(
    pages: list[Checkout], made: stripe.checkout.Session, email: str
) -> tuple[Checkout, str]:
    """Pay on the session's page (in German) with a 3-D Secure card: the page, and the test
    page's URL the checkout page sent the browser to."""
    assert made.url is not None
    page = Checkout(made.url)
    pages.append(page)
    page.http.headers["Accept-Language"] = "de-DE"
    page.open()
    answer = page.pay(CARD_3DS, email=email) if email else page.pay(CARD_3DS)
    assert answer.status_code == 303
    challenge = answer.headers["location"]
    assert "/3d_secure/" in challenge and challenge.endswith("?locale=de")
    return page, challenge


def _events(client: stripe.StripeClient, types: list[str], intent: str) -> list[str]:
    return [t for t in builders.event_types(client, intent) if t in types]


def test_completed_authentication_finishes_the_payment_and_redirects(
    client: stripe.StripeClient, pages: list[Checkout]
) -> None:
    made = session(
        client, mode="payment", line_items=[{"price": one_time(client, 1900), "quantity": 1}]
    )
    email = builders.unique_email("strong")
    page, challenge = _to_challenge(pages, made, email)
    german = page.http.get(challenge)
    assert "Authentifizierung abschließen" in german.text and "19,00" in german.text

    back = authenticate(challenge, "complete", http=page.http)
    assert back.status_code == 303 and "/authenticated" in back.headers["location"]
    done_page = page.http.get(back.headers["location"])
    assert done_page.status_code == 303
    assert done_page.headers["location"] == f"https://shop.example.com/done?session={made.id}"

    done = client.v1.checkout.sessions.retrieve(made.id)
    assert (done.status, done.payment_status) == ("complete", "paid")
    assert done.customer_details is not None and done.customer_details.email == email
    intent = client.v1.payment_intents.retrieve(str(done.payment_intent))
    assert (intent.status, intent.amount_received) == ("succeeded", 1900)
    assert builders.events(client, "checkout.session.completed", made.id)
    assert _events(
        client, ["payment_intent.requires_action", "payment_intent.succeeded"], intent.id
    ) == ["payment_intent.requires_action", "payment_intent.succeeded"]


def test_failed_authentication_keeps_the_session_open_with_the_reason(
    client: stripe.StripeClient, pages: list[Checkout]
) -> None:
    made = session(
        client, mode="payment", line_items=[{"price": one_time(client, 1900), "quantity": 1}]
    )
    page, challenge = _to_challenge(pages, made, builders.unique_email("strong"))

    back = authenticate(challenge, "fail", http=page.http)
    returned = page.http.get(back.headers["location"], headers={"Accept-Language": "en"})
    page.page = returned

    assert returned.status_code == 402
    assert "unable to authenticate your payment method" in page.error()
    assert client.v1.checkout.sessions.retrieve(made.id).status == "open"

    # Another card on the same page then pays, with the same PaymentIntent.
    page.open()
    assert page.pay(email=builders.unique_email("strong")).status_code == 303
    done = client.v1.checkout.sessions.retrieve(made.id)
    assert done.status == "complete"
    assert client.v1.payment_intents.retrieve(str(done.payment_intent)).status == "succeeded"


def test_setup_mode_saves_the_card_after_authentication(
    client: stripe.StripeClient, pages: list[Checkout]
) -> None:
    customer = builders.customer(client, email=builders.unique_email("setup"))
    made = session(client, mode="setup", currency="usd", customer=customer.id)
    page, challenge = _to_challenge(pages, made, "")

    back = authenticate(challenge, "complete", http=page.http)
    assert page.http.get(back.headers["location"]).status_code == 303

    done = client.v1.checkout.sessions.retrieve(made.id)
    assert done.status == "complete" and done.setup_intent is not None
    intent = client.v1.setup_intents.retrieve(str(done.setup_intent))
    assert intent.status == "succeeded"
    card = client.v1.payment_methods.retrieve(str(intent.payment_method))
    assert card.customer == customer.id


def test_subscribing_with_authentication_activates_the_subscription(
    client: stripe.StripeClient, pages: list[Checkout]
) -> None:
    made = session(client, mode="subscription", line_items=[{"price": monthly(client, 1500),
                                                              "quantity": 1}])  # fmt: skip
    page, challenge = _to_challenge(pages, made, builders.unique_email("strong"))

    back = authenticate(challenge, "complete", http=page.http)
    done_page = page.http.get(back.headers["location"])

    assert done_page.headers["location"] == f"https://shop.example.com/done?session={made.id}"
    done = client.v1.checkout.sessions.retrieve(made.id)
    assert (done.status, done.payment_status) == ("complete", "paid")
    sub = client.v1.subscriptions.retrieve(str(done.subscription))
    assert sub.status == "active" and sub.latest_invoice == done.invoice
    invoice = client.v1.invoices.retrieve(str(done.invoice))
    assert (invoice.status, invoice.amount_paid) == ("paid", 1500)
    assert builders.events(client, "checkout.session.completed", made.id)


def test_a_failed_authentication_when_subscribing_then_another_card_makes_one_subscription(
    client: stripe.StripeClient, pages: list[Checkout]
) -> None:
    made = session(client, mode="subscription", line_items=[{"price": monthly(client, 1500),
                                                              "quantity": 1}])  # fmt: skip
    email = builders.unique_email("strong")
    page, challenge = _to_challenge(pages, made, email)

    back = authenticate(challenge, "fail", http=page.http)
    returned = page.http.get(back.headers["location"], headers={"Accept-Language": "en"})
    page.page = returned
    assert returned.status_code == 402
    assert "unable to authenticate your payment method" in page.error()
    assert client.v1.checkout.sessions.retrieve(made.id).status == "open"

    assert page.pay(email=email).status_code == 303
    done = client.v1.checkout.sessions.retrieve(made.id)
    assert (done.status, done.payment_status) == ("complete", "paid")
    subscriptions = client.v1.subscriptions.list(params={"customer": str(done.customer)}).data
    assert [(s.id, s.status) for s in subscriptions] == [(done.subscription, "active")]
    sub = subscriptions[0]
    card = client.v1.payment_methods.retrieve(str(sub.default_payment_method))
    assert card.card is not None and card.card.last4 == "4242"
