"""Stripe's cancellation reasons as the window names and colours them: one set of labels for the
configuration editor's "Reasons offered", the report's legend and its tables.

The keys are Stripe's ``cancellation_details.feedback`` values (resources/stripe/
cancellation-reasons.json, in the portal's order) plus ``none`` (the core's key for a
cancellation without one). The colours come from the Okabe-Ito palette, which stays
distinguishable for colour-blind readers, with the yellow darkened and the blue lightened so
that every bar reads on a light and on a dark chart background; ``none`` is a neutral grey.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from resources import load_json

STRIPE_REASONS: tuple[str, ...] = tuple(
    load_json("stripe", "cancellation-reasons.json")["cancellation_reasons"]
)
REASONS = (*STRIPE_REASONS, "none")

_COLOURS = {
    "too_expensive": "#E69F00",
    "missing_features": "#56B4E9",
    "switched_service": "#009E73",
    "unused": "#C8B400",
    "customer_service": "#3D8FD1",
    "too_complex": "#D55E00",
    "low_quality": "#CC79A7",
    "other": "#8E7CC3",
    "none": "#9A9A9A",
}


def reason_label(reason: str) -> str:
    """The human-readable name of a feedback value; unknown values are shown as they are."""
    labels = {
        "too_expensive": QCoreApplication.translate("CancellationReasons", "Too expensive"),
        "missing_features": QCoreApplication.translate("CancellationReasons", "Missing features"),
        "switched_service": QCoreApplication.translate(
            "CancellationReasons", "Switched to another service"
        ),
        "unused": QCoreApplication.translate("CancellationReasons", "Not used enough"),
        "customer_service": QCoreApplication.translate(
            "CancellationReasons", "Unhappy with customer service"
        ),
        "too_complex": QCoreApplication.translate("CancellationReasons", "Too hard to use"),
        "low_quality": QCoreApplication.translate(
            "CancellationReasons", "Quality below expectations"
        ),
        "other": QCoreApplication.translate("CancellationReasons", "Other reason"),
        "none": QCoreApplication.translate("CancellationReasons", "No reason given"),
    }
    return labels.get(reason, reason)


def reason_colour(reason: str) -> QColor:
    return QColor(_COLOURS.get(reason, "#7F7F7F"))


def ordered(reasons: set[str] | frozenset[str]) -> list[str]:
    """Stripe's order first (the order of the portal's list), then any others alphabetically."""
    known = [r for r in REASONS if r in reasons]
    return known + sorted(reasons - set(REASONS))
