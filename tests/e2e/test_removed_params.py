"""A parameter this API version removed answers Stripe's removal code, not ``parameter_unknown``.

Stripe's changelog (endive 2026-09-30): ``payment_method_types`` on Payment Intents (create,
update, confirm) and Setup Intents (create, update) is a 400 with code
``payment_method_types_no_longer_supported``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import stripe

Send = Callable[[stripe.StripeClient], object]


def _raw(params: dict[str, Any]) -> Any:
    """Parameters the stripe library's types no longer allow, sent as they are."""
    return params


def _payment_intent(client: stripe.StripeClient) -> str:
    return client.v1.payment_intents.create(params=_raw({"amount": 1000, "currency": "usd"})).id


def _setup_intent(client: stripe.StripeClient) -> str:
    return client.v1.setup_intents.create().id


CASES: list[tuple[str, Send]] = [
    (
        "payment intent create",
        lambda c: c.v1.payment_intents.create(
            params=_raw({"amount": 1000, "currency": "usd", "payment_method_types": ["card"]})
        ),
    ),
    (
        "payment intent update",
        lambda c: c.v1.payment_intents.update(
            _payment_intent(c), params=_raw({"payment_method_types": ["card"]})
        ),
    ),
    (
        "payment intent confirm",
        lambda c: c.v1.payment_intents.confirm(
            _payment_intent(c),
            params=_raw({"payment_method": "pm_card_visa", "payment_method_types": ["card"]}),
        ),
    ),
    (
        "setup intent create",
        lambda c: c.v1.setup_intents.create(params=_raw({"payment_method_types": ["card"]})),
    ),
    (
        "setup intent update",
        lambda c: c.v1.setup_intents.update(
            _setup_intent(c), params=_raw({"payment_method_types": ["card"]})
        ),
    ),
]


@pytest.mark.parametrize("send", [case[1] for case in CASES], ids=[case[0] for case in CASES])
def test_payment_method_types_answers_its_removal_code(
    client: stripe.StripeClient, send: Send
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        send(client)
    error = refused.value
    assert error.http_status == 400
    assert error.code == "payment_method_types_no_longer_supported"
    assert error.param == "payment_method_types"
    assert "allowed_payment_method_types" in str(error.user_message)


def test_a_removed_parameter_changes_nothing(client: stripe.StripeClient) -> None:
    intent = _payment_intent(client)
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.payment_intents.update(
            intent, params=_raw({"description": "kept?", "payment_method_types": ["card"]})
        )
    assert client.v1.payment_intents.retrieve(intent).description is None


def test_a_truly_unknown_parameter_is_still_parameter_unknown(
    client: stripe.StripeClient,
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.payment_intents.create(
            params=_raw({"amount": 1000, "currency": "usd", "payment_method_kinds": ["card"]})
        )
    assert refused.value.code == "parameter_unknown"
