"""Impact: what a configuration change does to the account's subscriptions, action by action.

Both coverages are over the same shapes (the index as it is), so each subscription's answer
before and after is known: how many gain an action, how many lose it, and why those still
refused are refused under the new configuration.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from console.coverage.counts import ALLOWED, ActionCoverage, Coverage
from console.customers.support_card import PortalAction


@dataclass(frozen=True, slots=True)
class ActionImpact:
    action: PortalAction
    before: ActionCoverage
    after: ActionCoverage
    gained_shapes: tuple[int, ...]  # refused before, allowed after
    lost_shapes: tuple[int, ...]  # allowed before, refused after
    gained: int
    lost: int

    @property
    def changed(self) -> bool:
        return bool(self.gained or self.lost)


@dataclass(frozen=True, slots=True)
class Impact:
    before: Coverage
    after: Coverage
    actions: Mapping[PortalAction, ActionImpact]

    @property
    def changed(self) -> bool:
        return any(action.changed for action in self.actions.values())


def impact_of(before: Coverage, after: Coverage) -> Impact:
    """``after`` (the edited configuration) against ``before`` (the saved one)."""
    actions = {}
    for action, now in after.actions.items():
        gained = tuple(
            shape
            for shape, answer in after.answers.items()
            if answer[action] == ALLOWED and before.answers[shape][action] != ALLOWED
        )
        lost = tuple(
            shape
            for shape, answer in after.answers.items()
            if answer[action] != ALLOWED and before.answers[shape][action] == ALLOWED
        )
        actions[action] = ActionImpact(
            action=action,
            before=before.actions[action],
            after=now,
            gained_shapes=gained,
            lost_shapes=lost,
            gained=sum(after.counts[shape] for shape in gained),
            lost=sum(after.counts[shape] for shape in lost),
        )
    return Impact(before, after, actions)


def impact_json(impact: Impact) -> dict[str, object]:
    """Per action: the change in the allowed count, gained and lost."""
    return {
        action: {
            "allowed_before": change.before.allowed,
            "allowed_after": change.after.allowed,
            "gained": change.gained,
            "lost": change.lost,
        }
        for action, change in impact.actions.items()
    }
