"""What hosted pages keep in memory only, per sandbox: previews, pending sign-in codes.

:class:`Recent` holds at most ``limit`` values by key, the oldest dropped first, safe
across threads (pages run in Starlette's thread pool). :class:`PerStore` gives each
sandbox (each :class:`~console.sandbox.state.store.Store`) its own, made on first use and
gone with the store, so tests and apps running several sandboxes never share one.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from console.sandbox.state.store import Store

V = TypeVar("V")
T = TypeVar("T")


class Recent(Generic[V]):
    """At most ``limit`` values by key, the oldest dropped first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.lock = threading.Lock()
        self._items: OrderedDict[str, V] = OrderedDict()

    def add(self, key: str, value: V) -> None:
        with self.lock:
            self._items[key] = value
            while len(self._items) > self.limit:
                self._items.popitem(last=False)

    def get(self, key: str) -> V | None:
        with self.lock:
            return self._items.get(key)

    def pop(self, key: str) -> V | None:
        with self.lock:
            return self._items.pop(key, None)


class PerStore(Generic[T]):
    """``per_store(store)``: that sandbox's own ``T``, made by ``factory`` the first time."""

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._lock = threading.Lock()
        self._by_store: weakref.WeakKeyDictionary[Store, T] = weakref.WeakKeyDictionary()

    def __call__(self, store: Store) -> T:
        with self._lock:
            found = self._by_store.get(store)
            if found is None:
                found = self._by_store[store] = self._factory()
            return found
