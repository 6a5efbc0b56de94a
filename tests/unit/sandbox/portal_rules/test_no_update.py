"""Subscriptions the portal offers no update for: schedules, pending updates, states."""

from __future__ import annotations

from console.sandbox.billing import portal_rules as rules
from tests.unit.sandbox.portal_rules.conftest import (
    assess,
    codes,
    configuration,
    subscription,
)


def test_pending_schedule_blocks_update_and_cancel() -> None:
    result = assess(subscription(schedule="sub_sched_1"))
    assert result.update_limits == (rules.Limit(rules.SCHEDULE, "sub_sched_1"),)
    assert rules.Limit(rules.SCHEDULE, "sub_sched_1") in result.cancel_limits
    assert rules.check_renew(result) == rules.Limit(rules.SCHEDULE, "sub_sched_1")


def test_pending_update_blocks_update_only() -> None:
    result = assess(subscription(pending_update={"expires_at": 1}))
    assert codes(result.update_limits) == [rules.PENDING_UPDATE]
    assert result.can_cancel


def test_update_disabled_or_nothing_allowed() -> None:
    assert codes(assess(config=configuration(enabled=False)).update_limits) == [
        rules.UPDATE_DISABLED
    ]
    assert codes(assess(config=configuration(default_allowed_updates=[])).update_limits) == [
        rules.UPDATE_DISABLED
    ]


def test_paused_incomplete_and_ended_subscriptions() -> None:
    assert codes(assess(subscription(status="paused")).update_limits) == [rules.PAUSED]
    assert codes(assess(subscription(status="incomplete")).update_limits) == [rules.INCOMPLETE]
    ended = assess(subscription(status="canceled"))
    assert codes(ended.update_limits) == [rules.ENDED]
    assert rules.ENDED in codes(ended.cancel_limits)
    assert rules.check_renew(ended) == rules.Limit(rules.ENDED, "canceled")
