"""Coupons and promotion codes through the stripe library; the redeem/discount helpers in place.

The helpers (``coupons.redeem_coupon``, ``promotion_codes.resolve`` ...) are what
subscriptions and invoices call inside a request; here they run in a real
context on the running sandbox's own store, and their effect is read back
through the API.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, cast

import pytest
import stripe

from console.sandbox import Sandbox
from console.sandbox.billing import discounts
from console.sandbox.facts.errors import StripeError
from console.sandbox.state.context import Context
from tests import builders
from tests.conftest import make_client


def _coupon(client: stripe.StripeClient, **params: Any) -> stripe.Coupon:
    body: Any = {"percent_off": 10, **params}
    return client.v1.coupons.create(params=body)


def _promo(client: stripe.StripeClient, coupon: str, **params: Any) -> stripe.PromotionCode:
    body: Any = {"promotion": {"type": "coupon", "coupon": coupon}, **params}
    return client.v1.promotion_codes.create(params=body)


@contextmanager
def _inside(sandbox: Sandbox) -> Iterator[Context]:
    """A handler's context on the platform account, in one transaction."""
    api = sandbox.api
    ctx = Context(store=api.store, clock=api.clock, account=api.platform, platform=api.platform)
    with api.store.transaction():
        yield ctx


def _unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8].upper()}"


# -- coupons ----------------------------------------------------------------------------------


def test_coupon_defaults(client: stripe.StripeClient) -> None:
    coupon = client.v1.coupons.create(params={"percent_off": 25.5, "name": "Quarter"})
    assert len(coupon.id) == 8
    assert coupon.duration == "once"
    assert coupon.percent_off == 25.5
    assert coupon.amount_off is None
    assert coupon.valid is True
    assert coupon.times_redeemed == 0
    assert coupon.max_redemptions is None
    assert "applies_to" not in coupon
    assert client.v1.coupons.retrieve(coupon.id).to_dict() == coupon.to_dict()
    assert len(builders.events(client, "coupon.created", coupon.id)) == 1


def test_amount_off_needs_currency(client: stripe.StripeClient) -> None:
    error = builders.refused(lambda: client.v1.coupons.create(params={"amount_off": 500}))
    assert error.code == "parameter_missing"
    assert error.param == "currency"
    coupon = client.v1.coupons.create(
        params={"amount_off": 500, "currency": "EUR", "duration": "forever"}
    )
    assert coupon.amount_off == 500
    assert coupon.currency == "eur"
    assert coupon.percent_off is None


def test_exactly_one_of_percent_or_amount(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    both = builders.refused(
        lambda: client.v1.coupons.create(
            params={"percent_off": 5, "amount_off": 5, "currency": "usd"}
        )
    )
    assert both.code == "parameters_exclusive"
    assert both.param == "amount_off"
    neither = builders.refused(lambda: client.v1.coupons.create(params={"duration": "forever"}))
    assert neither.code == "parameter_missing"
    assert neither.param == "percent_off"
    too_much = builders.refused(lambda: client.v1.coupons.create(params={"percent_off": 150}))
    assert too_much.param == "percent_off"
    assert client.v1.coupons.list().data == []


def test_duration_in_months_only_for_repeating(client: stripe.StripeClient) -> None:
    missing = builders.refused(lambda: _coupon(client, duration="repeating"))
    assert missing.code == "parameter_missing"
    assert missing.param == "duration_in_months"
    stray = builders.refused(lambda: _coupon(client, duration="forever", duration_in_months=3))
    assert stray.param == "duration_in_months"
    repeating = _coupon(client, duration="repeating", duration_in_months=3)
    assert repeating.duration_in_months == 3


def test_custom_coupon_id_is_unique(client: stripe.StripeClient) -> None:
    wanted = _unique("SPRING")
    assert _coupon(client, id=wanted).id == wanted
    error = builders.refused(lambda: _coupon(client, id=wanted))
    assert error.code == "resource_already_exists"
    assert error.param == "id"


def test_applies_to_only_when_expanded(client: stripe.StripeClient) -> None:
    product = client.v1.products.create(params={"name": "Only this"})
    coupon = _coupon(client, applies_to={"products": [product.id]})
    assert "applies_to" not in coupon
    assert "applies_to" not in client.v1.coupons.retrieve(coupon.id)
    expanded = client.v1.coupons.retrieve(coupon.id, params={"expand": ["applies_to"]})
    assert expanded.applies_to is not None
    assert expanded.applies_to.products == [product.id]
    error = builders.refused(lambda: _coupon(client, applies_to={"products": ["prod_missing"]}))
    assert error.code == "resource_missing"
    assert error.param == "applies_to[products][0]"


def test_redeem_by_makes_coupon_invalid_when_time_passes(
    fresh_client: stripe.StripeClient,
) -> None:
    client = fresh_client
    now = builders.now(client)
    past = builders.refused(lambda: _coupon(client, redeem_by=now - 10))
    assert past.param == "redeem_by"
    coupon = _coupon(client, redeem_by=now + builders.DAY)
    assert coupon.valid is True
    builders.advance(client, builders.DAY + 1)
    assert client.v1.coupons.retrieve(coupon.id).valid is False
    assert [c.valid for c in client.v1.coupons.list().data] == [False]


def test_update_changes_only_name_and_metadata(client: stripe.StripeClient) -> None:
    coupon = _coupon(client, name="Old")
    error = builders.refused(
        lambda: client.v1.coupons.update(coupon.id, params=cast(Any, {"percent_off": 50}))
    )
    assert error.code == "parameter_unknown"
    assert error.param == "percent_off"
    updated = client.v1.coupons.update(coupon.id, params={"name": "New", "metadata": {"a": "1"}})
    assert updated.name == "New"
    assert updated.percent_off == 10
    [event] = builders.events(client, "coupon.updated", coupon.id)
    assert event.data.previous_attributes is not None
    assert event.data.previous_attributes["name"] == "Old"


def test_deleted_coupon_is_gone(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    keep = _coupon(client)
    doomed = _coupon(client)
    deleted = client.v1.coupons.delete(doomed.id)
    assert deleted.deleted is True
    assert deleted.id == doomed.id
    error = builders.refused(lambda: client.v1.coupons.retrieve(doomed.id))
    assert error.code == "resource_missing"
    assert error.param == "coupon"
    assert [c.id for c in client.v1.coupons.list().data] == [keep.id]
    assert len(builders.events(client, "coupon.deleted", doomed.id)) == 1
    promo = builders.refused(lambda: _promo(client, doomed.id))
    assert promo.code == "resource_missing"
    assert promo.param == "promotion[coupon]"


def test_coupon_list_pages_and_created_filter(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    made = [_coupon(client).id for _ in range(5)]
    first = client.v1.coupons.list(params={"limit": 2})
    assert [c.id for c in first.data] == made[::-1][:2]
    assert first.has_more is True
    assert [c.id for c in first.auto_paging_iter()] == made[::-1]
    created = client.v1.coupons.retrieve(made[0]).created
    assert len(client.v1.coupons.list(params={"created": {"gte": created}}).data) == 5
    assert client.v1.coupons.list(params={"created": {"lt": created}}).data == []


# -- promotion codes --------------------------------------------------------------------------


def test_promotion_code_fields(client: stripe.StripeClient) -> None:
    coupon = _coupon(client)
    customer = client.v1.customers.create(params={"name": "Promo"})
    code = _unique("WELCOME")
    promo = _promo(
        client,
        coupon.id,
        code=code,
        customer=customer.id,
        max_redemptions=5,
        restrictions={
            "first_time_transaction": True,
            "minimum_amount": 1000,
            "minimum_amount_currency": "usd",
        },
    )
    assert promo.id.startswith("promo_")
    assert promo.code == code
    assert promo.active is True
    assert promo.customer == customer.id
    assert promo.promotion.type == "coupon"
    assert promo.promotion.coupon == coupon.id
    assert promo.times_redeemed == 0
    assert promo.restrictions.to_dict() == {
        "first_time_transaction": True,
        "minimum_amount": 1000,
        "minimum_amount_currency": "usd",
    }
    assert len(builders.events(client, "promotion_code.created", promo.id)) == 1
    expanded = client.v1.promotion_codes.retrieve(
        promo.id, params={"expand": ["promotion.coupon", "customer"]}
    )
    assert isinstance(expanded.promotion.coupon, stripe.Coupon)
    assert isinstance(expanded.customer, stripe.Customer)


def test_code_is_generated_when_omitted(client: stripe.StripeClient) -> None:
    promo = _promo(client, _coupon(client).id)
    assert len(promo.code) == 8
    assert promo.code.isalnum()


def test_code_is_unique_among_active_codes_ignoring_case(client: stripe.StripeClient) -> None:
    coupon = _coupon(client)
    code = _unique("SAVE")
    first = _promo(client, coupon.id, code=code)
    error = builders.refused(lambda: _promo(client, coupon.id, code=code.lower()))
    assert error.code == "resource_already_exists"
    assert error.param == "code"
    assert client.v1.promotion_codes.list(params={"code": code}).data[0].id == first.id

    client.v1.promotion_codes.update(first.id, params={"active": False})
    second = _promo(client, coupon.id, code=code.lower())
    assert second.code == code.lower()
    error = builders.refused(
        lambda: client.v1.promotion_codes.update(first.id, params={"active": True})
    )
    assert error.param == "active"
    assert client.v1.promotion_codes.retrieve(first.id).active is False


def test_promotion_code_errors(client: stripe.StripeClient) -> None:
    coupon = _coupon(client)
    no_coupon = builders.refused(
        lambda: client.v1.promotion_codes.create(params={"promotion": {"type": "coupon"}})
    )
    assert no_coupon.code == "parameter_missing"
    assert no_coupon.param == "promotion[coupon]"
    no_customer = builders.refused(lambda: _promo(client, coupon.id, customer="cus_missing"))
    assert no_customer.code == "resource_missing"
    assert no_customer.param == "customer"
    half_minimum = builders.refused(
        lambda: _promo(client, coupon.id, restrictions={"minimum_amount": 100})
    )
    assert half_minimum.code == "parameter_missing"
    assert half_minimum.param == "restrictions[minimum_amount_currency]"
    past = builders.refused(lambda: _promo(client, coupon.id, expires_at=builders.now(client) - 1))
    assert past.param == "expires_at"
    bad_code = builders.refused(lambda: _promo(client, coupon.id, code="no spaces"))
    assert bad_code.param == "code"


def test_promotion_code_update(client: stripe.StripeClient) -> None:
    promo = _promo(client, _coupon(client).id)
    updated = client.v1.promotion_codes.update(
        promo.id, params={"active": False, "metadata": {"campaign": "fall"}}
    )
    assert updated.active is False
    assert updated.metadata is not None
    assert updated.metadata.to_dict() == {"campaign": "fall"}
    [event] = builders.events(client, "promotion_code.updated", promo.id)
    assert event.data.previous_attributes is not None
    assert event.data.previous_attributes["active"] is True
    frozen = builders.refused(
        lambda: client.v1.promotion_codes.update(promo.id, params=cast(Any, {"code": "X"}))
    )
    assert frozen.code == "parameter_unknown"


def test_promotion_code_list_filters(fresh_client: stripe.StripeClient) -> None:
    client = fresh_client
    first_coupon = _coupon(client)
    second_coupon = _coupon(client)
    customer = client.v1.customers.create(params={"name": "Only me"})
    mine = _promo(client, first_coupon.id, code="MINE", customer=customer.id)
    other = _promo(client, second_coupon.id, code="OTHER")
    off = _promo(client, first_coupon.id, code="OFF", active=False)

    def ids(**params: Any) -> list[str]:
        query: Any = params
        return [p.id for p in client.v1.promotion_codes.list(params=query).data]

    assert ids() == [off.id, other.id, mine.id]
    assert ids(active=True) == [other.id, mine.id]
    assert ids(active=False) == [off.id]
    assert ids(code="mine") == [mine.id]
    assert ids(coupon=first_coupon.id) == [off.id, mine.id]
    assert ids(customer=customer.id) == [mine.id]
    assert ids(limit=1, starting_after=off.id) == [other.id]


# -- helpers other resources call -------------------------------------------------------------


def test_redeem_counts_and_stops_at_max_redemptions(
    sandbox: Sandbox, client: stripe.StripeClient
) -> None:
    coupon = _coupon(client, max_redemptions=2)
    for _ in range(2):
        with _inside(sandbox) as ctx:
            discounts.redeem_coupon(ctx, coupon.id, param="discounts[0][coupon]")
    after = client.v1.coupons.retrieve(coupon.id)
    assert after.times_redeemed == 2
    assert after.valid is False
    with pytest.raises(StripeError) as raised, _inside(sandbox) as ctx:
        discounts.redeem_coupon(ctx, coupon.id, param="discounts[0][coupon]")
    assert raised.value.code == "coupon_expired"
    assert raised.value.param == "discounts[0][coupon]"
    assert client.v1.coupons.retrieve(coupon.id).times_redeemed == 2
    assert builders.events(client, "coupon.updated", coupon.id) == []
    with pytest.raises(StripeError) as missing, _inside(sandbox) as ctx:
        discounts.redeem_coupon(ctx, "NOPE_" + uuid.uuid4().hex, param="coupon")
    assert missing.value.code == "resource_missing"
    assert missing.value.status == 404


def test_redeem_after_redeem_by_is_coupon_expired(fresh_sandbox: Sandbox) -> None:
    client = make_client(fresh_sandbox)
    coupon = _coupon(client, redeem_by=builders.now(client) + 60)
    builders.advance(client, 120)
    with pytest.raises(StripeError) as raised, _inside(fresh_sandbox) as ctx:
        discounts.redeem_coupon(ctx, coupon.id, param="coupon")
    assert raised.value.code == "coupon_expired"
    assert raised.value.param == "coupon"


def test_new_discount_ends_after_repeating_months(fresh_sandbox: Sandbox) -> None:
    client = make_client(fresh_sandbox)
    start = int(datetime(2031, 1, 31, 12, tzinfo=UTC).timestamp())
    # One advance moves the clock two years at most (Stripe's bound on test clocks): step there.
    while (now := builders.now(client)) < start:
        step = min(start, now + 365 * 86_400)
        builders.advance_to(client, step)
    repeating = _coupon(client, duration="repeating", duration_in_months=3)
    forever = _coupon(client, duration="forever")
    with _inside(fresh_sandbox) as ctx:
        discount = discounts.new_discount(
            ctx, ctx.find(repeating.id) or {}, customer="cus_x", subscription="sub_x"
        )
        endless = discounts.new_discount(ctx, ctx.find(forever.id) or {}, customer=None)
    assert discount["id"].startswith("di_")
    assert discount["object"] == "discount"
    assert discount["source"] == {"coupon": repeating.id, "type": "coupon"}
    # The sandbox clock keeps running after the advance: on a busy machine a second may pass.
    ticked = discount["start"] - start
    assert 0 <= ticked <= 5
    assert discount["end"] == int(datetime(2031, 4, 30, 12, tzinfo=UTC).timestamp()) + ticked
    assert discount["customer"] == "cus_x"
    assert discount["subscription"] == "sub_x"
    assert discount["promotion_code"] is None
    assert endless["end"] is None


def test_discount_amount() -> None:
    percent = {"percent_off": 12.5, "amount_off": None, "currency": None}
    assert discounts.discount_amount(percent, 999, "usd") == 125  # 124.875 rounds half up
    assert discounts.discount_amount(percent, 4, "usd") == 1  # 0.5 rounds up
    assert discounts.discount_amount(percent, 0, "usd") == 0
    fixed = {
        "percent_off": None,
        "amount_off": 500,
        "currency": "usd",
        "_currency_options": {"eur": {"amount_off": 450}},
    }
    assert discounts.discount_amount(fixed, 2000, "USD") == 500
    assert discounts.discount_amount(fixed, 300, "usd") == 300
    assert discounts.discount_amount(fixed, 2000, "eur") == 450
    assert discounts.discount_amount(fixed, 2000, "gbp") == 0
    scoped = {**percent, "_applies_to": {"products": ["prod_a"]}}
    assert discounts.discount_amount(scoped, 1000, "usd", "prod_a") == 125
    assert discounts.discount_amount(scoped, 1000, "usd", "prod_b") == 0
    assert discounts.discount_amount(scoped, 1000, "usd") == 0


def test_resolve_checks_every_restriction(sandbox: Sandbox, client: stripe.StripeClient) -> None:
    coupon = _coupon(client)
    buyer = client.v1.customers.create(params={"name": "Buyer"})
    stranger = client.v1.customers.create(params={"name": "Stranger"})
    personal = _promo(client, coupon.id, customer=buyer.id)
    minimum = _promo(
        client,
        coupon.id,
        restrictions={
            "minimum_amount": 1000,
            "minimum_amount_currency": "usd",
            "currency_options": {"eur": {"minimum_amount": 900}},
        },
    )
    first_time = _promo(client, coupon.id, restrictions={"first_time_transaction": True})
    inactive = _promo(client, coupon.id, active=False)

    def refusal(code_id: str, **kwargs: Any) -> StripeError:
        with pytest.raises(StripeError) as raised, _inside(sandbox) as ctx:
            discounts.resolve(ctx, code_id, param="promotion_code", **kwargs)
        assert raised.value.param == "promotion_code"
        return raised.value

    def accepted(code_id: str, **kwargs: Any) -> dict[str, Any]:
        with _inside(sandbox) as ctx:
            return discounts.resolve(ctx, code_id, param="promotion_code", **kwargs)

    assert accepted(personal.id, customer=buyer.id)["id"] == personal.id
    refusal(personal.id, customer=stranger.id)
    refusal(inactive.id, customer=buyer.id)
    assert refusal("promo_missing", customer=None).code == "resource_missing"
    accepted(minimum.id, customer=None, amount=1000, currency="usd")
    refusal(minimum.id, customer=None, amount=999, currency="usd")
    accepted(minimum.id, customer=None, amount=900, currency="eur")
    refusal(minimum.id, customer=None, amount=5000, currency="gbp")

    accepted(first_time.id, customer=buyer.id)
    with _inside(sandbox) as ctx:
        ctx.insert(
            {
                "id": ctx.new_id("in", 24),
                "object": "invoice",
                "status": "paid",
                "created": ctx.now(),
            },
            parent=buyer.id,
        )
    refusal(first_time.id, customer=buyer.id)
    accepted(first_time.id, customer=stranger.id)


def test_resolve_refuses_expired_and_used_up_codes(fresh_sandbox: Sandbox) -> None:
    client = make_client(fresh_sandbox)
    coupon = _coupon(client, max_redemptions=10)
    expiring = _promo(client, coupon.id, expires_at=builders.now(client) + 60)
    once = _promo(client, coupon.id, max_redemptions=1)
    with _inside(fresh_sandbox) as ctx:
        found = discounts.resolve(ctx, once.id, customer=None, param="promotion_code")
        discounts.redeem_promotion_code(ctx, found)
    assert client.v1.promotion_codes.retrieve(once.id).times_redeemed == 1
    assert client.v1.coupons.retrieve(coupon.id).times_redeemed == 1
    with pytest.raises(StripeError) as used_up, _inside(fresh_sandbox) as ctx:
        discounts.resolve(ctx, once.id, customer=None, param="discounts[0]")
    assert used_up.value.param == "discounts[0]"

    builders.advance(client, 120)
    with pytest.raises(StripeError) as expired, _inside(fresh_sandbox) as ctx:
        discounts.resolve(ctx, expiring.id, customer=None, param="promotion_code")
    assert expired.value.param == "promotion_code"
