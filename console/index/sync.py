"""Filling the customer index from Stripe: a full sync in parallel ``created`` ranges, then events.

Full sync. Stripe lists customers newest first, 100 a page, one page after another by cursor:
at real Stripe's 300 ms or more a page, one such walk reads about 300 customers a second, a tenth
of what the account's rate limit allows. So the full sync walks several ranges of ``created``
at once (like Airbyte's date slices): a range's first page shows where its customers are; the
range reads on by cursor while its older part is cut into ranges of their own for idle workers.
Workers go through the gateway's background budget (at most its share of Stripe's limits,
after interactive requests), and one writer stores each page with the ranges still to read, in
one transaction: a crash or a cancel leaves a consistent index that
the next run resumes, and fetching goes on while a page is written.

Before it starts it notes the newest ``customer.*`` event; incremental sync then applies every
later ``customer.created/updated/deleted`` event in order, so changes made during a long full
sync are not lost.

Stripe keeps events 30 days. An index left longer than that has a saved event Stripe no longer
knows ("No such event"): the index is then rebuilt in place, its old rows searchable until the
rebuild is complete, and the caller is told (``SyncOutcome.rebuilt_because``).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from console.errors import StripeApiError
from console.gateway.client import Gateway
from console.gateway.models import Customer, Event, Page
from console.index.store import CustomerRow, IndexStore

log = logging.getLogger(__name__)

CUSTOMER_EVENTS = ("customer.created", "customer.updated", "customer.deleted")
PAGE_SIZE = 100
# Ranges read at once. The budget sets the pace; these only keep enough requests in flight
# to use it at Stripe's latency (12.5 requests a second x 0.5-1.2 s a page needs 7 to 15).
DEFAULT_WORKERS = 16
# Every customer was created in [0, 2**40) seconds (the year 36812): the first range.
_ALL_TIME = (0, 2**40)

# (customers done, estimated total or None)
ProgressCallback = Callable[[int, int | None], None]


class Listed(Protocol):
    """What a full sync reads: Stripe objects with an id, listed newest ``created`` first."""

    @property
    def id(self) -> str: ...

    @property
    def created(self) -> int: ...


class SyncedStore(Protocol):
    """An index file a full sync fills (``IndexStore``, ``SubscriptionStore``)."""

    def state(self) -> dict[str, str]: ...
    def set_state(self, state: Mapping[str, str | None]) -> None: ...
    def count(self) -> int: ...
    def clear(self) -> None: ...
    def begin_rebuild(self, state: Mapping[str, str]) -> None: ...
    def finish_rebuild(self, state: Mapping[str, str | None]) -> int: ...


ListedT = TypeVar("ListedT", bound=Listed)
StoreT = TypeVar("StoreT", bound=SyncedStore)


@dataclass(frozen=True, slots=True)
class Listing(Generic[ListedT, StoreT]):
    """What one index reads and how it stores it: the full sync's only object-specific part.

    ``list_page(gateway, cursor, lo, hi)`` is one page of objects created in [lo, hi) after
    ``cursor``, newest first; ``store_page(store, objects, step, rebuilding)`` writes a page and
    the sync state ``step`` in one transaction (in a worker thread); ``events`` are the event
    types whose newest is noted when a full sync starts, so that the incremental sync applies
    every change made while it ran.
    """

    what: str  # in log messages: "customers", "subscriptions"
    events: tuple[str, ...]
    list_page: Callable[[Gateway, str | None, int, int], Awaitable[Page[ListedT]]]
    estimate: Callable[[Gateway], Awaitable[int | None]]
    store_page: Callable[[StoreT, Sequence[ListedT], Mapping[str, str | None], bool], None]


_IN_PROGRESS = "full_sync_in_progress"
_RANGES = "full_sync_ranges"  # JSON [[lo, hi, cursor or null], ...] still to read
_DONE_COUNT = "full_sync_done_count"
_ESTIMATE = "full_sync_estimate"
_REBUILDING = "full_sync_rebuilding"  # the old rows stay until the rebuild is complete
_SYNCED = "full_sync_done"
_EVENT_MARK = "event_mark"  # newest event id seen at full sync start ("" = none existed)
_LAST_EVENT = "last_event_id"  # newest event applied ("" = none yet)


@dataclass(frozen=True, slots=True)
class SyncStatus:
    synced: bool  # a full sync has completed (a rebuild may be under way)
    resumable: bool  # a full sync was interrupted and can continue
    customers: int


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    """What ``sync`` did: ``rebuilt_because`` says why the index was rebuilt, if it was."""

    full: bool
    events_applied: int = 0
    rebuilt_because: str | None = None


class EventsExpiredError(Exception):
    """Stripe no longer has the event the index last applied (it keeps events 30 days)."""


@dataclass(frozen=True, slots=True)
class _Range:
    """Customers created in [lo, hi) seconds, read on after ``cursor`` (None: from the newest)."""

    lo: int
    hi: int
    cursor: str | None = None

    @property
    def key(self) -> str:
        return f"{self.lo}:{self.hi}"

    def as_json(self) -> list[int | str | None]:
        return [self.lo, self.hi, self.cursor]


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
    store: IndexStore,
    customers: Sequence[Customer],
    step: Mapping[str, str | None],
    rebuilding: bool,
) -> None:
    """In a worker thread: the rows are made there too, not on the event loop's thread."""
    store.apply([row_of(c) for c in customers if not c.deleted], (), step, rebuilding=rebuilding)


def _list_customers(
    gateway: Gateway, cursor: str | None, lo: int, hi: int
) -> Awaitable[Page[Customer]]:
    return gateway.list_customers(
        limit=PAGE_SIZE, starting_after=cursor, created_gte=lo, created_lt=hi
    )


def _estimate_customers(gateway: Gateway) -> Awaitable[int | None]:
    return gateway.estimate_customer_count()


CUSTOMERS: Listing[Customer, IndexStore] = Listing(
    what="customers",
    events=CUSTOMER_EVENTS,
    list_page=_list_customers,
    estimate=_estimate_customers,
    store_page=_store_page,
)


async def sync_status(store: IndexStore) -> SyncStatus:
    state, count = await asyncio.gather(
        asyncio.to_thread(store.state), asyncio.to_thread(store.count)
    )
    return SyncStatus(synced=_SYNCED in state, resumable=_IN_PROGRESS in state, customers=count)


def _next_ranges(
    taken: _Range, page: Page[ListedT], idle: int, remaining: int | None = None
) -> list[_Range]:
    """What is left of ``taken`` after ``page``: nothing, or the range read on by cursor and,
    with ``idle`` workers, its older part cut into ranges of their own for them.

    Where the older customers are is a guess from the page: its customers per second, and the
    ``remaining`` customers of the whole sync (Stripe's estimate), say how far back most of
    them lie; that span is cut in equal parts, and anything older is one more range.
    """
    if not page.has_more or not page.data:
        return []
    last = page.data[-1]
    # Newest first: what is left is older than ``last`` (or as old, and after it). Read on by
    # cursor, a range keeps to its created bounds, so the newest part goes on from ``last``.
    read_on = _Range(taken.lo, taken.hi, last.id)
    if idle <= 0 or last.created - taken.lo < 2:
        return [read_on]
    span = max(1, page.data[0].created - last.created)
    likely_lo = taken.lo
    if remaining:
        # Twice the span the rest would take at this page's pace: growth makes older customers
        # sparser, so most of them are within it.
        likely_lo = max(taken.lo, last.created - 2 * remaining * span // len(page.data))
    parts = min(idle + 1, last.created - likely_lo)
    if parts < 2:
        return [read_on]
    width = (last.created - likely_lo) / parts
    bounds = [last.created - round(width * n) for n in range(parts)] + [likely_lo]
    found = [_Range(bounds[1], taken.hi, last.id)]
    found += [_Range(bounds[n + 1], bounds[n]) for n in range(1, parts)]
    if likely_lo > taken.lo:
        found.append(_Range(taken.lo, likely_lo))
    return found


async def full_sync(
    store: IndexStore,
    gateway: Gateway,
    progress: ProgressCallback | None = None,
    *,
    restart: bool = False,
    rebuild: bool = False,
    workers: int = DEFAULT_WORKERS,
) -> int:
    """The customer index's full sync (``full_sync_of`` with ``CUSTOMERS``)."""
    return await full_sync_of(
        CUSTOMERS, store, gateway, progress, restart=restart, rebuild=rebuild, workers=workers
    )


async def full_sync_of(
    listing: Listing[ListedT, StoreT],
    store: StoreT,
    gateway: Gateway,
    progress: ProgressCallback | None = None,
    *,
    restart: bool = False,
    rebuild: bool = False,
    workers: int = DEFAULT_WORKERS,
) -> int:
    """Fills the index with every object; resumes an interrupted run unless ``restart``.

    ``rebuild`` keeps the customers already indexed (and searchable) while every customer is
    read again, and removes at the end those Stripe no longer has. Returns how many customers
    the index holds. Cancelling stops after the pages in flight (whole pages only are
    committed); calling again resumes.
    """
    background = gateway.background()
    state = await asyncio.to_thread(store.state)
    if restart or _IN_PROGRESS not in state:
        # Two questions, one round trip: at Stripe's latency each is a third of a second.
        newest, estimate = await asyncio.gather(
            background.list_events(types=listing.events, limit=1),
            listing.estimate(background),
        )
        mark = newest.data[0].id if newest.data else ""
        fresh = {
            _IN_PROGRESS: "1",
            _EVENT_MARK: mark,
            _DONE_COUNT: "0",
            _RANGES: json.dumps([_Range(*_ALL_TIME).as_json()]),
        }
        if estimate is not None:
            fresh[_ESTIMATE] = str(estimate)
        if rebuild:
            fresh[_REBUILDING] = "1"
            await asyncio.to_thread(store.begin_rebuild, fresh)
        else:
            await asyncio.to_thread(store.clear)
            await asyncio.to_thread(store.set_state, fresh)
        state = fresh  # everything the run reads of the state is in it
    run = _FullSync(listing, store, background, state, progress, workers)
    await run.run()
    count = await asyncio.to_thread(store.count)
    log.info("Full sync of the %s index done: %d", listing.what, count)
    return count


class _FullSync(Generic[ListedT, StoreT]):
    """One full sync's workers, its writer and the ranges committed so far."""

    def __init__(
        self,
        listing: Listing[ListedT, StoreT],
        store: StoreT,
        gateway: Gateway,
        state: Mapping[str, str],
        progress: ProgressCallback | None,
        workers: int,
    ) -> None:
        self.listing = listing
        self.store = store
        self.gateway = gateway
        self.state = state
        self.progress = progress
        self.workers = max(1, workers)
        self.rebuilding = _REBUILDING in state
        ranges = [_Range(lo, hi, cursor) for lo, hi, cursor in json.loads(state[_RANGES])]
        # What the index has committed: the ranges still to read after its last page.
        self.committed = {r.key: r for r in ranges}
        self.done = int(state.get(_DONE_COUNT, "0"))
        self.fetched = self.done  # read from Stripe, written or not
        estimate_text = state.get(_ESTIMATE)
        self.estimate = int(estimate_text) if estimate_text else None
        self.todo: asyncio.Queue[_Range | None] = asyncio.Queue()
        for r in ranges:
            self.todo.put_nowait(r)
        self.open_ranges = len(ranges)  # queued or being read
        # Fetching runs ahead of writing by a few pages at most (memory stays bounded).
        self.writes: asyncio.Queue[tuple[_Range, Page[ListedT], list[_Range]] | None] = (
            asyncio.Queue(maxsize=self.workers * 2)
        )

    def _report(self) -> None:
        if self.progress:
            estimate = max(self.estimate, self.done) if self.estimate is not None else None
            self.progress(self.done, estimate)

    async def run(self) -> None:
        self._report()
        tasks = [asyncio.ensure_future(self._work()) for _ in range(self.workers)]
        writer = asyncio.ensure_future(self._write())
        try:
            if self.open_ranges:
                await asyncio.gather(*tasks)
            else:
                for task in tasks:
                    task.cancel()
            await self.writes.put(None)
            await writer
        except BaseException:
            for task in (*tasks, writer):
                task.cancel()
            await asyncio.gather(*tasks, writer, return_exceptions=True)
            raise
        await self._finish()

    async def _work(self) -> None:
        while True:
            taken = await self.todo.get()
            if taken is None:
                return
            page = await self.listing.list_page(self.gateway, taken.cursor, taken.lo, taken.hi)
            # Split while there are fewer ranges than workers to read them.
            remaining = self.estimate - self.fetched if self.estimate is not None else None
            self.fetched += len(page.data)
            following = _next_ranges(
                taken, page, idle=self.workers - self.open_ranges, remaining=remaining
            )
            self.open_ranges += len(following) - 1
            # The page goes to the writer before its successors can be read: pages are
            # committed in an order in which every range exists before its own pages.
            await self.writes.put((taken, page, following))
            for next_range in following:
                self.todo.put_nowait(next_range)
            if self.open_ranges == 0:
                for _ in range(self.workers):
                    self.todo.put_nowait(None)

    async def _write(self) -> None:
        while True:
            item = await self.writes.get()
            if item is None:
                return
            taken, page, following = item
            self.committed.pop(taken.key, None)
            self.committed.update({r.key: r for r in following})
            self.done += len(page.data)
            step: dict[str, str | None] = {
                _RANGES: json.dumps([r.as_json() for r in self.committed.values()]),
                _DONE_COUNT: str(self.done),
            }
            # The page and the ranges after it commit together: resuming never skips a page.
            writing = asyncio.ensure_future(
                asyncio.to_thread(
                    self.listing.store_page, self.store, page.data, step, self.rebuilding
                )
            )
            try:
                await asyncio.shield(writing)
            except asyncio.CancelledError:
                # A thread cannot be stopped: let the page land before the sync counts as
                # stopped, so what the caller reads next is what stays.
                await writing
                raise
            self._report()

    async def _finish(self) -> None:
        final: dict[str, str | None] = {
            _IN_PROGRESS: None,
            _RANGES: None,
            _DONE_COUNT: None,
            _ESTIMATE: None,
            _REBUILDING: None,
            _SYNCED: "1",
            _LAST_EVENT: self.state.get(_EVENT_MARK, ""),
            _EVENT_MARK: None,
        }
        if self.rebuilding:
            gone = await asyncio.to_thread(self.store.finish_rebuild, final)
            log.info(
                "Index rebuilt: %d %s Stripe no longer has were removed", gone, self.listing.what
            )
        else:
            await asyncio.to_thread(self.store.set_state, final)


async def events_since(
    gateway: Gateway, last_event_id: str, types: Sequence[str] = CUSTOMER_EVENTS
) -> list[Event]:
    """Every event of ``types`` after ``last_event_id`` ("" = all kept), oldest first.

    Raises ``EventsExpiredError`` when Stripe no longer has ``last_event_id``.
    """
    if last_event_id:
        ordered: list[Event] = []
        cursor = last_event_id
        while True:
            # ending_before: the events just newer than the cursor, newest first.
            try:
                page = await gateway.list_events(types=types, ending_before=cursor, limit=PAGE_SIZE)
            except StripeApiError as error:
                if error.code == "resource_missing" and cursor == last_event_id:
                    raise EventsExpiredError(last_event_id) from None
                raise
            ordered.extend(reversed(page.data))
            if not page.has_more or not page.data:
                return ordered
            cursor = page.data[0].id
    newest_first: list[Event] = []
    after: str | None = None
    while True:
        page = await gateway.list_events(types=types, starting_after=after, limit=PAGE_SIZE)
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


# Applies a batch of events (oldest first) and the sync state ``step`` in one transaction.
ApplyEvents = Callable[[Sequence[Event], Mapping[str, str | None]], Awaitable[None]]


async def incremental_sync_of(
    store: SyncedStore, gateway: Gateway, types: Sequence[str], apply: ApplyEvents
) -> int:
    """Applies the events of ``types`` since the last one applied, a page of them at a time;
    returns how many were applied.

    Raises ``EventsExpiredError`` when Stripe no longer has that event (see ``sync``).
    """
    state = await asyncio.to_thread(store.state)
    if _SYNCED not in state:
        raise RuntimeError("incremental sync needs a completed full sync")
    events = await events_since(gateway.background(), state.get(_LAST_EVENT, ""), types)
    for start in range(0, len(events), PAGE_SIZE):
        batch = events[start : start + PAGE_SIZE]
        await apply(batch, {_LAST_EVENT: batch[-1].id})
    return len(events)


async def incremental_sync(store: IndexStore, gateway: Gateway) -> int:
    """Applies customer events since the last one applied; returns how many were applied."""

    async def apply(batch: Sequence[Event], step: Mapping[str, str | None]) -> None:
        upserts, deletions = _final_changes(batch)
        await asyncio.to_thread(store.apply, upserts, deletions, step)

    return await incremental_sync_of(store, gateway, CUSTOMER_EVENTS, apply)


EVENTS_EXPIRED = (
    "The index was last brought up to date more than 30 days ago, and Stripe keeps events "
    "30 days: every customer is read again. The old index stays searchable until then."
)


async def sync(
    store: IndexStore,
    gateway: Gateway,
    progress: ProgressCallback | None = None,
    rebuild_started: Callable[[], None] | None = None,
) -> SyncOutcome:
    """Whatever brings the index up to date: a (resumed) full sync, else the new events, and
    a rebuild in place when Stripe no longer has the events the index would need (then
    ``rebuild_started`` is called first, so the user hears why the sync takes long)."""
    return await sync_of(
        CUSTOMERS, store, gateway, lambda: incremental_sync(store, gateway), progress,
        rebuild_started,
    )  # fmt: skip


async def sync_of(
    listing: Listing[ListedT, StoreT],
    store: StoreT,
    gateway: Gateway,
    incremental: Callable[[], Awaitable[int]],
    progress: ProgressCallback | None = None,
    rebuild_started: Callable[[], None] | None = None,
) -> SyncOutcome:
    """``sync`` for any index: its full sync by ``listing``, its events by ``incremental``."""
    state = await asyncio.to_thread(store.state)
    if _IN_PROGRESS in state or _SYNCED not in state:
        if _REBUILDING in state and rebuild_started:
            rebuild_started()
        await full_sync_of(listing, store, gateway, progress)
        why = EVENTS_EXPIRED if _REBUILDING in state else None
        return SyncOutcome(full=True, rebuilt_because=why)
    try:
        return SyncOutcome(full=False, events_applied=await incremental())
    except EventsExpiredError as expired:
        log.info("Event %s is gone from Stripe: rebuilding the %s index", expired, listing.what)
    if rebuild_started:
        rebuild_started()
    await full_sync_of(listing, store, gateway, progress, restart=True, rebuild=True)
    return SyncOutcome(full=True, rebuilt_because=EVENTS_EXPIRED)
