"""Quick view: flow_data builders and the live-mode refusal before any call."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from console.errors import LiveModeRefused, ValidationError
from console.gateway.models import PortalSession, PortalSessionId
from console.portal_session import quick_view as qv


class RecordingGateway:
    def __init__(self, livemode: bool) -> None:
        self.livemode = livemode
        self.calls: list[Mapping[str, Any]] = []

    async def create_portal_session(self, params: Mapping[str, Any]) -> PortalSession:
        self.calls.append(params)
        return PortalSession(PortalSessionId("bps_1"), "https://portal.example/s/1", 0, None, None)


@pytest.mark.asyncio
async def test_live_mode_is_refused_before_any_call() -> None:
    gateway = RecordingGateway(livemode=True)
    with pytest.raises(LiveModeRefused) as refused:
        await qv.open_portal_as_customer(gateway, "cus_1", flow=qv.payment_method_update_flow())
    assert refused.value.code == "livemode_refused"
    assert gateway.calls == []


@pytest.mark.asyncio
async def test_test_mode_sends_the_session_params() -> None:
    gateway = RecordingGateway(livemode=False)
    session = await qv.open_portal_as_customer(
        gateway,
        "cus_1",
        configuration="bpc_1",
        locale="fr-CA",
        flow=qv.subscription_update_flow("sub_1"),
    )
    assert session.url.startswith("https://")
    assert gateway.calls == [
        {
            "customer": "cus_1",
            "configuration": "bpc_1",
            "locale": "fr-CA",
            "flow_data": {
                "type": "subscription_update",
                "subscription_update": {"subscription": "sub_1"},
            },
        }
    ]


def test_flow_builders_make_stripe_flow_data() -> None:
    assert qv.payment_method_update_flow().to_params() == {"type": "payment_method_update"}
    assert qv.customer_update_flow().to_params() == {
        "type": "customer_update",
        "customer_update": {},
    }
    assert qv.subscription_cancel_flow(
        "sub_1",
        retention_coupon="STAY",
        after=qv.AfterCompletion("redirect", return_url="https://a.example"),
    ).to_params() == {
        "type": "subscription_cancel",
        "subscription_cancel": {
            "subscription": "sub_1",
            "retention": {"type": "coupon_offer", "coupon_offer": {"coupon": "STAY"}},
        },
        "after_completion": {"type": "redirect", "redirect": {"return_url": "https://a.example"}},
    }
    assert qv.subscription_pause_flow("sub_1").to_params()["subscription_pause"] == {
        "subscription": "sub_1"
    }
    confirm = qv.subscription_update_confirm_flow(
        "sub_1", [qv.ConfirmItem("si_1", price="price_2", quantity=3)], promotion_code="promo_1"
    ).to_params()
    assert confirm["subscription_update_confirm"] == {
        "subscription": "sub_1",
        "items": [{"id": "si_1", "price": "price_2", "quantity": 3}],
        "discounts": [{"promotion_code": "promo_1"}],
    }


def test_bad_session_params_are_all_reported() -> None:
    flow = qv.payment_method_update_flow(
        qv.AfterCompletion("hosted_confirmation", custom_message="x" * 501)
    )
    with pytest.raises(ValidationError) as invalid:
        qv.session_params("bob", locale="xx", flow=flow, return_url="nope")
    assert [p.param for p in invalid.value.problems] == [
        "customer",
        "locale",
        "return_url",
        "flow_data[after_completion][hosted_confirmation][custom_message]",
    ]


def test_the_locales_are_the_forty_plus_api_only_and_auto() -> None:
    assert len(qv.session_locales()) == 47
