"""The local subscriptions index: every subscription of the account, as the portal's rules read it.

Beside the customer index (a file of its own next to it), for the questions asked of a whole
account: what does the portal let each subscription's customer do under a configuration, and
what would a change do. It keeps what ``console.eligibility.rules.evaluate`` reads of a
subscription, and nothing it does not, so a million subscriptions take little room:

- ``prices``: each price a subscription uses (product, currency, interval, usage type, tax
  behaviour), once, however many subscriptions use it; a price's change is one row to update.
- ``shapes``: the distinct combinations of what the rules read of a subscription itself
  (status, collection method, cancel state, schedule attached or not, pending update, default
  payment method type, its prices in order), each once as a JSON key. Most subscriptions of an
  account share a handful of shapes; counting by shape is a scan of one small index.
- ``subscriptions``: per subscription its id, customer, ``created``, shape, and the few values
  a person reads but the rules only test for presence (schedule id, cancel date, trial end)
  and the items' quantities.

``subscription_of`` turns a row back into the gateway's ``Subscription``, so the console has one
statement of the portal's rules, applied alike to a subscription fetched from Stripe and to one
read from here. What a row does not keep (item ids, periods, discounts, product names) is empty
in it; the rules do not read those.

Blocking: call it from a worker thread (``asyncio.to_thread``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.gateway.models import (
    CustomerId,
    Price,
    PriceId,
    ProductId,
    Subscription,
    SubscriptionId,
    SubscriptionItem,
    SubscriptionItemId,
)
from console.index.sqlite_file import SqliteFile

SCHEMA = """
PRAGMA journal_mode = WAL;
CREATE TABLE IF NOT EXISTS prices (
    id TEXT PRIMARY KEY,
    product TEXT NOT NULL,
    currency TEXT NOT NULL,
    unit_amount INTEGER,
    type TEXT NOT NULL,
    interval TEXT,
    interval_count INTEGER,
    usage_type TEXT,
    tax_behavior TEXT,
    active INTEGER NOT NULL,
    lookup_key TEXT,
    nickname TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS shapes (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS subscriptions (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    customer TEXT NOT NULL,
    created INTEGER NOT NULL,
    shape INTEGER NOT NULL,
    schedule TEXT,
    cancel_at INTEGER,
    trial_end INTEGER,
    quantities TEXT
);
CREATE INDEX IF NOT EXISTS subscriptions_shape ON subscriptions (shape);
CREATE INDEX IF NOT EXISTS subscriptions_customer ON subscriptions (customer);
CREATE TABLE IF NOT EXISTS sync_state (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS rebuild_seen (id TEXT PRIMARY KEY) WITHOUT ROWID;
"""

_PRICE_COLUMNS = (
    "id, product, currency, unit_amount, type, interval, interval_count, usage_type, "
    "tax_behavior, active, lookup_key, nickname"
)
_ROW_COLUMNS = (
    "s.id, s.customer, s.created, sh.key, s.schedule, s.cancel_at, s.trial_end, s.quantities"
)


@dataclass(frozen=True, slots=True)
class SubscriptionRow:
    """One subscription as the index stores it, and the prices its items use."""

    id: str
    customer: str
    created: int
    shape: str  # the JSON key of what the rules read (see ``shape_key``)
    schedule: str | None
    cancel_at: int | None
    trial_end: int | None
    quantities: str  # the items' quantities, comma-separated ("" for none)
    prices: tuple[Price, ...]


@dataclass(frozen=True, slots=True)
class ShapeCount:
    """How many subscriptions have one shape, and one of them to apply the rules to."""

    shape_id: int
    count: int
    example: Subscription


def shape_key(subscription: Subscription) -> str:
    """What the portal's rules read of the subscription itself, as a compact JSON key.

    Two subscriptions with the same key get the same answer from ``evaluate`` under any
    configuration and catalogue: it reads nothing else of a subscription but its prices (by
    id, kept in ``prices``) and, in sentences only, the ids and dates kept in the row.
    """
    return json.dumps(
        [
            subscription.status,
            subscription.collection_method,
            subscription.cancel_at_period_end,
            subscription.cancel_at is not None,
            subscription.schedule_id is not None,
            subscription.pending_update,
            subscription.default_payment_method_type,
            [item.price.id for item in subscription.items],
        ],
        separators=(",", ":"),
    )


def row_of(subscription: Subscription) -> SubscriptionRow:
    return SubscriptionRow(
        id=subscription.id,
        customer=subscription.customer_id,
        created=subscription.created,
        shape=shape_key(subscription),
        schedule=subscription.schedule_id,
        cancel_at=subscription.cancel_at,
        trial_end=subscription.trial_end,
        quantities=",".join(
            "" if item.quantity is None else str(item.quantity) for item in subscription.items
        ),
        prices=tuple(item.price for item in subscription.items),
    )


def _price_values(price: Price) -> tuple[Any, ...]:
    return (
        price.id,
        price.product_id,
        price.currency,
        price.unit_amount,
        price.type,
        price.recurring_interval,
        price.recurring_interval_count,
        price.usage_type,
        price.tax_behavior,
        int(price.active),
        price.lookup_key,
        price.nickname,
    )


def _price_of(row: Sequence[Any]) -> Price:
    return Price(
        id=PriceId(row[0]),
        product_id=ProductId(row[1]),
        product_name=None,
        currency=row[2],
        unit_amount=row[3],
        type=row[4],
        recurring_interval=row[5],
        recurring_interval_count=row[6],
        usage_type=row[7],
        tax_behavior=row[8],
        active=bool(row[9]),
        lookup_key=row[10],
        nickname=row[11],
    )


def subscription_of(row: Sequence[Any], prices: Mapping[PriceId, Price]) -> Subscription:
    """The gateway's ``Subscription`` from a row (``_ROW_COLUMNS``) and the indexed prices.

    A price the index lacks (it should not happen: prices come with their subscriptions)
    stands in as an unknown price of no product, which the rules then refuse to change.
    """
    sub_id, customer, created, key, schedule, cancel_at, trial_end, quantities = row
    status, collection, at_period_end, _cancel_at_set, _scheduled, pending, method, price_ids = (
        json.loads(key)
    )
    amounts = quantities.split(",") if quantities else []
    items = tuple(
        SubscriptionItem(
            id=SubscriptionItemId(""),
            price=prices.get(price_id) or _missing_price(price_id),
            quantity=int(amounts[n]) if n < len(amounts) and amounts[n] else None,
            current_period_start=None,
            current_period_end=None,
        )
        for n, price_id in enumerate(price_ids)
    )
    return Subscription(
        id=SubscriptionId(sub_id),
        customer_id=CustomerId(customer),
        status=status,
        items=items,
        collection_method=collection,
        cancel_at_period_end=at_period_end,
        cancel_at=cancel_at,
        canceled_at=None,
        trial_end=trial_end,
        schedule_id=schedule,
        default_payment_method_type=method,
        pending_update=pending,
        pause_collection=False,
        discounts=(),
        latest_invoice_id=None,
        created=created,
    )


def _missing_price(price_id: str) -> Price:
    return Price(
        PriceId(price_id), ProductId(""), None, "", None, "recurring", None, None, None, None,
        False, None, None,
    )  # fmt: skip


class SubscriptionStore(SqliteFile):
    """The subscriptions index file of one account and mode."""

    ROWS = "subscriptions"

    def __init__(self, path: Path) -> None:
        super().__init__(path, SCHEMA)

    # --- writing -----------------------------------------------------------------------------

    def _upsert_all(self, db: sqlite3.Connection, rows: Iterable[SubscriptionRow]) -> None:
        latest = {row.id: row for row in rows}  # the same id twice: the last one wins
        if not latest:
            return
        prices = {price.id: price for row in latest.values() for price in row.prices}
        self._write_prices(db, prices.values())
        keys = sorted({row.shape for row in latest.values()})
        db.executemany("INSERT OR IGNORE INTO shapes (key) VALUES (?)", [(k,) for k in keys])
        shape_ids = dict(
            db.execute(
                "SELECT key, id FROM shapes WHERE key IN (SELECT value FROM json_each(?))",
                (json.dumps(keys),),
            ).fetchall()
        )
        db.executemany(
            "INSERT INTO subscriptions (id, customer, created, shape, schedule, cancel_at,"
            " trial_end, quantities) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET customer = excluded.customer,"
            " created = excluded.created, shape = excluded.shape, schedule = excluded.schedule,"
            " cancel_at = excluded.cancel_at, trial_end = excluded.trial_end,"
            " quantities = excluded.quantities",
            [
                (
                    row.id,
                    row.customer,
                    row.created,
                    shape_ids[row.shape],
                    row.schedule,
                    row.cancel_at,
                    row.trial_end,
                    row.quantities,
                )
                for row in latest.values()
            ],
        )

    @staticmethod
    def _write_prices(db: sqlite3.Connection, prices: Iterable[Price]) -> None:
        db.executemany(
            f"INSERT OR REPLACE INTO prices ({_PRICE_COLUMNS}) VALUES ({', '.join('?' * 12)})",
            [_price_values(price) for price in prices],
        )

    def apply(
        self,
        upserts: Iterable[SubscriptionRow] = (),
        deletions: Iterable[str] = (),
        state: Mapping[str, str | None] | None = None,
        *,
        rebuilding: bool = False,
    ) -> None:
        """Changes subscriptions and the sync state in one transaction: all or nothing."""
        upserts = list(upserts)
        with self._transaction() as db:
            self._upsert_all(db, upserts)
            if rebuilding:
                db.executemany(
                    "INSERT OR IGNORE INTO rebuild_seen VALUES (?)", [(row.id,) for row in upserts]
                )
            db.executemany("DELETE FROM subscriptions WHERE id = ?", [(i,) for i in deletions])
            self._write_state(db, state or {})

    def replace_customers(
        self,
        customer_ids: Iterable[str],
        rows: Iterable[SubscriptionRow],
        state: Mapping[str, str | None] | None = None,
        prices: Iterable[Price] = (),
    ) -> None:
        """Every subscription of ``customer_ids`` becomes ``rows`` (none: the customer has none
        left), and changed ``prices`` the index uses are updated (others are left out: no
        subscription uses them), with the sync state, in one transaction."""
        with self._transaction() as db:
            db.executemany(
                "DELETE FROM subscriptions WHERE customer = ?", [(c,) for c in customer_ids]
            )
            self._upsert_all(db, rows)
            used = [
                price
                for price in prices
                if db.execute("SELECT 1 FROM prices WHERE id = ?", (price.id,)).fetchone()
            ]
            self._write_prices(db, used)
            self._write_state(db, state or {})

    def clear(self) -> None:
        with self._transaction() as db:
            for table in ("subscriptions", "shapes", "prices", "sync_state", "rebuild_seen"):
                db.execute(f"DELETE FROM {table}")

    # --- reading -----------------------------------------------------------------------------

    def count(self) -> int:
        with self._connection() as db:
            return int(db.execute("SELECT count(*) FROM subscriptions").fetchone()[0])

    def prices(self) -> dict[PriceId, Price]:
        with self._connection() as db:
            rows = db.execute(f"SELECT {_PRICE_COLUMNS} FROM prices").fetchall()
        return {PriceId(row[0]): _price_of(row) for row in rows}

    def shape_counts(self) -> tuple[ShapeCount, ...]:
        """Every shape in use: how many subscriptions have it, and one of them (its oldest
        row), in one pass over the shape index and one lookup of the examples by rowid."""
        prices = self.prices()
        with self._connection() as db:
            counts = db.execute(
                "SELECT shape, count(*), min(rowid) FROM subscriptions GROUP BY shape"
            ).fetchall()
            examples = {
                row[0]: row[1:]
                for row in db.execute(
                    f"SELECT s.rowid, {_ROW_COLUMNS} FROM subscriptions s JOIN shapes sh"
                    " ON sh.id = s.shape WHERE s.rowid IN (SELECT value FROM json_each(?))",
                    (json.dumps([first for _, _, first in counts]),),
                )
            }
        return tuple(
            ShapeCount(shape_id, count, subscription_of(examples[first], prices))
            for shape_id, count, first in counts
        )

    def get(self, subscription_id: str) -> Subscription | None:
        with self._connection() as db:
            row = db.execute(
                f"SELECT {_ROW_COLUMNS} FROM subscriptions s JOIN shapes sh ON sh.id = s.shape"
                " WHERE s.id = ?",
                (subscription_id,),
            ).fetchone()
        return subscription_of(row, self.prices()) if row else None

    def of_shapes(
        self, shape_ids: Iterable[int], limit: int | None = None
    ) -> tuple[tuple[str, str], ...]:
        """(subscription id, customer id) of the subscriptions with these shapes, newest first."""
        wanted = json.dumps(sorted(set(shape_ids)))
        with self._connection() as db:
            rows = db.execute(
                "SELECT id, customer FROM subscriptions"
                " WHERE shape IN (SELECT value FROM json_each(?)) ORDER BY created DESC, id"
                + (" LIMIT ?" if limit is not None else ""),
                (wanted, limit) if limit is not None else (wanted,),
            ).fetchall()
        return tuple((str(a), str(b)) for a, b in rows)
