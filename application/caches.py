"""Small in-process caches for values that cannot go stale, or may only briefly.

- Flow versions are immutable (same name + version = same code), so a record (which
  holds its parsed FlowSpec) is cached for good (bounded LRU).
- Authenticated API keys are cached only where this process is the only one that can
  change them (`principals`, set by the composition root: the embedded server holding
  its home's lock); every credential change clears the cache, so a revoked key is
  refused at once. Anywhere else `principals` stays None and every request reads the key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from time import monotonic
from typing import Any, Callable


class LruCache:
    def __init__(self, size: int = 1024, ttl: float | None = None) -> None:
        self.size, self.ttl = size, ttl
        self._data: OrderedDict[Any, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            entry = self._data.get(key)
            if entry is None:
                return None
            if self.ttl is not None and monotonic() - entry[0] > self.ttl:
                del self._data[key]
                return None
            self._data.move_to_end(key)
            return entry[1]

    def put(self, key: Any, value: Any) -> Any:
        with self._lock:
            self._data[key] = (monotonic(), value)
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value

    def get_or_make(self, key: Any, make: Callable[[], Any]) -> Any:
        value = self.get(key)
        return value if value is not None else self.put(key, make())

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


class Caches:
    def __init__(self) -> None:
        self.flow_versions = LruCache(4096)
        self.principals: LruCache | None = None

    def credentials_changed(self) -> None:
        """A key was revoked (or a role changed): forget every cached principal."""
        if self.principals is not None:
            self.principals.clear()
