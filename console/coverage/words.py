"""Coverage and impact in plain words, in the user's language (the command line prints these; a
save summary can show them).

"Switch plan: +1,204 subscriptions; 312 still refused: several products 200, metered price 80,
paid by invoice (send_invoice) 32".
"""

from __future__ import annotations

from collections.abc import Mapping

from console.configurations.summary import SummarySection
from console.coverage.counts import Coverage
from console.coverage.impact import ActionImpact, Impact
from console.coverage.reasons import reason_label
from console.customers.support_card import ACTION_WORDS
from console.i18n import _, format_count

MINUS = "\N{MINUS SIGN}"  # typeset minus: as wide as the plus beside it


def number(count: int, *, signed: bool = False) -> str:
    """``count`` as the user writes numbers (1,204 or 1.204), with its sign if ``signed``."""
    text = format_count(abs(count))
    if count < 0:
        return MINUS + text
    return f"+{text}" if signed else text


def subscriptions(count: int, *, signed: bool = False) -> str:
    """ "1 subscription", "1,204 subscriptions" (``signed``: "+1,204 subscriptions")."""
    if abs(count) == 1:
        return _("%(count)s subscription") % {"count": number(count, signed=signed)}
    return _("%(count)s subscriptions") % {"count": number(count, signed=signed)}


def reasons_words(refused: Mapping[str, int]) -> str:
    """ "several products 200, metered price 80" (largest first, as counted)."""
    return ", ".join(f"{reason_label(code)} {number(count)}" for code, count in refused.items())


def coverage_lines(coverage: Coverage) -> list[str]:
    """A heading line, then one line per action: allowed for how many, refused why."""
    lines = [
        _("%(subscriptions)s (ended ones not counted: %(ended)s)")
        % {"subscriptions": subscriptions(coverage.subscriptions), "ended": number(coverage.ended)}
    ]
    for action, counted in coverage.actions.items():
        line = _("%(action)s: allowed for %(allowed)s of %(total)s") % {
            "action": _(ACTION_WORDS[action]),
            "allowed": number(counted.allowed),
            "total": number(coverage.subscriptions),
        }
        if counted.refused:
            line += "; " + _("refused: %(reasons)s") % {"reasons": reasons_words(counted.refused)}
        lines.append(line)
    return lines


def impact_lines(impact: Impact) -> list[str]:
    """One line per action the change affects; one line saying so when it affects none."""
    lines = [_action_impact(change) for change in impact.actions.values() if change.changed]
    if not lines:
        return [
            _("No subscription gains or loses a portal action with this change (%(count)s).")
            % {"count": subscriptions(impact.after.subscriptions)}
        ]
    return lines


def _action_impact(change: ActionImpact) -> str:
    parts = []
    if change.gained:
        parts.append(subscriptions(change.gained, signed=True))
    if change.lost:
        parts.append(subscriptions(-change.lost, signed=True))
    line = f"{_(ACTION_WORDS[change.action])}: {'; '.join(parts)}"
    if change.after.refused:
        line += "; " + _("%(count)s still refused: %(reasons)s") % {
            "count": number(change.after.refused_total),
            "reasons": reasons_words(change.after.refused),
        }
    return line


def impact_section(impact: Impact) -> SummarySection:
    """The save summary's section on what the change does to the account's subscriptions."""
    return SummarySection(
        _("What it does to the account's subscriptions"), tuple(impact_lines(impact))
    )
