"""The retention coupon kept in a configuration's metadata, the coupon in words, and the rules
that check it and the custom cancellation reasons against the account's catalogue."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from console.configurations.model import (
    CancellationReason,
    Features,
    PortalConfiguration,
    SubscriptionCancel,
)
from console.configurations.retention import (
    RETENTION_COUPON_KEY,
    RETENTION_PARAM,
    coupon_label,
    coupon_words,
    retention_coupon,
    with_retention_coupon,
)
from console.configurations.rules import Catalogue, validate
from console.gateway.catalogue import Coupon, CouponId, FeedbackOption, FeedbackOptionId
from console.i18n import use_language

SAVE20 = Coupon(CouponId("SAVE20"), None, 20.0, None, None, "repeating", 3, True)
FIVE_OFF = Coupon(CouponId("FIVE"), "Five", None, 500, "eur", "once", None, True)
EXPIRED = Coupon(CouponId("OLD"), None, 10.0, None, None, "forever", None, False)


@pytest.fixture
def german() -> Iterator[None]:
    use_language("de")
    yield
    use_language("en")


def test_a_coupon_is_said_with_its_discount_and_how_long() -> None:
    assert coupon_label(SAVE20, "en_US") == "SAVE20: 20% off for 3 months"
    assert coupon_words(FIVE_OFF, "en_US") == "€5.00 off, once"
    assert coupon_label(EXPIRED, "en_US") == "OLD: 10% off, forever  (no longer valid)"


def test_a_coupon_in_german(german: None) -> None:
    assert coupon_label(SAVE20) == "SAVE20: 20\xa0% Rabatt für 3 Monate"  # a no-break space
    assert coupon_words(FIVE_OFF) == "5,00\xa0€ Rabatt, einmalig"


def test_the_choice_lives_in_the_metadata_and_other_keys_stay() -> None:
    config = PortalConfiguration(metadata={"owner": "billing"})
    chosen = with_retention_coupon(config, SAVE20.id)
    assert chosen.metadata == {"owner": "billing", RETENTION_COUPON_KEY: "SAVE20"}
    assert retention_coupon(chosen) == "SAVE20"
    assert retention_coupon(with_retention_coupon(chosen, None)) is None
    assert with_retention_coupon(chosen, None).metadata == {"owner": "billing"}


def test_an_unknown_or_used_up_retention_coupon_is_a_problem_at_its_field() -> None:
    catalogue = Catalogue(coupons={c.id: c for c in (SAVE20, EXPIRED)})
    config = PortalConfiguration()
    assert validate(with_retention_coupon(config, SAVE20.id), catalogue) == []
    (missing,) = validate(with_retention_coupon(config, CouponId("NOPE")), catalogue)
    assert (missing.param, missing.code) == (RETENTION_PARAM, "resource_missing")
    (used_up,) = validate(with_retention_coupon(config, EXPIRED.id), catalogue)
    assert "can no longer be redeemed" in used_up.message
    unreadable = Catalogue(coupons=None)  # a key that may not read coupons: nothing to say
    assert validate(with_retention_coupon(config, CouponId("NOPE")), unreadable) == []


def test_custom_reasons_must_exist_and_be_active() -> None:
    active = FeedbackOption(FeedbackOptionId("bfo_1"), "Moving abroad", True)
    gone = FeedbackOption(FeedbackOptionId("bfo_2"), "Too slow", False)
    catalogue = Catalogue(feedback_options={o.id: o for o in (active, gone)})
    reason = CancellationReason(enabled=True, feedback_options=("bfo_1", "bfo_2", "bfo_3"))
    config = PortalConfiguration(
        features=Features(subscription_cancel=SubscriptionCancel(cancellation_reason=reason))
    )
    problems = validate(config, catalogue)
    base = "features[subscription_cancel][cancellation_reason][feedback_options]"
    assert [(p.param, p.code) for p in problems] == [
        (f"{base}[1]", "feedback_option_inactive"),
        (f"{base}[2]", "resource_missing"),
    ]
    assert "“Too slow” is deactivated" in problems[0].message
