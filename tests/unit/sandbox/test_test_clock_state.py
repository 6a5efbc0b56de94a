"""What the state knows of Stripe's test clocks: which objects live on one, which clock a
request works at, and that the sandbox clock's sweep leaves a clock's objects alone."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.sandbox.facts.errors import StripeError
from console.sandbox.facts.spec import JSON
from console.sandbox.resources import test_clocks
from console.sandbox.state.context import Context
from console.sandbox.state.opening import State, open_state
from console.sandbox.state.registry import DUE_HANDLERS
from console.sandbox.state.store import Store
from console.sandbox.state.sweep import run_due
from console.sandbox.state.test_clocks import enter_request_clock
from tests.unit.sandbox.billing import builders

T0 = 1_767_225_600


@pytest.fixture
def state() -> Iterator[State]:
    opened = open_state(":memory:")
    try:
        yield opened
    finally:
        opened.store.close()


def _clock(state: State, frozen_time: int = T0) -> JSON:
    clock: JSON = {"id": "clock_a", "object": "test_helpers.test_clock", "frozen_time": frozen_time}
    state.store.insert(clock, account=state.platform)
    return clock


def test_work_on_a_clock_reads_its_time_and_tags_what_it_makes(state: State) -> None:
    _clock(state)
    with builders.transaction(state) as ctx:
        real = ctx.now()
        ctx.on_test_clock("clock_a", T0)
        made = ctx.insert(
            {"id": "sub_1", "object": "subscription", "created": ctx.now(), "test_clock": None}
        )

        assert (ctx.now(), ctx.sandbox_now()) == (T0, real)
    assert made["test_clock"] == "clock_a"
    assert state.store.clock_of("sub_1") == "clock_a"


def test_a_request_naming_a_clock_customers_object_works_at_the_clocks_time(state: State) -> None:
    _clock(state)
    state.store.insert(
        {"id": "cus_c", "object": "customer", "created": T0},
        account=state.platform,
        clock="clock_a",
    )
    with builders.transaction(state) as ctx:
        enter_request_clock(ctx, "/v1/subscriptions", {"customer": "cus_c"}, {})
        assert (ctx.test_clock, ctx.now()) == ("clock_a", T0)
    with builders.transaction(state) as ctx:
        # A portal session's lifetime is the sandbox's, even for a clock customer.
        enter_request_clock(ctx, "/v1/billing_portal/sessions", {"customer": "cus_c"}, {})
        assert ctx.test_clock is None
        assert ctx.now() == ctx.sandbox_now()


def test_the_sandbox_sweep_skips_objects_on_test_clocks(state: State) -> None:
    store = state.store
    store.insert({"id": "in_off", "object": "invoice", "created": 1}, account="acct", due=5)
    store.insert(
        {"id": "in_on", "object": "invoice", "created": 1}, account="acct", due=5, clock="c"
    )

    assert [o["id"] for o in store.due_before(10)] == ["in_off"]
    assert [o["id"] for o in store.due_before(10, clock="c")] == ["in_on"]
    assert store.due_before(4, clock="c") == []


def test_removing_a_clocks_objects_keeps_the_rest(state: State) -> None:
    store = state.store
    for object_id, kind, clock in (
        ("cus_on", "customer", "c"),
        ("evt_on", "event", "c"),
        ("cus_off", "customer", None),
    ):
        store.insert({"id": object_id, "object": kind, "created": 1}, account="acct", clock=clock)

    assert store.remove_on_clock("c", keep_types=("event",)) == 1
    assert [store.get(i) is not None for i in ("cus_on", "evt_on", "cus_off")] == [
        False,
        True,
        True,
    ]


def test_a_database_from_before_test_clocks_gains_the_column(tmp_path: Path) -> None:
    path = str(tmp_path / "old.sqlite3")
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE objects (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, account TEXT"
        " NOT NULL, type TEXT NOT NULL, created INTEGER NOT NULL, parent TEXT, due INTEGER,"
        " data TEXT NOT NULL);"
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        """INSERT INTO objects (id, account, type, created, due, data)
           VALUES ('sub_old', 'acct', 'subscription', 1, 7, '{"id":"sub_old"}');"""
    )
    old.close()

    store = Store(path)
    try:
        assert [o["id"] for o in store.due_before(10)] == ["sub_old"]
        assert store.clock_of("sub_old") is None
    finally:
        store.close()


@pytest.mark.expect_log("ERROR", "console.sandbox.resources.test_clocks", "failed while advancing")
def test_a_step_that_fails_leaves_the_clock_internal_failure_and_undoes_the_step(
    state: State, monkeypatch: pytest.MonkeyPatch
) -> None:
    def breaks(ctx: Context, obj: JSON) -> None:
        obj["touched"] = True
        ctx.save(obj, due=None)
        raise RuntimeError("a bug in a due handler")

    monkeypatch.setitem(DUE_HANDLERS, "breaking_thing", breaks)
    with builders.transaction(state) as ctx:
        clock = test_clocks.create(ctx, {"frozen_time": T0})
        state.store.insert(
            {"id": "thing_1", "object": "breaking_thing", "created": T0},
            account=state.platform,
            due=T0 + 60,
            clock=clock["id"],
        )
        test_clocks.advance(ctx, {"frozen_time": T0 + 120}, test_clock=clock["id"])
    run_due(state.store, state.clock.now, lambda owner: builders.context_for(state, owner or None))

    failed = state.store.get(clock["id"])
    assert failed is not None
    assert (failed["status"], failed["frozen_time"], failed["status_details"]) == (
        "internal_failure",
        T0,
        {},
    )
    assert "touched" not in (state.store.get("thing_1") or {})
    with builders.transaction(state) as ctx, pytest.raises(StripeError) as refused:
        test_clocks.advance(ctx, {"frozen_time": T0 + 180}, test_clock=clock["id"])
    assert refused.value.param == "test_clock"
    kinds = [e["type"] for e in state.store.scan(account=state.platform, type_="event")]
    assert "test_helpers.test_clock.internal_failure" in kinds
