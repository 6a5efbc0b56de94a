"""Completing or failing 3-D Secure on the test page, for intents a merchant's server confirms
through the ``stripe`` library: the intent's status, the redirect back, the events."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import stripe

from tests import builders
from tests.e2e.three_d_secure.helpers import authenticate

RETURN = "https://shop.example.com/order/complete?order=7"


def _payment(client: stripe.StripeClient, **extra: Any) -> stripe.PaymentIntent:
    customer = builders.customer(client, name="Strong Auth")
    params: Any = {
        "amount": 2500,
        "currency": "eur",
        "customer": customer.id,
        "payment_method": "pm_card_authenticationRequired",
        "confirm": True,
        "return_url": RETURN,
        **extra,
    }
    return client.v1.payment_intents.create(params=params)


def _redirect_url(intent: stripe.PaymentIntent | stripe.SetupIntent) -> str:
    assert intent.status == "requires_action"
    assert intent.next_action is not None and intent.next_action.type == "redirect_to_url"
    redirect = intent.next_action.redirect_to_url
    assert redirect is not None and redirect.url is not None and redirect.return_url == RETURN
    return redirect.url


def test_completing_authentication_pays_and_returns_to_the_shop(
    client: stripe.StripeClient,
) -> None:
    intent = _payment(client)
    page = httpx.get(_redirect_url(intent))
    assert page.status_code == 200
    assert "€25.00" in page.text and "3184" in page.text

    answer = authenticate(_redirect_url(intent), "complete")

    assert answer.status_code == 303
    back = urlsplit(answer.headers["location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == "https://shop.example.com/order/complete"
    query = parse_qs(back.query)
    assert query["order"] == ["7"]
    assert query["payment_intent"] == [intent.id]
    assert query["payment_intent_client_secret"] == [intent.client_secret]
    assert query["redirect_status"] == ["succeeded"]
    paid = client.v1.payment_intents.retrieve(intent.id, params={"expand": ["latest_charge"]})
    assert (paid.status, paid.amount_received, paid.next_action) == ("succeeded", 2500, None)
    charge = paid.latest_charge
    assert isinstance(charge, stripe.Charge) and charge.paid
    details = charge.payment_method_details
    assert details is not None and details.card is not None
    assert details.card.three_d_secure is not None
    assert details.card.three_d_secure.result == "authenticated"
    assert builders.event_types(client, intent.id, "payment_intent.*") == [
        "payment_intent.created",
        "payment_intent.requires_action",
        "payment_intent.succeeded",
    ]


def test_failing_authentication_asks_for_another_payment_method(
    client: stripe.StripeClient,
) -> None:
    intent = _payment(client)

    answer = authenticate(_redirect_url(intent), "fail")

    assert answer.status_code == 303
    assert parse_qs(urlsplit(answer.headers["location"]).query)["redirect_status"] == ["failed"]
    failed = client.v1.payment_intents.retrieve(intent.id)
    assert (failed.status, failed.payment_method) == ("requires_payment_method", None)
    error = failed.last_payment_error
    assert error is not None and error.code == "payment_intent_authentication_failure"
    assert builders.event_types(client, intent.id, "payment_intent.*")[-1] == (
        "payment_intent.payment_failed"
    )
    # The page is done with it; a second visit finds nothing to authenticate.
    assert httpx.get(_redirect_url(intent)).status_code == 404

    again = client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_visa"})
    assert again.status == "succeeded"


def test_manual_capture_waits_for_capture_after_authentication(
    client: stripe.StripeClient,
) -> None:
    intent = _payment(client, capture_method="manual")
    assert authenticate(_redirect_url(intent), "complete").status_code == 303
    held = client.v1.payment_intents.retrieve(intent.id)
    assert (held.status, held.amount_capturable) == ("requires_capture", 2500)


def test_without_a_return_url_the_page_says_how_it_ended(client: stripe.StripeClient) -> None:
    intent = _payment(client, return_url=None)
    assert intent.next_action is not None and intent.next_action.type == "use_stripe_sdk"
    sdk = intent.next_action.use_stripe_sdk
    assert sdk is not None
    answer = authenticate(str(sdk["stripe_js"]), "complete")
    assert answer.status_code == 200 and "Authentication complete" in answer.text
    assert client.v1.payment_intents.retrieve(intent.id).status == "succeeded"


def test_a_setup_intent_attaches_the_card_once_authenticated(
    client: stripe.StripeClient,
) -> None:
    customer = builders.customer(client, name="Strong Auth")
    params: Any = {
        "customer": customer.id,
        "payment_method": "pm_card_authenticationRequiredOnSetup",
        "confirm": True,
        "return_url": RETURN,
    }
    intent = client.v1.setup_intents.create(params=params)
    page = httpx.get(_redirect_url(intent))
    assert "saves your card" in page.text

    answer = authenticate(_redirect_url(intent), "complete")

    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert (query["setup_intent"], query["redirect_status"]) == ([intent.id], ["succeeded"])
    done = client.v1.setup_intents.retrieve(intent.id)
    assert done.status == "succeeded"
    card = client.v1.payment_methods.retrieve(str(done.payment_method))
    assert card.customer == customer.id
    assert builders.events(client, "payment_method.attached", card.id)
    # Set up with authentication, the card now pays off session without asking again.
    later = client.v1.payment_intents.create(
        params={
            "amount": 900,
            "currency": "eur",
            "customer": customer.id,
            "payment_method": card.id,
            "confirm": True,
            "off_session": True,
        }
    )
    assert later.status == "succeeded"


def test_a_failed_setup_authentication_attaches_nothing(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Strong Auth")
    params: Any = {
        "customer": customer.id,
        "payment_method": "pm_card_authenticationRequired",
        "confirm": True,
        "return_url": RETURN,
    }
    intent = client.v1.setup_intents.create(params=params)
    authenticate(_redirect_url(intent), "fail")
    failed = client.v1.setup_intents.retrieve(intent.id)
    assert failed.status == "requires_payment_method"
    assert failed.last_setup_error is not None
    assert failed.last_setup_error.code == "setup_intent_authentication_failure"
    assert client.v1.payment_methods.list(params={"customer": customer.id}).data == []
    assert builders.event_types(client, intent.id, "setup_intent.*")[-1] == (
        "setup_intent.setup_failed"
    )


@pytest.mark.parametrize("tampered", ["csrf", "outcome"])
def test_the_page_refuses_a_forged_or_unknown_answer(
    client: stripe.StripeClient, tampered: str
) -> None:
    url = _redirect_url(_payment(client))
    with httpx.Client() as browser:
        page = browser.get(url)
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        form = {"csrf_token": "x" * 22 if tampered == "csrf" else token, "outcome": "complete"}
        if tampered == "outcome":
            form["outcome"] = "succeed-please"
        answer = browser.post(url, data=form)
    assert answer.status_code == (403 if tampered == "csrf" else 400)
    intent_id = urlsplit(url).path.rsplit("/", 1)[1]
    assert client.v1.payment_intents.retrieve(intent_id).status == "requires_action"
