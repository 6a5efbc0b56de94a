"""Filling the customer index from Stripe: a full sync by list pages, then events.

Full sync walks ``/v1/customers`` 100 at a time, committing each page together with the
cursor that follows it, so a crash or a cancel leaves a consistent index that the next
run resumes. Before it starts it notes the newest ``customer.*`` event; incremental sync
then applies every later ``customer.created/updated/deleted`` event in order, so changes
made during a long full sync are not lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from console.gateway.client import Gateway
from console.gateway.models import Customer, Event
from console.index.store import CustomerRow, IndexStore

log = logging.getLogger(__name__)

CUSTOMER_EVENTS = ("customer.created", "customer.updated", "customer.deleted")
PAGE_SIZE = 100

# (customers done, estimated total or None)
ProgressCallback = Callable[[int, int | None], None]

_IN_PROGRESS = "full_sync_in_progress"
_CURSOR = "full_sync_cursor"
_DONE_COUNT = "full_sync_done_count"
_ESTIMATE = "full_sync_estimate"
_SYNCED = "full_sync_done"
_EVENT_MARK = "event_mark"  # newest event id seen at full sync start ("" = none existed)
_LAST_EVENT = "last_event_id"  # newest event applied ("" = none yet)


@dataclass(frozen=True, slots=True)
class SyncStatus:
    synced: bool  # a full sync has completed
    resumable: bool  # a full sync was interrupted and can continue
    customers: int


def row_of(customer: Customer) -> CustomerRow:
    return CustomerRow(
        id=customer.id,
        name=customer.name,
        email=customer.email,
        phone=customer.phone,
        metadata=customer.metadata,
        created=customer.created,
    )


def _store_page(
    store: IndexStore, customers: Sequence[Customer], step: Mapping[str, str | None]
) -> None:
    """In a worker thread: the rows are made there too, not on the event loop's thread."""
    store.apply([row_of(c) for c in customers if not c.deleted], (), step)


async def sync_status(store: IndexStore) -> SyncStatus:
    state, count = await asyncio.gather(
        asyncio.to_thread(store.state), asyncio.to_thread(store.count)
    )
    return SyncStatus(synced=_SYNCED in state, resumable=_IN_PROGRESS in state, customers=count)


async def full_sync(
    store: IndexStore,
    gateway: Gateway,
    progress: ProgressCallback | None = None,
    *,
    restart: bool = False,
) -> int:
    """Fills the index with every customer; resumes an interrupted run unless ``restart``.

    Returns how many customers the index holds. Cancelling stops after the current page
    (whole pages only are committed); calling again resumes.
    """
    state = await asyncio.to_thread(store.state)
    if restart or _IN_PROGRESS not in state:
        newest = await gateway.list_events(types=CUSTOMER_EVENTS, limit=1)
        mark = newest.data[0].id if newest.data else ""
        estimate = await gateway.estimate_customer_count()
        await asyncio.to_thread(store.clear)
        state = {_IN_PROGRESS: "1", _EVENT_MARK: mark, _DONE_COUNT: "0"}
        if estimate is not None:
            state[_ESTIMATE] = str(estimate)
        await asyncio.to_thread(store.apply, (), (), state)
    cursor = state.get(_CURSOR)
    done = int(state.get(_DONE_COUNT, "0"))
    estimate_text = state.get(_ESTIMATE)
    estimate = int(estimate_text) if estimate_text else None
    if progress:
        progress(done, estimate)
    while True:
        page = await gateway.list_customers(limit=PAGE_SIZE, starting_after=cursor)
        done += len(page.data)
        cursor = page.next_cursor
        finished = cursor is None
        step: dict[str, str | None] = {_CURSOR: cursor, _DONE_COUNT: str(done)}
        if finished:
            step |= {
                _IN_PROGRESS: None,
                _DONE_COUNT: None,
                _ESTIMATE: None,
                _SYNCED: "1",
                _LAST_EVENT: state.get(_EVENT_MARK, ""),
                _EVENT_MARK: None,
            }
        # The page and the cursor after it commit together: resuming never skips a page.
        await asyncio.to_thread(_store_page, store, page.data, step)
        if progress:
            progress(done, max(estimate or 0, done) if estimate is not None else None)
        if finished:
            break
    count = await asyncio.to_thread(store.count)
    log.info("Full sync of the customer index done: %d customers", count)
    return count


async def _events_since(gateway: Gateway, last_event_id: str) -> list[Event]:
    """Every customer event after ``last_event_id`` ("" = all kept), oldest first."""
    if last_event_id:
        ordered: list[Event] = []
        cursor = last_event_id
        while True:
            # ending_before: the events just newer than the cursor, newest first.
            page = await gateway.list_events(
                types=CUSTOMER_EVENTS, ending_before=cursor, limit=PAGE_SIZE
            )
            ordered.extend(reversed(page.data))
            if not page.has_more or not page.data:
                return ordered
            cursor = page.data[0].id
    newest_first: list[Event] = []
    after: str | None = None
    while True:
        page = await gateway.list_events(
            types=CUSTOMER_EVENTS, starting_after=after, limit=PAGE_SIZE
        )
        newest_first.extend(page.data)
        after = page.next_cursor
        if after is None:
            return newest_first[::-1]


def _final_changes(events: Sequence[Event]) -> tuple[list[CustomerRow], list[str]]:
    """What applying ``events`` in order leaves: customers to write and ids to delete."""
    latest: dict[str, CustomerRow | None] = {}
    for event in events:
        customer_id = str(event.data_object.get("id"))
        if event.type == "customer.deleted":
            latest[customer_id] = None
        else:
            latest[customer_id] = CustomerRow.from_json(event.data_object)
    upserts = [row for row in latest.values() if row is not None]
    deletions = [cid for cid, row in latest.items() if row is None]
    return upserts, deletions


async def incremental_sync(store: IndexStore, gateway: Gateway) -> int:
    """Applies customer events since the last one applied; returns how many were applied."""
    state = await asyncio.to_thread(store.state)
    if _SYNCED not in state:
        raise RuntimeError("incremental sync needs a completed full sync")
    events = await _events_since(gateway, state.get(_LAST_EVENT, ""))
    if not events:
        return 0
    for start in range(0, len(events), PAGE_SIZE):
        batch = events[start : start + PAGE_SIZE]
        upserts, deletions = _final_changes(batch)
        await asyncio.to_thread(store.apply, upserts, deletions, {_LAST_EVENT: batch[-1].id})
    return len(events)


async def sync(
    store: IndexStore, gateway: Gateway, progress: ProgressCallback | None = None
) -> None:
    """Whatever brings the index up to date: a (resumed) full sync, else the new events."""
    status = await sync_status(store)
    if status.synced:
        await incremental_sync(store, gateway)
    else:
        await full_sync(store, gateway, progress)
