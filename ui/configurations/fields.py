"""One editor field each: a control bound to a configuration field, with its marks.

A ``Binding`` knows the field's parameter (Stripe's bracket form, which is what problems and
diffs name) and its model path (for ``configuration.edit``). It loads a value into its control,
reads the control back into a configuration, and reports each edit through ``on_change``.
A ``FieldRow`` is what the form shows: the control, and under it the field's problems; its
label says when the field differs from what Stripe has.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from console.configurations.model import PortalConfiguration, edit
from console.errors import ValidationProblem
from ui.flow_layout import FlowLayout

# Only the control itself (by object name): a container's children keep their own look.
PROBLEM_STYLE = "#fieldControl { border: 2px solid #d13438; border-radius: 3px; }"
CHANGED_MARK = "<span style='color: #0063b1;'>●</span> "
UNCHANGED_MARK = "<span style='color: transparent;'>●</span> "  # keeps the label's width
PROBLEM_TEXT_STYLE = "color: #a4262c;"
_NOT_SET = ""  # a ChoiceBinding's "not set" item


class FieldRow(QWidget):
    """The control and, hidden until there is one, the message of each problem it has."""

    def __init__(self, label: str, control: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setBuddy(control)
        self.title = label
        self._label_text = html.escape(label)
        self.control = control
        control.setObjectName("fieldControl")
        # A plain QWidget (a group of check boxes, a table box) draws a border only so.
        control.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)  # messages quote what was typed
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(PROBLEM_TEXT_STYLE)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(control)
        layout.addWidget(self.problem)
        self._changed = False
        self._problem_text = ""
        self.show_changed(False)

    def show_problems(self, problems: Sequence[ValidationProblem]) -> None:
        text = "\n".join(p.message for p in problems)
        if text == self._problem_text:
            return  # called on every keystroke: restyling unchanged rows is wasted work
        self._problem_text = text
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        self.control.setStyleSheet(PROBLEM_STYLE if text else "")
        self.control.setToolTip(text)

    def has_problem(self) -> bool:
        return bool(self._problem_text)

    def show_changed(self, changed: bool) -> None:
        if changed == self._changed and self.label.text():
            return
        self._changed = changed
        self.label.setText((CHANGED_MARK if changed else UNCHANGED_MARK) + self._label_text)
        self.label.setToolTip(
            QCoreApplication.translate("ConfigurationFields", "Changed: not saved yet")
            if changed
            else ""
        )

    def is_changed(self) -> bool:
        return self._changed


class Binding:
    """A control bound to the configuration field at ``path`` (named ``param`` to Stripe)."""

    full_width = False  # a list as wide as the form, under its title

    def __init__(self, param: str, path: str, label: str, control: QWidget) -> None:
        self.param = param
        self.path = path
        self.row = FieldRow(label, control)
        self.on_change: Callable[[Binding], None] = lambda _binding: None

    def _changed(self, *_args: object) -> None:
        self.on_change(self)

    def load(self, config: PortalConfiguration) -> None:
        value: Any = config
        for name in self.path.split("."):
            value = getattr(value, name)
        self.set_value(value)

    def apply(self, config: PortalConfiguration) -> PortalConfiguration:
        return edit(config, self.path, self.value())

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def value(self) -> Any:
        raise NotImplementedError


class TextBinding(Binding):
    """A line of text; empty means unset (None), which Stripe is sent as ``""``."""

    def __init__(self, param: str, path: str, label: str, placeholder: str = "") -> None:
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setClearButtonEnabled(True)
        super().__init__(param, path, label, self.edit)
        self.edit.textEdited.connect(self._changed)

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def value(self) -> str | None:
        return self.edit.text() or None


class CheckBinding(Binding):
    def __init__(self, param: str, path: str, label: str, text: str) -> None:
        self.check = QCheckBox(text)
        super().__init__(param, path, label, self.check)
        self.check.toggled.connect(self._changed)

    def set_value(self, value: Any) -> None:
        self.check.setChecked(bool(value))

    def value(self) -> bool:
        return self.check.isChecked()


class ChoiceBinding(Binding):
    """One of Stripe's enum values, each shown with words; ``none_text`` offers "not set"."""

    def __init__(
        self,
        param: str,
        path: str,
        label: str,
        choices: Sequence[tuple[str, str]],
        none_text: str | None = None,
    ) -> None:
        self.combo = QComboBox()
        # About 24 characters wide, not as wide as the longest choice (the list shows it whole).
        self.combo.setMinimumContentsLength(24)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        if none_text is not None:
            # "" rather than None as the item's data: PySide6 loses a reference to None
            # kept in a QVariant (a "deallocating None" crash at exit).
            self.combo.addItem(none_text, _NOT_SET)
        for value, text in choices:
            self.combo.addItem(text, value)
        super().__init__(param, path, label, self.combo)
        self.combo.currentIndexChanged.connect(self._changed)

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(_NOT_SET if value is None else value)
        if index < 0:
            # A value this console does not know (an import, a newer API): shown, not lost;
            # the rules report it.
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)

    def value(self) -> Any:
        value = self.combo.currentData()
        return None if value == _NOT_SET else value


class MultiChoiceBinding(Binding):
    """A set of enum values as check boxes; the saved order of values is kept."""

    def __init__(
        self, param: str, path: str, label: str, choices: Sequence[tuple[str, str]]
    ) -> None:
        box = QWidget()
        # As many boxes a line as the form's width takes (one on a small screen).
        flow = FlowLayout(box)
        self.checks: dict[str, QCheckBox] = {}
        for value, text in choices:
            check = QCheckBox(text)
            check.setObjectName(value)
            flow.addWidget(check)
            self.checks[value] = check
        self._order: tuple[str, ...] = ()
        super().__init__(param, path, label, box)
        for check in self.checks.values():
            check.toggled.connect(self._changed)

    def set_value(self, value: Any) -> None:
        self._order = tuple(value)
        for name, check in self.checks.items():
            check.setChecked(name in self._order)

    def value(self) -> tuple[str, ...]:
        chosen = {name for name, check in self.checks.items() if check.isChecked()}
        # Values this console has no box for (an import) stay as they were.
        unknown = tuple(v for v in self._order if v not in self.checks)
        kept = tuple(v for v in self._order if v in chosen)
        added = tuple(name for name in self.checks if name in chosen and name not in kept)
        return unknown + kept + added


class IdListBinding(Binding):
    """Ids separated by commas (custom cancellation reasons); empty keeps "never set" as None."""

    def __init__(self, param: str, path: str, label: str, placeholder: str) -> None:
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self._was_none = True
        super().__init__(param, path, label, self.edit)
        self.edit.textEdited.connect(self._changed)

    def set_value(self, value: Any) -> None:
        self._was_none = value is None
        self.edit.setText(", ".join(value or ()))

    def value(self) -> tuple[str, ...] | None:
        ids = tuple(part.strip() for part in self.edit.text().split(",") if part.strip())
        if not ids and self._was_none:
            return None
        return ids
