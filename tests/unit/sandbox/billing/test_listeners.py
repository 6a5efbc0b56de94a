"""The engine's one way back up: ``notify`` calls what ``listens`` registered, in order."""

from __future__ import annotations

import pytest

from console.sandbox.billing import listeners, outcomes, schedules
from console.sandbox.billing.listeners import LISTENERS, listens, notify
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context


@pytest.fixture
def no_listeners(monkeypatch: pytest.MonkeyPatch) -> None:
    """The outcome these tests use starts with no listener; the real ones come back after."""
    monkeypatch.setitem(LISTENERS, "subscription.ended", [])


@pytest.mark.usefixtures("no_listeners")
def test_notify_calls_listeners_in_registration_order_with_ctx_and_object(ctx: Context) -> None:
    calls: list[tuple[str, Context, JSON]] = []

    @listens("subscription.ended")
    def first(context: Context, obj: JSON) -> None:
        calls.append(("first", context, obj))

    @listens("subscription.ended")
    def second(context: Context, obj: JSON) -> None:
        calls.append(("second", context, obj))

    sub: JSON = {"id": "sub_123", "object": "subscription"}
    notify("subscription.ended", ctx, sub)

    assert [name for name, _, _ in calls] == ["first", "second"]
    assert all(context is ctx and obj is sub for _, context, obj in calls)


@pytest.mark.usefixtures("no_listeners")
def test_listens_returns_the_function_itself() -> None:
    def react(context: Context, obj: JSON) -> None:
        raise AssertionError("not called")

    assert listens("subscription.ended")(react) is react
    assert LISTENERS["subscription.ended"] == [react]


@pytest.mark.usefixtures("no_listeners")
def test_an_outcome_nobody_listens_to_does_nothing(ctx: Context) -> None:
    notify("subscription.ended", ctx, {"id": "sub_123"})


def test_only_the_outcome_s_own_listeners_are_called(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    heard: list[str] = []
    monkeypatch.setitem(LISTENERS, "invoice.paid", [lambda c, o: heard.append("paid")])
    monkeypatch.setitem(LISTENERS, "invoice.payment_failed", [lambda c, o: heard.append("failed")])

    listeners.notify("invoice.payment_failed", ctx, {"id": "in_123"})

    assert heard == ["failed"]


def test_the_subscription_rules_listen_to_every_invoice_outcome() -> None:
    """Loading the sandbox registers them (``billing.outcomes``, ``billing.schedules``)."""
    assert outcomes.on_invoice_paid in LISTENERS["invoice.paid"]
    assert outcomes.on_invoice_payment_failed in LISTENERS["invoice.payment_failed"]
    assert outcomes.on_final_payment_failure in LISTENERS["invoice.retries_exhausted"]
    assert schedules.subscription_ended in LISTENERS["subscription.ended"]
