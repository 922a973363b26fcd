"""The creation-order generator: strictly increasing per instance, whatever the clock does,
and owned by each database handle rather than shared through a module."""

from __future__ import annotations

import threading

import pytest

from dagy.adapters.memory.repositories import InMemoryStore
from dagy.adapters.sequence import SequenceGenerator


class SteppingClock:
    def __init__(self, *readings: int) -> None:
        self.readings = list(readings)

    def __call__(self) -> int:
        return self.readings.pop(0) if len(self.readings) > 1 else self.readings[0]


def test_numbers_follow_the_clock_when_it_moves_forward():
    generator = SequenceGenerator(SteppingClock(100, 250, 900))
    assert [generator.next(), generator.next(), generator.next()] == [100, 250, 900]


def test_numbers_still_increase_when_the_clock_stalls_or_steps_back():
    generator = SequenceGenerator(SteppingClock(500, 500, 20, 501))
    assert [generator.next() for _ in range(4)] == [500, 501, 502, 503]


def test_a_batch_is_consecutive_and_the_next_number_comes_after_it():
    generator = SequenceGenerator(SteppingClock(1000, 1001))
    assert list(generator.take(3)) == [1000, 1001, 1002]
    assert generator.next() == 1003
    assert list(generator.take(0)) == []
    with pytest.raises(ValueError):
        generator.take(-1)


def test_threads_drawing_at_once_never_get_the_same_number():
    generator = SequenceGenerator(lambda: 7)  # a clock that never moves
    drawn: list[int] = []
    lock = threading.Lock()

    def draw() -> None:
        mine = [generator.next() for _ in range(200)] + list(generator.take(50))
        with lock:
            drawn.extend(mine)

    threads = [threading.Thread(target=draw) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(drawn) == list(range(7, 7 + 8 * 250))


def test_each_store_owns_its_generator():
    first, second = InMemoryStore(), InMemoryStore()
    assert first.sequence is not second.sequence
    numbers = [first.sequence.next() for _ in range(3)]
    assert numbers == sorted(set(numbers))
