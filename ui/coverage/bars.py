"""One stacked bar per portal action: allowed, then refused by reason, drawn with QPainter.

A click on a part of a bar says which (action, reason) it is (``ALLOWED`` for the allowed part),
so the view can list the subscriptions behind it; hovering shows the part's words and count.
The same numbers are in the view's table, which the keyboard reaches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from console.coverage.counts import ALLOWED, Coverage

ROW_HEIGHT = 22
GAP = 4
ALLOWED_COLOUR = QColor("#2e7d32")
# Refused parts, largest first: distinct enough side by side, and readable with white text.
REFUSED_COLOURS = tuple(
    QColor(c)
    for c in (
        *("#c0392b", "#d35400", "#8e44ad", "#2c6fbb", "#7f6a00"),
        *("#5d6d7e", "#a93f6b", "#1f7a7a", "#6e4b2a", "#4a4a8c"),
    )
)


@dataclass(frozen=True, slots=True)
class BarRow:
    action: str
    label: str  # the action in words
    parts: tuple[tuple[str, int, str], ...]  # (reason or ALLOWED, count, words)


class CoverageBars(QWidget):
    part_clicked = Signal(str, str)  # action, reason (ALLOWED: the allowed part)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: tuple[BarRow, ...] = ()
        self.total = 0
        self.colours: dict[str, QColor] = {}  # per reason, the same in every bar
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(300)

    def show_coverage(
        self,
        coverage: Coverage | None,
        action_words: Callable[[str], str],
        reason_words: Callable[[str], str],
        actions: Sequence[str] | None = None,
    ) -> None:
        """Draws ``coverage`` (None: nothing), the ``actions`` given or every one."""
        if coverage is None:
            self.rows, self.total = (), 0
        else:
            rows = []
            for action, counted in coverage.actions.items():
                if actions is not None and action not in actions:
                    continue
                parts = [(ALLOWED, counted.allowed, action_words("allowed"))]
                parts += [(r, n, reason_words(r)) for r, n in counted.refused.items()]
                rows.append(BarRow(action, action_words(action), tuple(parts)))
            self.rows, self.total = tuple(rows), coverage.subscriptions
            # The largest reasons over all actions get the palette's first colours.
            sizes: dict[str, int] = {}
            for counted in coverage.actions.values():
                for reason, count in counted.refused.items():
                    sizes[reason] = sizes.get(reason, 0) + count
            ranked = sorted(sizes, key=lambda reason: (-sizes[reason], reason))
            self.colours = {
                reason: REFUSED_COLOURS[n % len(REFUSED_COLOURS)] for n, reason in enumerate(ranked)
            }
        self.setFixedHeight(max(1, len(self.rows)) * (ROW_HEIGHT + GAP) + GAP)
        self.update()

    def colour_of(self, reason: str) -> QColor:
        return self.colours.get(reason, REFUSED_COLOURS[-1])

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(600, self.height())

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(row.label) for row in self.rows), default=0)
        return min(widest + 12, self.width() // 3)

    def _parts(self) -> list[tuple[QRect, BarRow, tuple[str, int, str], QColor]]:
        """Each drawn part: where, which row, which part, its colour."""
        found: list[tuple[QRect, BarRow, tuple[str, int, str], QColor]] = []
        left = self._label_width()
        width = max(1, self.width() - left - GAP)
        for n, row in enumerate(self.rows):
            top = GAP + n * (ROW_HEIGHT + GAP)
            x = float(left)
            for part in row.parts:
                if part[1] <= 0 or self.total <= 0:
                    continue
                share = width * part[1] / self.total
                colour = ALLOWED_COLOUR if part[0] == ALLOWED else self.colour_of(part[0])
                rect = QRect(round(x), top, max(1, round(x + share) - round(x)), ROW_HEIGHT)
                found.append((rect, row, part, colour))
                x += share
        return found

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        metrics = self.fontMetrics()
        label_width = self._label_width()
        for n, row in enumerate(self.rows):
            top = GAP + n * (ROW_HEIGHT + GAP)
            text = metrics.elidedText(row.label, Qt.TextElideMode.ElideRight, label_width - 8)
            painter.setPen(self.palette().windowText().color())
            painter.drawText(
                QRect(0, top, label_width - 8, ROW_HEIGHT),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                text,
            )
        for rect, _row, part, colour in self._parts():
            painter.fillRect(rect, colour)
            count = f"{part[1]:,}"
            if metrics.horizontalAdvance(count) + 8 <= rect.width():
                painter.setPen(QColor("white"))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, count)
        painter.end()

    def part_at(self, point: QPoint) -> tuple[BarRow, tuple[str, int, str]] | None:
        for rect, row, part, _colour in self._parts():
            if rect.contains(point):
                return row, part
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        found = self.part_at(event.position().toPoint())
        if found is None:
            QToolTip.hideText()
            return
        row, (_reason, count, words) = found
        QToolTip.showText(event.globalPosition().toPoint(), f"{row.label}: {words} {count:,}")

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        found = self.part_at(event.position().toPoint())
        if found is not None and event.button() == Qt.MouseButton.LeftButton:
            row, part = found
            self.part_clicked.emit(row.action, part[0])
