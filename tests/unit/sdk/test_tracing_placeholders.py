"""Arithmetic, comparisons and integer use of a placeholder while a flow is traced
raise a TracingError with guidance, not Python's bare TypeError."""

from __future__ import annotations

import pytest

from dagy import flow, task
from dagy.domain.errors import TracingError


@task
def echo(x=None):
    return x


PARAMETER_MISUSES = {
    "range": lambda n: [echo(i) for i in range(n)],
    "add": lambda n: echo(n + 1),
    "radd": lambda n: echo(1 + n),
    "sub": lambda n: echo(n - 1),
    "rsub": lambda n: echo(1 - n),
    "mul": lambda n: echo(n * 2),
    "rmul": lambda n: echo(2 * n),
    "truediv": lambda n: echo(n / 2),
    "rtruediv": lambda n: echo(2 / n),
    "floordiv": lambda n: echo(n // 2),
    "rfloordiv": lambda n: echo(2 // n),
    "mod": lambda n: echo(n % 2),
    "rmod": lambda n: echo(2 % n),
    "pow": lambda n: echo(n ** 2),
    "rpow": lambda n: echo(2 ** n),
    "lt": lambda n: echo(n < 3),
    "le": lambda n: echo(n <= 3),
    "gt": lambda n: echo(n > 3),
    "ge": lambda n: echo(n >= 3),
    "reflected comparison": lambda n: echo(3 < n),
    "list index": lambda n: echo([1, 2, 3][n]),
    "slice": lambda n: echo([1, 2, 3][:n]),
    "int": lambda n: echo(int(n)),
    "float": lambda n: echo(float(n)),
    "negation": lambda n: echo(-n),
}


def _traced(body) -> None:
    def body_of_flow(n: int):
        return body(n)
    flow(body_of_flow, name="misuse").spec


@pytest.mark.parametrize("case", list(PARAMETER_MISUSES))
def test_computing_with_a_flow_parameter_explains_itself(case: str) -> None:
    with pytest.raises(TracingError) as caught:
        _traced(PARAMETER_MISUSES[case])
    message = str(caught.value)
    assert "flow parameter 'n'" in message
    assert "flow parameters are placeholders while the flow is traced" in message
    assert "do arithmetic inside a @task" in message


def test_length_and_indexing_of_a_flow_parameter_explain_themselves() -> None:
    with pytest.raises(TracingError, match="take the length of flow parameter 'n'"):
        _traced(lambda n: echo(len(n)))
    with pytest.raises(TracingError, match=r"index \['key'\] into flow parameter 'n'"):
        _traced(lambda n: echo(n["key"]))


def test_arithmetic_on_a_task_output_explains_itself() -> None:
    with pytest.raises(TracingError, match="task outputs are placeholders") as caught:
        _traced(lambda n: echo(echo(n) + 1))
    assert "the output of task 'echo'" in str(caught.value)


def test_task_output_indexing_and_equality_still_work() -> None:
    """Indexing a TaskOutput passes part of a result on; refs compare by identity of
    what they designate. Neither is a computation on a missing value."""
    @flow
    def picks(n: int):
        first = echo(n)
        return echo(first["key"]), first == first

    spec = picks.spec
    assert [t.id for t in spec.tasks] == ["echo", "echo-2"]
