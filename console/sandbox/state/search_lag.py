"""What search sees under a network profile: the store as it was ``lag`` seconds ago.

Stripe: "Don't use search for read-after-write flows [...] Under normal operating
conditions, data is searchable in under 1 minute" (https://docs.stripe.com/search#data-freshness);
lists are not subject to the delay. The sandbox imitates this by the sandbox clock:

- an object created less than ``lag`` seconds ago is not found yet;
- an object changed less than ``lag`` seconds ago is matched on the values it had before
  (rolled back through its events' ``previous_attributes``), so a search for the new
  values does not find it yet and one for the old values still does.

Simplified: times are whole seconds (``created``), so an object becomes searchable between
``lag`` and ``lag + 1`` seconds after it changed, never sooner; a change that left no event
is seen at once, and so is a deletion (the deleted object's row is no longer of its type).
The objects returned are as they are now: whether Stripe answers with the indexed or the
current version of a changed object is not documented.
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass, field
from typing import Any

from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context
from console.sandbox.state.search import Compiled

# Rows of the search's page query: (data, created, seq).
Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class LaggedView:
    """The moment search has caught up to, and the objects it knows in an earlier state."""

    # Objects and changes dated at or before this (sandbox clock, whole seconds) are indexed.
    indexed_upto: int
    # Changed since then: object id -> (its state as indexed, created, seq, parent).
    earlier: dict[str, tuple[JSON, int, int, str | None]] = field(default_factory=dict)

    def hide_recent(self, compiled: Compiled) -> Compiled:
        """The query, leaving out objects created since and those changed since."""
        sql = f"({compiled.sql}) AND created <= ?"
        args: list[Any] = [*compiled.args, self.indexed_upto]
        if self.earlier:
            sql += f" AND id NOT IN ({','.join('?' * len(self.earlier))})"
            args.extend(self.earlier)
        return Compiled(sql, tuple(args), compiled.selective)

    def earlier_matches(self, ctx: Context, compiled: Compiled) -> list[Row]:
        """The changed objects whose indexed state matches, as page rows (current data)."""
        found: list[Row] = []
        # The query's condition is written over the objects table's columns: evaluate it on
        # one made-up row holding the indexed state.
        probe = (
            f"SELECT 1 FROM (SELECT ? AS data, ? AS created, ? AS seq, ? AS parent) "
            f"WHERE ({compiled.sql})"
        )
        for object_id, (state, created, seq, parent) in self.earlier.items():
            if ctx.store.query(probe, [json.dumps(state), created, seq, parent, *compiled.args]):
                current = ctx.store.get(object_id, account=ctx.account)
                if current is not None:
                    found.append((json.dumps(current), created, seq))
        return found


def lagged_view(ctx: Context, object_type: str) -> LaggedView | None:
    """What the search index holds now, or None when the profile has no search lag."""
    lag = ctx.network.search_lag_s
    if lag <= 0:
        return None
    # An object dated second T changed at some moment in [T, T+1): it is indexed once that
    # whole second lies ``lag`` in the past.
    indexed_upto = math.floor(ctx.clock.now_float() - lag) - 1
    rows = ctx.store.query(
        "SELECT parent, data FROM objects WHERE account = ? AND type = 'event' AND created > ?"
        " ORDER BY created DESC, seq DESC",
        [ctx.account, indexed_upto],
    )
    changes: dict[str, list[JSON]] = {}
    for parent, data in rows:
        event = json.loads(data)
        if parent is None or event["data"]["object"].get("object") != object_type:
            continue
        changes.setdefault(str(parent), []).append(event["data"].get("previous_attributes") or {})
    earlier: dict[str, tuple[JSON, int, int, str | None]] = {}
    for object_id, newest_first in changes.items():
        found = ctx.store.query(
            "SELECT data, created, seq, parent FROM objects WHERE id = ? AND account = ?"
            f" AND type = '{_checked_type(object_type)}'",
            [object_id, ctx.account],
        )
        if not found or int(found[0][1]) > indexed_upto:
            continue  # gone, or created since: hidden by its date anyway
        data, created, seq, parent = found[0]
        state: JSON = json.loads(data)
        for previous in newest_first:
            roll_back(state, previous)
        earlier[object_id] = (state, int(created), int(seq), parent)
    return LaggedView(indexed_upto, earlier)


def roll_back(state: JSON, previous: JSON, *, in_metadata: bool = False) -> None:
    """Undo one change, given its event's ``previous_attributes`` (nested for hashes).

    A metadata key that the change added shows as null there; it did not exist before.
    """
    for key, old in previous.items():
        now = state.get(key)
        if isinstance(old, dict) and isinstance(now, dict) and old.get("object") != "list":
            roll_back(now, old, in_metadata=key == "metadata")
        elif old is None and in_metadata:
            state.pop(key, None)
        else:
            state[key] = copy.deepcopy(old)


def _checked_type(object_type: str) -> str:
    if not object_type.replace("_", "").isalpha():  # written into SQL: constants only
        raise ValueError(object_type)
    return object_type
