"""A row of controls that wraps onto further lines when the window is narrow.

Qt has no such layout (its documentation has one as an example, which this follows): a
toolbar of labelled fields and buttons laid out with ``QHBoxLayout`` forces the window to be
as wide as all of them together, which a small laptop, or German, cannot give. Items keep
their order (and with it the tab order); a line that is full continues on the next one.
``right_aligned`` pushes each line to the right edge, as dialog buttons sit (Save last).
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, *, right_aligned: bool = False) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._right_aligned = right_aligned
        self.setContentsMargins(0, 0, 0, 0)

    # --- QLayout's interface -------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt's name
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt's name
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt's name
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # All on one line, when there is room for it.
        width = sum(item.sizeHint().width() for item in self._shown())
        width += self._spacing(Qt.Orientation.Horizontal) * max(0, len(self._shown()) - 1)
        height = max((item.sizeHint().height() for item in self._shown()), default=0)
        return QSize(width, height) + self._margin_size()

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt's name
        # One item a line, at the narrowest.
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        return size + self._margin_size()

    # --- arranging -----------------------------------------------------------------------------

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _margin_size(self) -> QSize:
        margins: QMargins = self.contentsMargins()
        return QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _spacing(self, orientation: Qt.Orientation) -> int:
        if self.spacing() >= 0:
            return self.spacing()
        parent = self.parentWidget()
        if parent is None:
            return 6
        control = QSizePolicy.ControlType.PushButton
        return parent.style().layoutSpacing(control, control, orientation, None, parent)

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Lays the items out in ``rect`` (only measures unless ``move``); the height used."""
        area = rect.marginsRemoved(self.contentsMargins())
        across = self._spacing(Qt.Orientation.Horizontal)
        down = self._spacing(Qt.Orientation.Vertical)
        lines: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._shown():
            width = item.sizeHint().width()
            if lines[-1] and used + across + width > area.width():
                lines.append([])
                used = 0
            used += (across if lines[-1] else 0) + width
            lines[-1].append(item)
        top = area.y()
        for line in lines:
            if not line:
                continue
            height = max(item.sizeHint().height() for item in line)
            widths = [min(item.sizeHint().width(), area.width()) for item in line]
            left = area.x()
            if self._right_aligned:
                left = area.right() + 1 - (sum(widths) + across * (len(line) - 1))
            if move:
                for item, width in zip(line, widths, strict=True):
                    item.setGeometry(QRect(QPoint(left, top), QSize(width, height)))
                    left += width + across
            top += height + down
        return top - down - area.y() + self._margin_size().height()


def one_line(label: str, field: QWidget, *more: QWidget) -> QWidget:
    """``field`` (and ``more``) behind its label, as one item of a flow: they wrap together.

    The label's mnemonic reaches ``field``; an empty ``label`` makes no label.
    """
    group = QWidget()
    row = QHBoxLayout(group)
    row.setContentsMargins(0, 0, 0, 0)
    if label:
        buddy = QLabel(label)
        buddy.setBuddy(field)
        row.addWidget(buddy)
    for widget in (field, *more):
        row.addWidget(widget)
    return group
