"""The save summary's section on what a change does to the account's subscriptions (issue 19's
"impact before saving"): computed from the subscriptions index the Portal coverage view keeps,
added to the open dialog when ready, so the dialog never waits for it. Each action's line has a
*List…* button with the subscriptions behind its numbers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.configurations.model import PortalConfiguration
from console.configurations.rules import Catalogue
from console.configurations.summary import SummarySection
from console.coverage.impact import ActionImpact, Impact
from console.coverage.words import impact_lines, impact_section
from console.customers.support_card import ACTION_WORDS
from console.errors import ConsoleError
from console.i18n import _ as core_words
from ui.configurations.dialogs import SaveSummaryDialog
from ui.tasks import NamedTasks

# (saved, edited, catalogue) -> the impact, or None while the subscriptions are not read yet.
ImpactSource = Callable[
    [PortalConfiguration, PortalConfiguration, Catalogue], Awaitable[Impact | None]
]
# (shape ids, at most) -> (subscription id, customer id) of the subscriptions with those shapes.
SubscriptionsBehind = Callable[[tuple[int, ...], int], Awaitable[tuple[tuple[str, str], ...]]]

MAX_LISTED = 1_000  # a list to look through; the coverage view's CSV has them all


async def add_impact_section(
    dialog: SaveSummaryDialog,
    source: ImpactSource,
    behind: SubscriptionsBehind | None,
    saved: PortalConfiguration,
    edited: PortalConfiguration,
    catalogue: Catalogue,
) -> None:
    impact = await source(saved, edited, catalogue)
    if not dialog.isVisible():
        return  # answered (saved or cancelled) before the numbers were ready
    if impact is None:
        hint = QCoreApplication.translate(
            "SaveImpact",
            "Not known yet: open Portal coverage once to read the account's subscriptions; "
            "from then on this summary says what a change does to them.",
        )
        # The same title as the core's section (its catalogue has the German).
        title = core_words("What it does to the account's subscriptions")
        dialog.add_section(SummarySection(title, (hint,)))
        return
    changed = [action for action in impact.actions.values() if action.changed]
    lists: list[Callable[[], None] | None] = []
    if behind is not None:
        # impact_lines words the changed actions in this order, one line each.
        lists = [_lister(dialog, behind, action) for action in changed]
    assert len(impact_lines(impact)) == max(1, len(changed))
    dialog.add_section(impact_section(impact), lists)


def _lister(
    parent: QWidget, behind: SubscriptionsBehind, action: ActionImpact
) -> Callable[[], None]:
    def show() -> None:
        ImpactList(behind, action, parent).open()

    return show


class ImpactList(QDialog):
    """The subscriptions that gain or lose one portal action with the change."""

    def __init__(
        self, behind: SubscriptionsBehind, action: ActionImpact, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(core_words(ACTION_WORDS[action.action]))
        self.status = QLabel(self.tr("Reading the subscriptions…"))
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Subscription"), self.tr("Customer"), self.tr("With the change")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)
        self._tasks = NamedTasks(self._failed)
        self._tasks.run("list", self._load(behind, action))
        self.finished.connect(lambda _result: self._tasks.cancel_all())

    async def _load(self, behind: SubscriptionsBehind, action: ActionImpact) -> None:
        gains = await behind(action.gained_shapes, MAX_LISTED) if action.gained_shapes else ()
        losses = await behind(action.lost_shapes, MAX_LISTED) if action.lost_shapes else ()
        rows = [(sub, customer, self.tr("gains it")) for sub, customer in gains]
        rows += [(sub, customer, self.tr("loses it")) for sub, customer in losses]
        self.table.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.status.setText(
            self.tr("{gained} gain it, {lost} lose it (at most {most} of each listed).").format(
                gained=self.locale().toString(action.gained),
                lost=self.locale().toString(action.lost),
                most=self.locale().toString(MAX_LISTED),
            )
        )

    def rows(self) -> list[tuple[str, ...]]:
        def text(row: int, column: int) -> str:
            item = self.table.item(row, column)
            return item.text() if item is not None else ""

        return [tuple(text(r, c) for c in range(3)) for r in range(self.table.rowCount())]

    def _failed(self, error: ConsoleError) -> None:
        self.status.setText(str(error))
