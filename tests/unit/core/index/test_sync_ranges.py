"""How the full sync cuts what is left of a created range after a page (console.index.sync)."""

from __future__ import annotations

from itertools import pairwise

from console.gateway.models import Customer, Page, customer_from_json
from console.index.sync import _next_ranges, _Range


def _page(created: list[int], has_more: bool = True) -> Page[Customer]:
    customers = tuple(
        customer_from_json({"id": f"cus_{n:04d}", "object": "customer", "created": at})
        for n, at in enumerate(created)
    )
    return Page(customers, has_more)


def _covers_exactly(ranges: list[_Range], lo: int, hi: int) -> bool:
    """The ranges tile [lo, hi) with no gap and no overlap."""
    spans = sorted((r.lo, r.hi) for r in ranges)
    joined = all(a[1] == b[0] for a, b in pairwise(spans))
    return joined and spans[0][0] == lo and spans[-1][1] == hi


def test_a_last_page_leaves_nothing() -> None:
    assert _next_ranges(_Range(0, 100), _page([90, 80], has_more=False), idle=4) == []


def test_without_idle_workers_the_range_reads_on_by_cursor() -> None:
    page = _page(list(range(1_000, 900, -1)))
    assert _next_ranges(_Range(0, 2_000), page, idle=0) == [_Range(0, 2_000, "cus_0099")]


def test_idle_workers_get_the_older_part_where_the_customers_likely_are() -> None:
    # 100 customers in the 100 seconds before 1,000,000; 900 more expected.
    page = _page(list(range(1_000_000, 999_900, -1)))
    ranges = _next_ranges(_Range(0, 2**40), page, idle=3, remaining=900)
    assert ranges[0] == _Range(ranges[0].lo, 2**40, "cus_0099")  # goes on from the page's end
    assert len(ranges) == 5  # that, three parts for the idle workers, and all that is older
    # 900 more at this page's pace (100 in 99 s), twice that span: the parts cover the time
    # before the page where they likely are; all older than that is one range.
    assert ranges[-1] == _Range(0, 999_901 - 2 * 900 * 99 // 100)
    assert _covers_exactly(ranges, 0, 2**40)


def test_a_range_of_one_second_is_never_cut() -> None:
    page = _page([500] * 100)
    assert _next_ranges(_Range(500, 501), page, idle=8, remaining=10_000) == [
        _Range(500, 501, "cus_0099")
    ]
