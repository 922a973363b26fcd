"""Flows deployed by benchmarks/api.py."""

from dagy import flow, task


@task
def first(n: int) -> int:
    return n + 1


@task
def second(x: int) -> int:
    return x * 2


@flow(name="two_tasks", version="1.0.0")
def two_tasks(n: int = 1):
    return second(first(n))


@task
def noop(*_args):
    return None


@flow(name="wide_1000", version="1.0.0")
def wide_1000():
    root = noop()
    return noop([noop(root) for _ in range(998)])
