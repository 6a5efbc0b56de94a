"""The sandbox clock moves forward on request, never back."""

from __future__ import annotations

from typing import Any

import pytest
import stripe


def _clock(client: stripe.StripeClient, *args: Any, **params: Any) -> Any:
    return client.raw_request(*args, **params)


def test_advance_moves_now_forward(fresh_client: stripe.StripeClient) -> None:
    before = fresh_client.deserialize(
        _clock(fresh_client, "get", "/v1/test_helpers/sandbox_clock"), api_mode="V1"
    )
    after = fresh_client.deserialize(
        _clock(fresh_client, "post", "/v1/test_helpers/sandbox_clock/advance", seconds=86400),
        api_mode="V1",
    )
    assert after["now"] - before["now"] >= 86400
    customer = fresh_client.v1.customers.create()
    assert customer.created >= before["now"] + 86400


def test_clock_refuses_to_go_back(fresh_client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        _clock(fresh_client, "post", "/v1/test_helpers/sandbox_clock/advance", frozen_time=1000)
    assert raised.value.param == "frozen_time"
