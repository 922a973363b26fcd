"""A unit of work whose commit fails on chosen calls: for crash and retry tests."""

from __future__ import annotations

from typing import Callable


def failing_commits(make_uow: Callable, fails: Callable[[int], bool], message: str) -> Callable:
    """A uow factory like `make_uow` whose n-th commit (1-based, counted across every
    unit of work it makes) raises RuntimeError(message) when `fails(n)` is true."""
    commits = {"n": 0}

    class FailingCommit:
        def __init__(self):
            self.inner = make_uow()

        def __enter__(self):
            self.inner.__enter__()
            return self

        def __exit__(self, *exc):
            return self.inner.__exit__(*exc)

        def __getattr__(self, name):
            return getattr(self.inner, name)

        def commit(self):
            commits["n"] += 1
            if fails(commits["n"]):
                raise RuntimeError(message)
            self.inner.commit()
    return FailingCommit
