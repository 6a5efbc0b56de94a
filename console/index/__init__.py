"""The local customer index (SQLite + FTS5): sync from Stripe, search as you type."""

from __future__ import annotations

from console.index.lookup import SearchResult, find_customers
from console.index.store import IndexedCustomer, IndexStore
from console.index.sync import ProgressCallback, SyncStatus, full_sync, incremental_sync, sync

__all__ = [
    "IndexStore",
    "IndexedCustomer",
    "ProgressCallback",
    "SearchResult",
    "SyncStatus",
    "find_customers",
    "full_sync",
    "incremental_sync",
    "sync",
]
