"""What an update does to a trial, as the configuration says."""

from __future__ import annotations

from console.sandbox.billing import portal_rules as rules
from tests.unit.sandbox.portal_rules.conftest import (
    assess,
    configuration,
    subscription,
)


def test_trial_behavior_comes_from_the_configuration() -> None:
    trialing = subscription(status="trialing", trial_end=1_800_000_000 + 14 * 86400)
    ended = assess(trialing)
    assert ended.trial_behavior == "end_trial"
    change = rules.update_params(
        ended, configuration(), price="price_pro_m", quantity=None, promotion_code=None
    )
    assert change["trial_end"] == "now"
    kept = assess(trialing, configuration(trial_update_behavior="continue_trial"))
    assert kept.trial_behavior == "continue_trial"
    change = rules.update_params(
        kept, configuration(), price="price_pro_m", quantity=None, promotion_code=None
    )
    assert "trial_end" not in change
