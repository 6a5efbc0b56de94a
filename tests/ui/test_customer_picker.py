"""The compact customer picker on its own: it asks for a search when typing pauses, shows the
matches, walks into them with Down, and says which customer was chosen."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from console.index import IndexedCustomer
from ui.customer_picker import CustomerPicker


def _customer(customer_id: str, name: str | None) -> IndexedCustomer:
    return IndexedCustomer(
        id=customer_id, name=name, email=f"{customer_id}@example.com", phone=None, created=0
    )


def test_typing_asks_choosing_answers_and_nothing_found_is_said(qtbot: Any) -> None:
    picker = CustomerPicker("Name, email or customer id")
    qtbot.addWidget(picker)
    picker.show()
    asked: list[str] = []
    chosen: list[str] = []
    picker.wanted.connect(asked.append)
    picker.chosen.connect(chosen.append)

    qtbot.keyClicks(picker.search, "ada")
    qtbot.waitUntil(lambda: asked == ["ada"], timeout=2_000)
    picker.show_matches([_customer("cus_1", "Ada"), _customer("cus_2", None)], "ada")
    assert picker.matches.isVisible() and picker.matches.count() == 2
    assert "(no name)" in picker.matches.item(1).text()

    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    assert picker.matches.hasFocus() and picker.matches.currentRow() == 0
    qtbot.keyClick(picker.matches, Qt.Key.Key_Return)
    assert chosen == ["cus_1"] and not picker.matches.isVisible()

    picker.show_matches([], "zed")
    assert picker.matches.item(0).text() == "No customer matches “zed”."
    assert picker.hide_matches() and not picker.hide_matches()
