"""Progress through a DAG: which tasks become ready or must be skipped as others finish.

Pure bookkeeping, shared by every runner: counts of unfinished upstream tasks per
task, and skip propagation to every descendant of a failed task.
"""

from __future__ import annotations

from typing import Iterable, Mapping


class DagProgress:
    def __init__(self, upstream: Mapping[str, Iterable[str]]) -> None:
        self.waiting_on: dict[str, int] = {}
        self.children: dict[str, list[str]] = {tid: [] for tid in upstream}
        self.finished: set[str] = set()
        for tid, ups in upstream.items():
            distinct = set(ups)
            self.waiting_on[tid] = len(distinct)
            for up in distinct:
                self.children[up].append(tid)

    def ready(self, order: Iterable[str]) -> list[str]:
        """Unfinished tasks (in `order`) whose upstream tasks have all succeeded."""
        return [t for t in order if self.waiting_on[t] == 0 and t not in self.finished]

    def succeeded(self, tid: str) -> list[str]:
        """Mark `tid` done; return the children that just became ready."""
        self.finished.add(tid)
        ready = []
        waiting_on, finished = self.waiting_on, self.finished
        for child in self.children[tid]:
            waiting_on[child] -= 1
            if waiting_on[child] == 0 and child not in finished:
                ready.append(child)
        return ready

    def failed(self, tid: str) -> list[str]:
        """Mark `tid` done; return every not-yet-finished descendant, now skipped."""
        self.finished.add(tid)
        stack, skipped = list(self.children[tid]), []
        while stack:
            child = stack.pop()
            if child in self.finished:
                continue
            self.finished.add(child)
            skipped.append(child)
            stack.extend(self.children[child])
        return skipped
