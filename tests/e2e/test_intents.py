"""SetupIntents and PaymentIntents through the stripe library: Stripe's state machines."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from tests import builders


def typed(params: dict[str, Any]) -> Any:
    """Parameters built at run time, past the SDK's TypedDicts."""
    return params


# -- SetupIntents ----------------------------------------------------------------------


def test_setup_intent_defaults(client: stripe.StripeClient) -> None:
    si = client.v1.setup_intents.create()
    assert si.id.startswith("seti_") and si.object == "setup_intent"
    assert si.status == "requires_payment_method"
    assert si.usage == "off_session"
    assert si.client_secret is not None and si.client_secret.startswith(f"{si.id}_secret_")
    assert si.automatic_payment_methods is not None and si.automatic_payment_methods.enabled
    assert "card" in si.payment_method_types
    assert si.payment_method is None and si.last_setup_error is None
    assert client.v1.setup_intents.retrieve(si.id).status == "requires_payment_method"


def test_confirming_a_setup_intent_saves_the_card_to_the_customer(
    client: stripe.StripeClient,
) -> None:
    customer = builders.customer(client, name="Intent Tester")
    si = client.v1.setup_intents.create(
        params={"customer": customer.id, "payment_method": "pm_card_visa", "usage": "off_session"}
    )
    assert si.status == "requires_confirmation"
    confirmed = client.v1.setup_intents.confirm(si.id, params={"expand": ["latest_attempt"]})
    assert confirmed.status == "succeeded"
    assert confirmed.latest_attempt is not None
    assert confirmed.latest_attempt.status == "succeeded"  # type: ignore[union-attr]
    pm_id = confirmed.payment_method
    assert isinstance(pm_id, str)
    assert client.v1.payment_methods.retrieve(pm_id).customer == customer.id
    assert builders.event_types(client, si.id, "setup_intent.*") == [
        "setup_intent.created",
        "setup_intent.succeeded",
    ]
    assert builders.event_types(client, pm_id, "payment_method.*") == ["payment_method.attached"]
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.setup_intents.confirm(si.id)
    assert raised.value.code == "setup_intent_unexpected_state"
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.setup_intents.cancel(si.id)


@pytest.mark.parametrize("declining", ["pm_card_chargeDeclined", "4000000000000002"])
def test_declined_setup_is_kept_and_answered_402(
    client: stripe.StripeClient, declining: str
) -> None:
    customer = builders.customer(client, name="Intent Tester")
    pm = (
        declining
        if declining.startswith("pm_")
        else builders.card(client, declining, exp_month=1, cvc="314").id
    )
    with pytest.raises(stripe.CardError) as raised:
        client.v1.setup_intents.create(
            params={"customer": customer.id, "payment_method": pm, "confirm": True}
        )
    assert raised.value.code == "card_declined"
    error = raised.value.error
    assert error is not None and error.decline_code == "generic_decline"
    assert error.setup_intent is not None
    si = client.v1.setup_intents.retrieve(error.setup_intent.id)
    assert si.status == "requires_payment_method"
    assert si.payment_method is None
    assert si.last_setup_error is not None
    assert si.last_setup_error.code == "card_declined"
    assert si.last_setup_error.decline_code == "generic_decline"
    assert si.last_setup_error.payment_method is not None
    assert client.v1.customers.payment_methods.list(customer.id).data == []
    assert builders.event_types(client, si.id, "setup_intent.*") == [
        "setup_intent.created",
        "setup_intent.setup_failed",
    ]
    retried = client.v1.setup_intents.confirm(si.id, params={"payment_method": "pm_card_visa"})
    assert retried.status == "succeeded" and retried.last_setup_error is None


def test_charge_customer_fail_card_sets_up_fine(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Intent Tester")
    si = client.v1.setup_intents.create(
        params={
            "customer": customer.id,
            "payment_method": "pm_card_chargeCustomerFail",
            "confirm": True,
        }
    )
    assert si.status == "succeeded"


def test_cancel_setup_intent_with_reason(client: stripe.StripeClient) -> None:
    si = client.v1.setup_intents.create(params={"metadata": {"k": "v"}})
    canceled = client.v1.setup_intents.cancel(si.id, params={"cancellation_reason": "abandoned"})
    assert canceled.status == "canceled" and canceled.cancellation_reason == "abandoned"
    assert builders.event_types(client, si.id, "setup_intent.*")[-1] == "setup_intent.canceled"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.setup_intents.cancel(si.id)
    assert raised.value.code == "setup_intent_unexpected_state"
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.setup_intents.update(si.id, params={"payment_method": "pm_card_visa"})
    updated = client.v1.setup_intents.update(si.id, params={"metadata": {"k": "w"}})
    assert updated.metadata is not None and updated.metadata.to_dict() == {"k": "w"}


def test_setup_without_payment_method_cannot_confirm(client: stripe.StripeClient) -> None:
    si = client.v1.setup_intents.create(
        params={"customer": builders.customer(client, name="Intent Tester").id}
    )
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.setup_intents.confirm(si.id)
    assert raised.value.param == "payment_method"
    assert client.v1.setup_intents.retrieve(si.id).status == "requires_payment_method"


def test_three_d_secure_card_requires_action(client: stripe.StripeClient) -> None:
    si = client.v1.setup_intents.create(
        params={
            "customer": builders.customer(client, name="Intent Tester").id,
            "payment_method": "pm_card_authenticationRequired",
            "confirm": True,
        }
    )
    assert si.status == "requires_action"
    assert si.next_action is not None and si.next_action.type == "use_stripe_sdk"


def test_bank_account_typed_in_waits_for_microdeposits(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Intent Tester")
    pm = client.v1.payment_methods.create(
        params={
            "type": "us_bank_account",
            "us_bank_account": {"routing_number": "110000000", "account_number": "000123456789"},
            "billing_details": {"name": "Jenny Rosen"},
        }
    )
    si = client.v1.setup_intents.create(
        params={
            "customer": customer.id,
            "payment_method": pm.id,
            "allowed_payment_method_types": ["us_bank_account"],
            "confirm": True,
        }
    )
    assert si.status == "requires_action"
    assert si.next_action is not None and si.next_action.type == "verify_with_microdeposits"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.setup_intents.verify_microdeposits(si.id, params={"amounts": [1, 2]})
    assert raised.value.code == "payment_method_microdeposit_verification_amounts_mismatch"
    verified = client.v1.setup_intents.verify_microdeposits(si.id, params={"amounts": [32, 45]})
    assert verified.status == "succeeded"
    assert client.v1.payment_methods.retrieve(pm.id).customer == customer.id


def test_setup_intents_list_by_customer(fresh_client: stripe.StripeClient) -> None:
    customer = builders.customer(fresh_client, name="Intent Tester")
    mine = fresh_client.v1.setup_intents.create(params={"customer": customer.id})
    fresh_client.v1.setup_intents.create()
    listed = fresh_client.v1.setup_intents.list(params={"customer": customer.id})
    assert [s.id for s in listed.data] == [mine.id]
    assert len(fresh_client.v1.setup_intents.list().data) == 2


# -- PaymentIntents --------------------------------------------------------------------


def test_payment_intent_defaults_and_minimum_amount(client: stripe.StripeClient) -> None:
    pi = client.v1.payment_intents.create(params={"amount": 1099, "currency": "USD"})
    assert pi.id.startswith("pi_") and pi.status == "requires_payment_method"
    assert (pi.amount, pi.currency, pi.amount_received, pi.amount_capturable) == (
        1099,
        "usd",
        0,
        0,
    )
    assert pi.capture_method == "automatic_async" and pi.confirmation_method == "automatic"
    assert pi.client_secret is not None and pi.client_secret.startswith(f"{pi.id}_secret_")
    assert pi.latest_charge is None and pi.canceled_at is None
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.payment_intents.create(params={"amount": 10, "currency": "usd"})
    assert raised.value.code == "amount_too_small" and raised.value.param == "amount"


def test_confirmed_payment_succeeds_with_a_charge(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Intent Tester")
    pm = client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
    pi = client.v1.payment_intents.create(
        params={
            "amount": 2000,
            "currency": "eur",
            "customer": customer.id,
            "payment_method": pm.id,
            "description": "Order 42",
            "metadata": {"order": "42"},
            "confirm": True,
            "off_session": True,
            "expand": ["latest_charge"],
        }
    )
    assert pi.status == "succeeded" and pi.amount_received == 2000
    charge: Any = pi.latest_charge
    assert charge.paid is True and charge.captured is True and charge.status == "succeeded"
    assert charge.payment_method_details.card.last4 == "4242"
    assert charge.amount == 2000 and charge.customer == customer.id
    assert builders.event_types(client, pi.id, "payment_intent.*") == [
        "payment_intent.created",
        "payment_intent.succeeded",
    ]
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.payment_intents.confirm(pi.id)
    assert raised.value.code == "payment_intent_unexpected_state"
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.payment_intents.cancel(pi.id)


def test_card_that_fails_on_charge_leaves_requires_payment_method(
    client: stripe.StripeClient,
) -> None:
    customer = builders.customer(client, name="Intent Tester")
    failing = client.v1.payment_methods.attach(
        "pm_card_chargeCustomerFail", params={"customer": customer.id}
    )
    pi = client.v1.payment_intents.create(
        params={
            "amount": 1500,
            "currency": "usd",
            "customer": customer.id,
            "payment_method": failing.id,
        }
    )
    assert pi.status == "requires_confirmation"
    with pytest.raises(stripe.CardError) as raised:
        client.v1.payment_intents.confirm(pi.id, params={"off_session": True})
    assert raised.value.code == "card_declined"
    error = raised.value.error
    assert error is not None and error.payment_intent is not None
    assert error.payment_intent.id == pi.id
    after = client.v1.payment_intents.retrieve(pi.id, params={"expand": ["latest_charge"]})
    assert after.status == "requires_payment_method"
    assert after.payment_method is None
    assert after.last_payment_error is not None
    assert after.last_payment_error.decline_code == "generic_decline"
    assert after.last_payment_error.message == "Your card was declined."
    charge: Any = after.latest_charge
    assert charge.status == "failed" and charge.failure_code == "card_declined"
    assert builders.event_types(client, pi.id, "payment_intent.*") == [
        "payment_intent.created",
        "payment_intent.payment_failed",
    ]
    good = client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
    retried = client.v1.payment_intents.confirm(pi.id, params={"payment_method": good.id})
    assert retried.status == "succeeded" and retried.last_payment_error is None


@pytest.mark.parametrize(
    ("number", "code", "decline_code", "message"),
    [
        (
            "4000000000009995",
            "card_declined",
            "insufficient_funds",
            "Your card has insufficient funds.",
        ),
        ("4000000000000069", "expired_card", "expired_card", "Your card has expired."),
        ("4000000000000002", "card_declined", "generic_decline", "Your card was declined."),
    ],
)
def test_declining_numbers_decline_payments(
    client: stripe.StripeClient, number: str, code: str, decline_code: str, message: str
) -> None:
    pm = builders.card(client, number, exp_month=1, cvc="314")
    with pytest.raises(stripe.CardError) as raised:
        client.v1.payment_intents.create(
            params={"amount": 500, "currency": "usd", "payment_method": pm.id, "confirm": True}
        )
    assert raised.value.code == code
    assert raised.value.user_message == message
    assert raised.value.error is not None and raised.value.error.decline_code == decline_code


def test_manual_capture(client: stripe.StripeClient) -> None:
    pi = client.v1.payment_intents.create(
        params={
            "amount": 1000,
            "currency": "usd",
            "payment_method": "pm_card_mastercard",
            "capture_method": "manual",
            "confirm": True,
        }
    )
    assert pi.status == "requires_capture" and pi.amount_capturable == 1000
    with pytest.raises(stripe.InvalidRequestError) as too_much:
        client.v1.payment_intents.capture(pi.id, params={"amount_to_capture": 1001})
    assert too_much.value.param == "amount_to_capture"
    captured = client.v1.payment_intents.capture(
        pi.id, params={"amount_to_capture": 600, "expand": ["latest_charge"]}
    )
    assert captured.status == "succeeded"
    assert (captured.amount_received, captured.amount_capturable) == (600, 0)
    charge: Any = captured.latest_charge
    assert charge.captured is True and charge.amount_captured == 600
    assert builders.event_types(client, pi.id, "payment_intent.*") == [
        "payment_intent.created",
        "payment_intent.amount_capturable_updated",
        "payment_intent.succeeded",
    ]
    with pytest.raises(stripe.InvalidRequestError) as again:
        client.v1.payment_intents.capture(pi.id)
    assert again.value.code == "payment_intent_unexpected_state"


def test_cancel_payment_intent(client: stripe.StripeClient) -> None:
    pi = client.v1.payment_intents.create(params={"amount": 800, "currency": "gbp"})
    canceled = client.v1.payment_intents.cancel(pi.id, params={"cancellation_reason": "duplicate"})
    assert canceled.status == "canceled" and canceled.cancellation_reason == "duplicate"
    assert canceled.canceled_at is not None
    assert builders.event_types(client, pi.id, "payment_intent.*")[-1] == "payment_intent.canceled"
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.payment_intents.confirm(pi.id, params={"payment_method": "pm_card_visa"})


def test_setup_future_usage_saves_the_payment_method(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Intent Tester")
    pi = client.v1.payment_intents.create(
        params={
            "amount": 700,
            "currency": "usd",
            "customer": customer.id,
            "payment_method": "pm_card_visa",
            "setup_future_usage": "off_session",
            "confirm": True,
        }
    )
    assert pi.status == "succeeded"
    assert isinstance(pi.payment_method, str)
    assert client.v1.payment_methods.retrieve(pi.payment_method).customer == customer.id


def test_a_one_off_payment_method_cannot_be_reused(client: stripe.StripeClient) -> None:
    pm = builders.card(client, "4242424242424242", exp_month=1, cvc="314")
    first = client.v1.payment_intents.create(
        params={"amount": 500, "currency": "usd", "payment_method": pm.id, "confirm": True}
    )
    assert first.status == "succeeded"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.payment_intents.create(
            params={"amount": 500, "currency": "usd", "payment_method": pm.id, "confirm": True}
        )
    assert raised.value.param == "payment_method"


def test_another_customers_payment_method_is_refused(client: stripe.StripeClient) -> None:
    owner = builders.customer(client, name="Intent Tester")
    pm = client.v1.payment_methods.attach("pm_card_visa", params={"customer": owner.id})
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.payment_intents.create(
            params={
                "amount": 500,
                "currency": "usd",
                "customer": builders.customer(client, name="Intent Tester").id,
                "payment_method": pm.id,
                "confirm": True,
            }
        )
    assert raised.value.param == "payment_method"


def test_authentication_cards_need_action_on_session_and_fail_off_session(
    client: stripe.StripeClient,
) -> None:
    customer = builders.customer(client, name="Intent Tester")
    pm = client.v1.payment_methods.attach(
        "pm_card_authenticationRequired", params={"customer": customer.id}
    )
    base = {"amount": 900, "currency": "usd", "customer": customer.id, "payment_method": pm.id}
    on_session = client.v1.payment_intents.create(params=typed({**base, "confirm": True}))
    assert on_session.status == "requires_action"
    assert on_session.next_action is not None
    with pytest.raises(stripe.CardError) as raised:
        client.v1.payment_intents.create(
            params=typed({**base, "confirm": True, "off_session": True})
        )
    assert raised.value.code == "authentication_required"


def test_update_payment_intent_and_its_limits(client: stripe.StripeClient) -> None:
    pi = client.v1.payment_intents.create(params={"amount": 1000, "currency": "usd"})
    updated = client.v1.payment_intents.update(
        pi.id,
        params={"amount": 1200, "description": "Bigger", "metadata": {"a": "b"}},
    )
    assert (updated.amount, updated.description) == (1200, "Bigger")
    with_pm = client.v1.payment_intents.update(pi.id, params={"payment_method": "pm_card_visa"})
    assert with_pm.status == "requires_confirmation"
    done = client.v1.payment_intents.confirm(pi.id)
    assert done.status == "succeeded"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.payment_intents.update(pi.id, params={"amount": 5000})
    assert raised.value.code == "payment_intent_unexpected_state"
    tagged = client.v1.payment_intents.update(pi.id, params={"metadata": {"a": "c"}})
    assert tagged.metadata.to_dict() == {"a": "c"}


def test_currency_must_suit_a_debit(client: stripe.StripeClient) -> None:
    customer = builders.customer(client, name="Intent Tester")
    sepa = client.v1.payment_methods.create(
        params={
            "type": "sepa_debit",
            "sepa_debit": {"iban": "DE89370400440532013000"},
            "billing_details": {"name": "J", "email": "j@example.com"},
        }
    )
    base = {"amount": 1000, "customer": customer.id, "payment_method": sepa.id, "confirm": True}
    with pytest.raises(stripe.InvalidRequestError) as wrong_currency:
        client.v1.payment_intents.create(
            params=typed(
                {**base, "currency": "usd", "allowed_payment_method_types": ["sepa_debit"]}
            )
        )
    assert wrong_currency.value.code == "payment_method_currency_mismatch"
    with pytest.raises(stripe.InvalidRequestError) as wrong_type:
        client.v1.payment_intents.create(
            params=typed({**base, "currency": "eur", "allowed_payment_method_types": ["card"]})
        )
    assert wrong_type.value.code == "payment_intent_incompatible_payment_method"
    ok = client.v1.payment_intents.create(
        params={
            "amount": 1000,
            "currency": "eur",
            "customer": customer.id,
            "payment_method": sepa.id,
            "confirm": True,
        }
    )
    assert ok.status == "succeeded"


def test_payment_intents_list_by_customer(fresh_client: stripe.StripeClient) -> None:
    customer = builders.customer(fresh_client, name="Intent Tester")
    mine = fresh_client.v1.payment_intents.create(
        params={"amount": 500, "currency": "usd", "customer": customer.id}
    )
    fresh_client.v1.payment_intents.create(params={"amount": 500, "currency": "usd"})
    listed = fresh_client.v1.payment_intents.list(
        params={"customer": customer.id, "expand": ["data.customer"]}
    )
    assert [p.id for p in listed.data] == [mine.id]
    assert listed.data[0].customer.id == customer.id  # type: ignore[union-attr]
    assert len(fresh_client.v1.payment_intents.list().data) == 2


def test_microdeposit_attempts_can_run_out(client: stripe.StripeClient) -> None:
    pm = client.v1.payment_methods.create(
        params={
            "type": "us_bank_account",
            "us_bank_account": {"routing_number": "110000000", "account_number": "000123456789"},
            "billing_details": {"name": "Jenny Rosen"},
        }
    )
    si = client.v1.setup_intents.create(
        params={
            "customer": builders.customer(client, name="Intent Tester").id,
            "payment_method": pm.id,
            "confirm": True,
        }
    )
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.setup_intents.verify_microdeposits(si.id, params={"descriptor_code": "SM33CC"})
    assert raised.value.code == "payment_method_microdeposit_verification_attempts_exceeded"
    after = client.v1.setup_intents.retrieve(si.id)
    assert after.status == "requires_payment_method"
    assert after.last_setup_error is not None
    assert after.last_setup_error.code == raised.value.code


def test_payment_method_data_makes_the_payment_method_inline(client: stripe.StripeClient) -> None:
    billing = {"name": "Jenny Rosen", "email": "jenny@example.com"}
    data: Any = {"type": "sepa_debit", "sepa_debit": {"iban": "DE89370400440532013000"}}
    pi = client.v1.payment_intents.create(
        params=typed(
            {
                "amount": 1000,
                "currency": "eur",
                "payment_method_data": {**data, "billing_details": billing},
                "confirm": True,
            }
        )
    )
    assert pi.status == "succeeded"
    assert isinstance(pi.payment_method, str) and pi.payment_method.startswith("pm_")
    assert client.v1.payment_methods.retrieve(pi.payment_method).type == "sepa_debit"
    bad = {**data, "sepa_debit": {"iban": "DE89370400440532013001"}, "billing_details": billing}
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.payment_intents.create(
            params=typed(
                {"amount": 1000, "currency": "eur", "payment_method_data": bad, "confirm": True}
            )
        )
    assert raised.value.param == "payment_method_data[sepa_debit][iban]"
