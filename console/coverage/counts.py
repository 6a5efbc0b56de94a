"""Coverage: per portal action, how many subscriptions the portal allows it for, and how many it
refuses, by reason.

Counted by shape (``console.index.subscriptions_store``): the rules are applied once to one
subscription of each shape, and its answer counts for every subscription of that shape. Each
subscription is counted once per action: allowed, or refused under the first reason the rules
give for that action (``support_card.refusals``), so an action's allowed and refused counts add
up to the subscriptions counted. Ended subscriptions (canceled, expired unpaid) are counted
apart: the portal offers them nothing and they would bury the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from console.configurations.model import PortalConfiguration
from console.customers.support_card import PORTAL_ACTIONS, PortalAction, refusals
from console.eligibility.rules import ENDED_STATUSES, evaluate
from console.gateway.models import Price, PriceId
from console.index.subscriptions_store import ShapeCount

ALLOWED = ""  # the "reason" key of the allowed group in ``ShapeAnswers``

# Per shape id, per action: ALLOWED or the reason code it is refused under.
ShapeAnswers = Mapping[int, Mapping[PortalAction, str]]


@dataclass(frozen=True, slots=True)
class ActionCoverage:
    action: PortalAction
    allowed: int
    refused: Mapping[str, int]  # reason code -> subscriptions, most first

    @property
    def refused_total(self) -> int:
        return sum(self.refused.values())


@dataclass(frozen=True, slots=True)
class Coverage:
    configuration_id: str | None
    subscriptions: int  # not ended
    ended: int
    actions: Mapping[PortalAction, ActionCoverage]  # in PORTAL_ACTIONS order
    answers: ShapeAnswers  # what makes each number, for the ids behind it
    counts: Mapping[int, int]  # subscriptions per shape id (not ended)

    def shapes_behind(self, action: PortalAction, reason: str = ALLOWED) -> tuple[int, ...]:
        """The shapes whose subscriptions make ``action``'s count for ``reason`` (ALLOWED:
        the allowed count); ``SubscriptionStore.of_shapes`` gives their subscriptions."""
        return tuple(shape for shape, answer in self.answers.items() if answer[action] == reason)


def coverage_of(
    shapes: Sequence[ShapeCount],
    configuration: PortalConfiguration,
    prices: Mapping[PriceId, Price],
    configuration_id: str | None = None,
) -> Coverage:
    """The coverage of ``configuration`` over the shapes of the index (``shape_counts``);
    ``prices`` as for ``evaluate`` (the account's catalogue: the targets of plan switches)."""
    answers: dict[int, dict[PortalAction, str]] = {}
    counts: dict[int, int] = {}
    ended = 0
    for shape in shapes:
        if shape.example.status in ENDED_STATUSES:
            ended += shape.count
            continue
        eligibility = evaluate(shape.example, configuration, prices)
        refused = refusals(shape.example, eligibility)
        answers[shape.shape_id] = {
            action: codes[0] if codes else ALLOWED for action, codes in refused.items()
        }
        counts[shape.shape_id] = shape.count
    return Coverage(
        configuration_id=configuration_id,
        subscriptions=sum(counts.values()),
        ended=ended,
        actions={action: _tally(action, answers, counts) for action in PORTAL_ACTIONS},
        answers=answers,
        counts=counts,
    )


def _tally(
    action: PortalAction, answers: ShapeAnswers, counts: Mapping[int, int]
) -> ActionCoverage:
    allowed = 0
    refused: dict[str, int] = {}
    for shape, answer in answers.items():
        reason = answer[action]
        if reason == ALLOWED:
            allowed += counts[shape]
        else:
            refused[reason] = refused.get(reason, 0) + counts[shape]
    ordered = dict(sorted(refused.items(), key=lambda item: (-item[1], item[0])))
    return ActionCoverage(action, allowed, ordered)


def coverage_json(coverage: Coverage) -> dict[str, object]:
    """``configs impact --json``'s shape, with the action names of ``customers show --json``."""
    return {
        "configuration": coverage.configuration_id,
        "subscriptions": coverage.subscriptions,
        "ended": coverage.ended,
        "actions": {
            action: {"allowed": counted.allowed, "refused": dict(counted.refused)}
            for action, counted in coverage.actions.items()
        },
    }
