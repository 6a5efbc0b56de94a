"""Fetching the report's events page by page from the real sandbox, with progress counted."""

from __future__ import annotations

import time

import pytest

from console.gateway.client import Gateway
from console.report import cancellations as cancellation_report
from console.report.fetch import FetchProgress, all_configurations, fetch_with_progress
from console.report.period import last_days


@pytest.mark.asyncio
async def test_one_event_pages_are_counted_and_give_the_same_events(gateway: Gateway) -> None:
    period = last_days(2, time.time())
    expected = await cancellation_report.fetch_events(gateway, period.since, period.until)
    assert len(expected) >= 2, "the demo data has subscription changes"

    seen: list[FetchProgress] = []
    events = await fetch_with_progress(gateway, period, seen.append, page_size=1)

    assert events == expected
    assert [p.pages for p in seen] == list(range(1, len(seen) + 1))
    assert len(seen) == len(expected)  # one event a page, the last page says no more
    assert seen[-1].events == len(expected)


@pytest.mark.asyncio
async def test_every_configuration_is_listed_for_names(gateway: Gateway) -> None:
    configurations = await all_configurations(gateway)
    assert any(c.is_default for c in configurations)
    assert len({c.id for c in configurations}) == len(configurations)
