"""Fetching the cancellation report's events with progress a person can watch.

``cancellation_report.fetch_events`` pages through Stripe's events on its own; this wraps
the gateway so each page it receives is counted and reported, without a second copy of the
paging rules. Cancelling the awaiting task stops the fetch between (or during) pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from console.gateway.models import Event, Page, PortalConfigurationRecord
from console.index.store import IndexedCustomer
from console.report.cancellations import EventLister, fetch_events
from console.report.period import Period


@dataclass(frozen=True, slots=True)
class FetchProgress:
    pages: int
    events: int  # events received so far (before the report's own date filter)


class CountingEventLister:
    """An ``EventLister`` that reports each page it hands on, asking for ``page_size`` events."""

    def __init__(
        self,
        gateway: EventLister,
        on_page: Callable[[FetchProgress], None],
        page_size: int = 100,
    ) -> None:
        self._gateway = gateway
        self._on_page = on_page
        self._page_size = page_size
        self.pages = 0
        self.events = 0

    async def list_events(
        self,
        *,
        types: Sequence[str] = (),
        created_gte: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
        limit: int = 100,
    ) -> Page[Event]:
        page = await self._gateway.list_events(
            types=types,
            created_gte=created_gte,
            starting_after=starting_after,
            ending_before=ending_before,
            limit=min(limit, self._page_size),
        )
        self.pages += 1
        self.events += len(page.data)
        self._on_page(FetchProgress(self.pages, self.events))
        return page


async def fetch_with_progress(
    gateway: EventLister,
    period: Period,
    on_page: Callable[[FetchProgress], None],
    page_size: int = 100,
) -> tuple[Event, ...]:
    """The events the report for ``period`` reads, oldest first, reporting every page."""
    counting = CountingEventLister(gateway, on_page, page_size)
    return await fetch_events(counting, period.since, period.until)


class ConfigurationLister(Protocol):
    async def list_portal_configurations(
        self, *, limit: int = 100, starting_after: str | None = None
    ) -> Page[PortalConfigurationRecord]: ...


async def all_configurations(gateway: ConfigurationLister) -> tuple[PortalConfigurationRecord, ...]:
    """Every portal configuration of the account, so the report can name them."""
    found: list[PortalConfigurationRecord] = []
    cursor: str | None = None
    while True:
        page = await gateway.list_portal_configurations(starting_after=cursor)
        found.extend(page.data)
        cursor = page.next_cursor
        if cursor is None:
            return tuple(found)


class CustomerNames(Protocol):
    def get(self, customer_id: str) -> IndexedCustomer | None: ...


def customer_names(index: CustomerNames, customer_ids: Iterable[str]) -> dict[str, str]:
    """Name (or email) of each customer the local index knows; blocking, so from a thread.

    The report lists customers by id; the index, not Stripe, is asked, so a long report costs
    no API calls. Customers the index has not seen yet are simply left out.
    """
    found: dict[str, str] = {}
    for customer_id in set(customer_ids):
        known = index.get(customer_id) if customer_id else None
        label = known and (known.name or known.email)
        if label:
            found[customer_id] = label
    return found
