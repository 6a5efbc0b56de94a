"""The results model holds what was fetched and asks for the next page near the end."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex

from console.index import IndexedCustomer
from console.money import format_amount
from ui.customers.model import PAGE_SIZE, CustomersModel


def _customers(start: int, count: int) -> tuple[IndexedCustomer, ...]:
    return tuple(
        IndexedCustomer(f"cus_{n:06d}", f"Customer {n}", f"c{n}@example.com", None, 1_700_000_000)
        for n in range(start, start + count)
    )


def test_the_model_fetches_a_page_at_a_time(qtbot: Any) -> None:
    model = CustomersModel()
    asked: list[int] = []
    model.more_wanted.connect(asked.append)
    root = QModelIndex()

    model.reset(_customers(0, PAGE_SIZE), has_more=True)
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore(root)
    model.fetchMore(root)
    assert asked == [PAGE_SIZE]
    assert not model.canFetchMore(root)  # one request at a time

    # The next query returns the first page again plus 50 more: only the new ones are added.
    model.append_page(_customers(0, PAGE_SIZE + 50), has_more=False)
    assert model.rowCount() == PAGE_SIZE + 50
    assert model.data(model.index(PAGE_SIZE + 49, 0)) == "Customer 149"
    assert not model.canFetchMore(root)


def test_amounts_read_the_locales_way_and_zero_decimal_currencies_are_whole_units() -> None:
    assert format_amount(123450, "usd", "en_US") == "$1,234.50"
    assert format_amount(123450, "eur", "de_DE") == "1.234,50\xa0€"
    assert format_amount(1235, "jpy", "en_US") == "¥1,235"  # Stripe counts yen whole
    assert format_amount(None, "usd") == "—"
    assert format_amount(900, "usd", "C") == "$9.00"  # a bare environment's locale: fallback
