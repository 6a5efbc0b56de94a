"""The save summary's section on what a change does to the account's subscriptions (issue-19's
"impact before saving"): computed from the subscriptions index the Portal coverage view keeps,
added to the open dialog when ready, so the dialog never waits for it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtCore import QCoreApplication

from console.configurations.model import PortalConfiguration
from console.configurations.rules import Catalogue
from console.configurations.summary import SummarySection
from console.coverage.impact import Impact
from console.coverage.words import impact_section
from console.i18n import _ as core_words
from ui.configurations.dialogs import SaveSummaryDialog

# (saved, edited, catalogue) -> the impact, or None while the subscriptions are not read yet.
ImpactSource = Callable[
    [PortalConfiguration, PortalConfiguration, Catalogue], Awaitable[Impact | None]
]


async def add_impact_section(
    dialog: SaveSummaryDialog,
    source: ImpactSource,
    saved: PortalConfiguration,
    edited: PortalConfiguration,
    catalogue: Catalogue,
) -> None:
    impact = await source(saved, edited, catalogue)
    if not dialog.isVisible():
        return  # answered (saved or cancelled) before the numbers were ready
    if impact is not None:
        dialog.add_section(impact_section(impact))
        return
    # The same title as the core's section (its catalogue has the German).
    title = core_words("What it does to the account's subscriptions")
    hint = QCoreApplication.translate(
        "SaveImpact",
        "Not known yet: open Portal coverage once to read the account's subscriptions; "
        "from then on this summary says what a change does to them.",
    )
    dialog.add_section(SummarySection(title, (hint,)))
