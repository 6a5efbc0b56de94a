"""Cancelling and renewing: what is allowed, the feedback, the request."""

from __future__ import annotations

from console.sandbox.billing import portal_rules as rules
from tests.unit.sandbox.portal_rules.conftest import (
    assess,
    codes,
    configuration,
    subscription,
)


def test_cancel_disabled_and_already_scheduled() -> None:
    assert codes(assess(config=configuration(cancel_enabled=False)).cancel_limits) == [
        rules.CANCEL_DISABLED
    ]
    scheduled = assess(subscription(cancel_at_period_end=True, cancel_at=1_800_000_000))
    assert codes(scheduled.cancel_limits) == [rules.CANCEL_SCHEDULED]
    assert scheduled.can_renew and rules.check_renew(scheduled) is None
    assert rules.CANCEL_SCHEDULED in codes(scheduled.update_limits)
    at = assess(subscription(cancel_at=1_800_000_000))
    assert at.can_renew
    assert rules.check_renew(assess()) == rules.Limit(rules.NOT_SCHEDULED_TO_CANCEL)


def test_cancel_feedback_must_be_an_offered_option() -> None:
    result = assess()
    assert rules.check_cancel(result, feedback="too_expensive") is None
    assert rules.check_cancel(result, feedback_option="bfo_custom") is None
    assert rules.check_cancel(result, feedback="unused") == rules.Limit(
        rules.FEEDBACK_NOT_OFFERED, "unused"
    )
    config = configuration()
    config["features"]["subscription_cancel"]["cancellation_reason"]["enabled"] = False
    assert rules.check_cancel(assess(config=config), feedback="too_expensive") is not None


def test_cancel_request_follows_the_mode() -> None:
    result = assess()
    op, params = rules.cancel_request(
        result, configuration(), feedback="too_expensive", feedback_option=None, comment="Pricey"
    )
    assert op == "PostSubscriptionsSubscriptionExposedId"
    assert params == {
        "cancel_at_period_end": True,
        "cancellation_details": {"comment": "Pricey", "feedback": "too_expensive"},
    }
    config = configuration(cancel_mode="immediately", cancel_proration_behavior="create_prorations")
    op, params = rules.cancel_request(
        result, config, feedback=None, feedback_option="bfo_custom", comment=None
    )
    assert op == "DeleteSubscriptionsSubscriptionExposedId"
    assert params == {"prorate": True, "cancellation_details": {"feedback_option": "bfo_custom"}}
    op, params = rules.cancel_request(
        result,
        configuration(cancel_mode="immediately"),
        feedback=None,
        feedback_option=None,
        comment=None,
    )
    assert params == {"prorate": False}
