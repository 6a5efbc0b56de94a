"""An invoice payment that asked for 3-D Secure (``invoice.payment_action_required``) is paid
once the customer authenticates it: the invoice paid, the subscription active."""

from __future__ import annotations

import re

import httpx
import stripe

from tests import builders
from tests.e2e.three_d_secure.helpers import authenticate


def _waiting_intent(client: stripe.StripeClient, invoice_id: str) -> stripe.PaymentIntent:
    invoice = client.v1.invoices.retrieve(invoice_id, params={"expand": ["payments"]})
    assert invoice.payments is not None and invoice.payments.data
    intent_id = invoice.payments.data[0].payment.payment_intent
    intent = client.v1.payment_intents.retrieve(str(intent_id))
    assert intent.status == "requires_action"
    assert intent.last_payment_error is not None
    assert intent.last_payment_error.code == "authentication_required"
    return intent


def _challenge_url(intent: stripe.PaymentIntent) -> str:
    assert intent.next_action is not None and intent.next_action.use_stripe_sdk is not None
    return str(intent.next_action.use_stripe_sdk["stripe_js"])


def _subscribed_with_a_3d_secure_card(client: stripe.StripeClient) -> stripe.Subscription:
    customer = builders.customer(
        client, email="billing@example.com", payment_method="pm_card_authenticationRequired"
    ).id
    return builders.subscribe(client, customer, builders.price(client, 1200).id)


def test_authenticating_the_first_invoice_activates_the_subscription(
    client: stripe.StripeClient,
) -> None:
    sub = _subscribed_with_a_3d_secure_card(client)
    assert sub.status == "incomplete"
    invoice_id = str(sub.latest_invoice)
    intent = _waiting_intent(client, invoice_id)

    answer = authenticate(_challenge_url(intent), "complete")

    assert answer.status_code == 200 and "Authentication complete" in answer.text
    assert client.v1.payment_intents.retrieve(intent.id).status == "succeeded"
    invoice = client.v1.invoices.retrieve(invoice_id)
    assert (invoice.status, invoice.amount_paid) == ("paid", 1200)
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"
    assert builders.events(client, "invoice.paid", invoice_id)
    assert builders.events(client, "customer.subscription.updated", sub.id)


def test_failing_it_leaves_the_invoice_open(client: stripe.StripeClient) -> None:
    sub = _subscribed_with_a_3d_secure_card(client)
    invoice_id = str(sub.latest_invoice)
    intent = _waiting_intent(client, invoice_id)

    authenticate(_challenge_url(intent), "fail")

    assert client.v1.payment_intents.retrieve(intent.id).status == "requires_payment_method"
    assert client.v1.invoices.retrieve(invoice_id).status == "open"
    assert client.v1.subscriptions.retrieve(sub.id).status == "incomplete"


def test_authenticating_a_renewal_brings_the_subscription_back(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    customer = builders.customer(
        client, email="billing@example.com", payment_method="pm_card_visa"
    ).id
    sub = builders.subscribe(client, customer, builders.price(client, 1200).id)
    strict = client.v1.payment_methods.attach(
        "pm_card_authenticationRequired", params={"customer": customer}
    )
    client.v1.customers.update(
        customer, params={"invoice_settings": {"default_payment_method": strict.id}}
    )
    builders.advance(client, 32 * builders.DAY)
    renewed = client.v1.subscriptions.retrieve(sub.id)
    assert renewed.status == "past_due"
    invoice_id = str(renewed.latest_invoice)

    authenticate(_challenge_url(_waiting_intent(client, invoice_id)), "complete")

    assert client.v1.invoices.retrieve(invoice_id).status == "paid"
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"


def test_the_hosted_invoice_page_authenticates_a_3d_secure_card(
    client: stripe.StripeClient,
) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    final = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 2100).id)
    assert final.hosted_invoice_url is not None
    with httpx.Client() as browser:
        page = browser.get(final.hosted_invoice_url)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert csrf is not None
        form = {"csrf_token": csrf.group(1), "number": "4000 0027 6000 3184", "expiry": "12/40"}
        sent = browser.post(f"{final.hosted_invoice_url}/pay", data=form)
        assert sent.status_code == 303 and "/3d_secure/pi_" in sent.headers["location"]

        back = authenticate(sent.headers["location"], "complete", http=browser)
        assert back.headers["location"].startswith(final.hosted_invoice_url)
        shown = browser.get(back.headers["location"])

    assert "Payment received. Thank you!" in shown.text
    paid = client.v1.invoices.retrieve(final.id)
    assert (paid.status, paid.amount_paid) == ("paid", 2100)


def test_a_failed_authentication_on_the_invoice_page_leaves_it_open(
    client: stripe.StripeClient,
) -> None:
    customer = builders.customer(client, name="Ada Lovelace")
    final = client.v1.invoices.finalize_invoice(builders.draft(client, customer.id, 2100).id)
    assert final.hosted_invoice_url is not None
    with httpx.Client() as browser:
        page = browser.get(final.hosted_invoice_url)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert csrf is not None
        form = {"csrf_token": csrf.group(1), "number": "4000 0027 6000 3184", "expiry": "12/40"}
        sent = browser.post(f"{final.hosted_invoice_url}/pay", data=form)
        back = authenticate(sent.headers["location"], "fail", http=browser)
        shown = browser.get(back.headers["location"])

    assert "unable to authenticate your payment method" in shown.text
    assert 'name="number"' in shown.text  # the card form again
    assert client.v1.invoices.retrieve(final.id).status == "open"


def test_a_test_clock_customer_is_paid_at_the_clock_s_time(client: stripe.StripeClient) -> None:
    frozen = 1_767_225_600  # 2026-01-01, far from the sandbox's own clock
    clock = builders.test_clock(client, frozen)
    customer = builders.customer(
        client, payment_method="pm_card_authenticationRequired", test_clock=clock.id
    )
    sub = builders.subscribe(client, customer.id, builders.price(client, 1200).id)
    invoice_id = str(sub.latest_invoice)

    authenticate(_challenge_url(_waiting_intent(client, invoice_id)), "complete")

    invoice = client.v1.invoices.retrieve(invoice_id)
    assert invoice.status == "paid"
    assert invoice.status_transitions.paid_at == frozen
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"
