"""Rolling an object back through its events' previous_attributes (what search lag matches on)."""

from __future__ import annotations

import copy
from typing import Any

from console.sandbox.state.context import changed
from console.sandbox.state.search_lag import roll_back


def test_roll_back_undoes_changes_newest_first() -> None:
    first: dict[str, Any] = {
        "id": "cus_1",
        "email": "a@example.com",
        "name": None,
        "metadata": {"tier": "silver"},
        "address": {"city": "Berlin", "line1": "Weg 1"},
    }
    second = copy.deepcopy(first)
    second.update(email="b@example.com", name="Bea")
    second["metadata"] = {"tier": "gold", "added": "yes"}
    second["address"]["city"] = "Paris"
    third = copy.deepcopy(second)
    third["metadata"] = {}
    newest_first = [changed(second, third), changed(first, second)]

    state = copy.deepcopy(third)
    for previous in newest_first:
        roll_back(state, previous)

    assert state == first
