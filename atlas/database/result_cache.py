"""A bounded cache, least recently used out first, shared by threads, that computes each key once.

Not functools.lru_cache: two threads asking for the same missing key (a page's warm() start and its
own call a moment later) would both run the query; here the second waits for the first's result. And
an entry pushed out can be released (a connection closed).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future


class ResultCache:
    def __init__(self, max_entries: int, on_evict: Callable[[object], None] | None = None):
        self.max_entries = max_entries
        self._on_evict = on_evict
        self._entries: OrderedDict[Hashable, Future] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], object]) -> object:
        """The value kept for key, else compute()'s (kept). An error is not kept: the next call tries again."""
        with self._lock:
            entry = self._entries.get(key)
            owner = entry is None
            if owner:
                entry = self._entries[key] = Future()
                evicted = self._over_limit()
            else:
                self._entries.move_to_end(key)
                evicted = []
        self._release(evicted)
        if owner:
            try:
                entry.set_result(compute())
            except BaseException as error:  # waiting threads get it too
                with self._lock:
                    if self._entries.get(key) is entry:
                        del self._entries[key]
                entry.set_exception(error)
        return entry.result()

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            evicted = list(self._entries.values())
            self._entries.clear()
        self._release(evicted)

    def _over_limit(self) -> list[Future]:
        evicted = []
        while len(self._entries) > self.max_entries:
            evicted.append(self._entries.popitem(last=False)[1])
        return evicted

    def _release(self, evicted: list[Future]) -> None:
        if self._on_evict is None:
            return
        for entry in evicted:  # one still being computed is released when it is done
            entry.add_done_callback(self._release_one)

    def _release_one(self, entry: Future) -> None:
        if entry.exception() is None:
            self._on_evict(entry.result())
