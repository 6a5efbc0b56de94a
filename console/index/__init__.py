"""The local customer index (SQLite + FTS5): sync from Stripe, search as you type."""

from __future__ import annotations

from console.index.lookup import SearchResult, find_customers, recent_customers
from console.index.store import IndexedCustomer, IndexPage, IndexStore
from console.index.sync import ProgressCallback, SyncStatus, full_sync, incremental_sync, sync

__all__ = [
    "IndexPage",
    "IndexStore",
    "IndexedCustomer",
    "ProgressCallback",
    "SearchResult",
    "SyncStatus",
    "find_customers",
    "full_sync",
    "incremental_sync",
    "recent_customers",
    "sync",
]
