"""What a handler gets: the store, the clock, whose data is in scope, and helpers.

Time has two sources. ``ctx.now()`` is the time of the customer the work is about: the
``frozen_time`` of its Stripe test clock when it lives on one (``test_clock``), else the
sandbox's own clock. ``ctx.sandbox_now()`` is always the sandbox's own clock, for what is
the sandbox's rather than a customer's (portal session expiry, how long events are kept).

Handlers are plain functions ``fn(ctx, params, **path_params) -> object`` that
run inside one database transaction; the helpers here keep them short and make
every handler fail the same way Stripe does (``resource_missing`` with the
parameter that named the missing id).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from console.sandbox.facts import ids
from console.sandbox.facts.errors import no_such
from console.sandbox.facts.spec import JSON
from console.sandbox.network.profile import NETWORK_OFF, NetworkProfile
from console.sandbox.state import events
from console.sandbox.state.clock import Clock
from console.sandbox.state.store import Store


@dataclass
class Context:
    store: Store
    clock: Clock
    account: str
    platform: str
    request_id: str | None = None
    idempotency_key: str | None = None
    base_url: str = ""
    events: list[JSON] = field(default_factory=list)
    # The network profile's search lag and event retention (off: neither).
    network: NetworkProfile = NETWORK_OFF
    # The Stripe test clock the work's customer lives on, and its time (state/test_clocks.py).
    test_clock: str | None = None
    frozen_time: int = 0

    @property
    def connected(self) -> bool:
        """True when the request acts on behalf of a connected account (``Stripe-Account``)."""
        return self.account != self.platform

    def now(self) -> int:
        """The customer's time: its test clock's frozen time, else the sandbox clock's."""
        if self.test_clock is not None:
            return self.frozen_time
        return self.clock.now()

    def sandbox_now(self) -> int:
        """The sandbox's own clock, whatever test clock the work's customer lives on."""
        return self.clock.now()

    def on_test_clock(self, clock_id: str, frozen_time: int) -> None:
        """From here on, work at ``frozen_time`` and make new objects live on ``clock_id``."""
        self.test_clock = clock_id
        self.frozen_time = frozen_time

    def new_id(self, prefix: str, length: int = 24) -> str:
        return ids.new_id(prefix, length)

    # -- objects ---------------------------------------------------------------

    def find(self, object_id: str) -> JSON | None:
        return self.store.get(object_id, account=self.account)

    def fetch(self, object_type: str, object_id: str, *, param: str = "id", kind: str = "") -> JSON:
        """The live object of this type in scope, or Stripe's 404 naming ``param``."""
        obj = self.store.get(object_id, account=self.account) if object_id else None
        if obj is None or obj.get("object") != object_type or obj.get("deleted"):
            raise no_such(kind or object_type.replace("_", " "), object_id, param=param)
        return obj

    def fetch_of_customer(
        self, customer: str, object_type: str, object_id: str, *, param: str, kind: str = ""
    ) -> JSON:
        """An object under a customer's URL (``/v1/customers/{customer}/…/{id}``): the customer
        must exist and the object be theirs, else Stripe's 404 naming what is missing."""
        self.fetch("customer", customer, param="customer")
        found = self.fetch(object_type, object_id, param=param, kind=kind)
        if found.get("customer") != customer:
            raise no_such(kind or object_type.replace("_", " "), object_id, param=param)
        return found

    def insert(self, obj: JSON, *, parent: str | None = None, due: int | None = None) -> JSON:
        """Store a new object; made for a test-clock customer, it lives on that clock (and says
        so in its ``test_clock`` field, where Stripe's object has one)."""
        if self.test_clock is not None and "test_clock" in obj:
            obj["test_clock"] = self.test_clock
        self.store.insert(obj, account=self.account, parent=parent, due=due, clock=self.test_clock)
        return obj

    def save(self, obj: JSON, *, due: int | bool | None = False) -> JSON:
        self.store.save(obj, due=due)
        return obj

    # -- events ----------------------------------------------------------------

    def emit(self, event_type: str, obj: JSON, previous: JSON | None = None) -> JSON:
        """Record an event about ``obj``; webhooks are queued when the transaction commits."""
        return events.record(self, event_type, obj, previous)


def snapshot(obj: JSON) -> JSON:
    """A deep copy to diff against after a change (``previous_attributes``)."""
    return copy.deepcopy(obj)


def changed(before: JSON, after: JSON) -> JSON:
    """Stripe's ``previous_attributes``: old values of what changed, nested for hashes."""
    previous: JSON = {}
    for key in set(before) | set(after):
        if key.startswith("_") or key in ("updated",):
            continue
        old: Any = before.get(key)
        new: Any = after.get(key)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict) and old.get("object") != "list":
            nested = changed(old, new)
            previous[key] = nested if nested else old
        else:
            previous[key] = old
    return previous
