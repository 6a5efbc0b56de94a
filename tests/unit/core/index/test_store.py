from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.index.store import CustomerRow, IndexStore, match_expression


@pytest.fixture
def store(tmp_path: Path) -> Iterator[IndexStore]:
    made = IndexStore(tmp_path / "index" / "acct_1-test.sqlite3")
    made.apply(
        [
            CustomerRow("cus_A1", "Jenny Rosen", "jenny@example.com", "+1 555 0100", {}, 100),
            CustomerRow("cus_B2", "Jenny Wren", "wren@example.org", None, {"crm": "X-77"}, 300),
            CustomerRow("cus_C3", "Jenkins", "ops@jenkins.io", "+44 20 7946 0958", {}, 200),
            CustomerRow("cus_D4", "Ana Ölund", "ana@example.se", None, {"tier": "gold"}, 50),
        ]
    )
    yield made
    made.close()


def ids(found: tuple[object, ...]) -> list[str]:
    return [c.id for c in found]  # type: ignore[attr-defined]


def test_prefix_of_a_name_finds_newest_first(store: IndexStore) -> None:
    assert ids(store.search("jen")) == ["cus_B2", "cus_C3", "cus_A1"]
    assert ids(store.search("jenny ro")) == ["cus_A1"]
    assert ids(store.search("jenny r")) == ["cus_B2", "cus_A1"]  # one letter: not yet


def test_exact_email_ranks_before_prefix_matches(store: IndexStore) -> None:
    assert ids(store.search("ops@jenkins.io")) == ["cus_C3"]
    assert ids(store.search("jenny@exa")) == ["cus_A1"]
    assert ids(store.search("JENNY@")) == ["cus_A1"]
    assert ids(store.search("cus_")) == ["cus_B2", "cus_C3", "cus_A1", "cus_D4"]


def test_phone_id_metadata_and_diacritics(store: IndexStore) -> None:
    assert ids(store.search("+44 20 7946")) == ["cus_C3"]
    assert ids(store.search("4420")) == ["cus_C3"]
    assert ids(store.search("cus_B2")) == ["cus_B2"]
    assert ids(store.search("gold")) == ["cus_D4"]
    assert ids(store.search("x-77")) == ["cus_B2"]
    assert ids(store.search("olund")) == ["cus_D4"]


def test_limit_and_nothing_typed(store: IndexStore) -> None:
    assert len(store.search("jen", limit=2)) == 2
    assert store.search("   ") == ()
    assert match_expression("@@") is None


def test_update_and_delete_reach_the_search(store: IndexStore) -> None:
    store.apply([CustomerRow("cus_A1", "Jenny Smith", "js@example.com", None, {}, 100)])
    assert ids(store.search("rosen")) == []
    assert ids(store.search("smith")) == ["cus_A1"]
    store.apply(deletions=["cus_A1"])
    assert ids(store.search("smith")) == []
    assert store.count() == 3


def test_same_second_customers_both_stay(store: IndexStore) -> None:
    rows = [CustomerRow(f"cus_same{i}", f"Twin {i}", None, None, {}, 500) for i in range(50)]
    store.apply(rows)
    assert len(store.search("twin", limit=100)) == 50


def test_failed_apply_changes_nothing(store: IndexStore) -> None:
    class BoomError(Exception):
        pass

    def rows() -> object:
        yield CustomerRow("cus_new", "New", None, None, {}, 900)
        raise BoomError

    with pytest.raises(BoomError):
        store.apply(rows(), state={"cursor": "x"})  # type: ignore[arg-type]
    assert store.get("cus_new") is None and "cursor" not in store.state()


def _all_pages(store: IndexStore, query: str, limit: int) -> list[list[str]]:
    pages: list[list[str]] = []
    cursor: str | None = None
    while True:
        page = store.search_page(query, limit, cursor) if query else store.recent(limit, cursor)
        pages.append([c.id for c in page.customers])
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor
        assert len(pages) < 100, "the cursor does not advance"


@pytest.fixture
def crowd(tmp_path: Path) -> Iterator[IndexStore]:
    """25 Jennys, one per second (cus_J00 the oldest), plus one exactly named "Jenny"."""
    made = IndexStore(tmp_path / "crowd.sqlite3")
    made.apply(
        [
            CustomerRow(f"cus_J{n:02d}", f"Jenny No{n}", f"jenny{n:02d}@example.com", None, {}, n)
            for n in range(25)
        ]
        + [CustomerRow("cus_exact", "Jenny", "solo@example.net", None, {}, 1)]
    )
    yield made
    made.close()


def test_search_pages_continue_where_the_last_stopped(crowd: IndexStore) -> None:
    pages = _all_pages(crowd, "jenny", 10)
    assert [len(page) for page in pages] == [10, 10, 6]
    flat = [customer for page in pages for customer in page]
    assert flat[0] == "cus_exact"  # the exact name match leads the first page only
    assert flat[1:] == [f"cus_J{n:02d}" for n in range(24, -1, -1)]  # then newest first
    assert len(set(flat)) == len(flat) == 26


def test_email_prefix_pages_walk_the_email_range(crowd: IndexStore) -> None:
    pages = _all_pages(crowd, "jenny1", 4)
    flat = sorted(customer for page in pages for customer in page)
    assert flat == [f"cus_J{n:02d}" for n in range(10, 20)]
    pages = _all_pages(crowd, "jenny@", 4)  # no such email: nothing, one empty page
    assert pages == [[]]
    pages = _all_pages(crowd, "jenny0", 3)
    assert sorted(c for page in pages for c in page) == [f"cus_J{n:02d}" for n in range(10)]
    assert all(len(page) <= 3 for page in pages)


def test_recent_pages_newest_first(crowd: IndexStore) -> None:
    pages = _all_pages(crowd, "", 7)
    assert [len(page) for page in pages] == [7, 7, 7, 5]
    flat = [customer for page in pages for customer in page]
    assert flat[:3] == ["cus_J24", "cus_J23", "cus_J22"]
    assert len(set(flat)) == 26


def test_a_later_page_starts_right_after_the_cursor(crowd: IndexStore) -> None:
    page = crowd.recent(5)
    assert page.next_cursor is not None
    later = crowd.recent(5, page.next_cursor)
    assert [c.id for c in later.customers] == [f"cus_J{n}" for n in (19, 18, 17, 16, 15)]


def _ids_on_one_slot(how_many: int) -> list[str]:
    """Customer ids whose rowid slot is the same for the same ``created`` second."""
    by_slot: dict[int, list[str]] = {}
    n = 0
    while True:
        customer_id = f"cus_slot{n}"
        found = by_slot.setdefault(zlib.crc32(customer_id.encode()) & 0xFFFFF, [])
        found.append(customer_id)
        if len(found) == how_many:
            return found
        n += 1


def test_customers_on_one_slot_all_stay_in_one_page_and_across_pages(tmp_path: Path) -> None:
    store = IndexStore(tmp_path / "slots.sqlite3")
    try:
        first, second, third = _ids_on_one_slot(3)
        # One page: two customers of the same second on one rowid slot.
        store.apply([CustomerRow(i, f"Slotted {i}", None, None, {}, 700) for i in (first, second)])
        # A later page: a third on that slot, and a customer of the next free slots' second.
        store.apply(
            [
                CustomerRow(third, "Slotted third", None, None, {}, 700),
                CustomerRow("cus_other", "Other", None, None, {}, 701),
            ]
        )
        assert store.count() == 4
        assert sorted(ids(store.search("slotted", limit=10))) == sorted([first, second, third])
        # Updating one of them keeps everyone, changed.
        store.apply([CustomerRow(second, "Renamed", None, None, {}, 700)])
        assert ids(store.search("renamed")) == [second]
        assert sorted(ids(store.search("slotted"))) == sorted([first, third])
        assert store.count() == 4
    finally:
        store.close()


def test_the_same_customer_twice_in_a_page_keeps_the_last(store: IndexStore) -> None:
    store.apply(
        [
            CustomerRow("cus_twice", "Before", None, None, {}, 800),
            CustomerRow("cus_twice", "After", None, None, {}, 800),
        ],
        state={"cursor": "cus_twice"},
    )
    assert store.get("cus_twice") is not None
    assert ids(store.search("after")) == ["cus_twice"] and ids(store.search("before")) == []
    assert store.state()["cursor"] == "cus_twice"
