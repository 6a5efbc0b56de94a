"""The billing engine on a real store: an in-memory sandbox state, and a Context in a transaction.

``ctx`` is what a handler gets from ``Api._context`` for a request on the platform account, inside
the request's transaction (committed when the test ends). Tests that move the clock need
transactions that commit as they go, as the server's do: they take ``state`` and open their own
with ``builders.transaction``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from console.sandbox.state.context import Context
from console.sandbox.state.opening import State, open_state
from tests.unit.sandbox.billing import builders


@pytest.fixture
def state() -> Iterator[State]:
    """A new sandbox database in memory: its store, clock and platform account.

    Its API key is left out (no engine test uses it): a failing test's traceback shows the
    test's arguments, and the secrets audit rightly counts a key there as a leak.
    """
    opened = open_state(":memory:")
    try:
        yield dataclasses.replace(opened, api_key="")
    finally:
        opened.store.close()


@pytest.fixture
def ctx(state: State) -> Iterator[Context]:
    """A Context for the platform account, inside one transaction for the whole test."""
    with builders.transaction(state) as context:
        yield context
