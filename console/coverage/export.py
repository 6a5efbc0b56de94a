"""Coverage as CSV: one row per action and outcome (allowed, or refused for a reason), and the
subscriptions behind one of them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from console.coverage.counts import Coverage
from console.coverage.reasons import reason_label
from console.customers.support_card import ACTION_WORDS
from console.i18n import _

COLUMNS = (
    "configuration",
    "action",
    "action_words",
    "outcome",
    "reason",
    "reason_words",
    "subscriptions",
)


def coverage_csv(coverage: Coverage) -> str:
    """Codes for scripts (``action``, ``outcome``, ``reason``) beside words for people."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for action, counted in coverage.actions.items():
        words = _(ACTION_WORDS[action])
        writer.writerow(
            (coverage.configuration_id or "", action, words, "allowed", "", "", counted.allowed)
        )
        for reason, count in counted.refused.items():
            writer.writerow(
                (coverage.configuration_id or "", action, words, "refused", reason,
                 reason_label(reason), count)
            )  # fmt: skip
    return out.getvalue()


def subscriptions_csv(rows: Iterable[tuple[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("subscription", "customer"))
    writer.writerows(rows)
    return out.getvalue()
