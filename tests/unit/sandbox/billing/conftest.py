"""The billing engine on a real store: an in-memory sandbox state, and a Context in a transaction.

``ctx`` is what a handler gets from ``Api._context`` for a request on the platform account, inside
the request's transaction (committed when the test ends). Tests that move the clock need
transactions that commit as they go, as the server's do: they take ``state`` and open their own
with ``builders.transaction``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from console.sandbox.state.context import Context
from console.sandbox.state.opening import State, open_state
from tests.unit.sandbox.billing import builders


@pytest.fixture
def state() -> Iterator[State]:
    """A new sandbox database in memory: its store, clock and platform account (its key
    stays out of a failing test's traceback: State leaves it out of its repr)."""
    opened = open_state(":memory:")
    try:
        yield opened
    finally:
        opened.store.close()


@pytest.fixture
def ctx(state: State) -> Iterator[Context]:
    """A Context for the platform account, inside one transaction for the whole test."""
    with builders.transaction(state) as context:
        yield context
