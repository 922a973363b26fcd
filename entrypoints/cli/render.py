"""Rendering for the command line: a flow's DAG as a text tree, Mermaid or JSON, the
flows of a file as a table, and the task runs of a local run."""

from __future__ import annotations

import io
import re
from typing import Any, Iterable

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from dagy.domain.flowspec import FlowSpec, ParameterSpec, TaskSpec

FORMATS = ("text", "mermaid", "json")


def render_json(spec: FlowSpec) -> str:
    """The spec as canonical JSON (indent 2); `FlowSpec.from_json` reads it back."""
    return spec.to_json(indent=2)


def mermaid_ids(task_ids: Iterable[str]) -> dict[str, str]:
    """Task id -> a Mermaid node id: non-alphanumerics become `_`; clashes (`a-b` and
    `a_b`) and Mermaid's reserved word `end` get a numbered suffix."""
    result: dict[str, str] = {}
    used: set[str] = set()
    for task_id in task_ids:
        base = re.sub(r"[^0-9A-Za-z]", "_", task_id) or "_"
        candidate, n = base, 1
        while candidate in used or candidate.lower() == "end":
            n += 1
            candidate = f"{base}_{n}"
        used.add(candidate)
        result[task_id] = candidate
    return result


def render_mermaid(spec: FlowSpec) -> str:
    """`flowchart TD`, one node line per task labelled with its id, one `a --> b` per edge."""
    ids = mermaid_ids(t.id for t in spec.tasks)
    lines = ["flowchart TD"]
    for task in spec.tasks:
        label = task.id.replace('"', "#quot;")
        lines.append(f'    {ids[task.id]}["{label}"]')
    for source, target in spec.edges:
        lines.append(f"    {ids[source]} --> {ids[target]}")
    return "\n".join(lines)


def task_label(task: TaskSpec) -> Text:
    """`fetch  retries=2 timeout=5s`, `double [map]`: the id plus what is set on the task."""
    label = Text(task.id, style="bold")
    if not re.fullmatch(re.escape(task.name) + r"(-\d+)?", task.id):
        label.append(f" ({task.name})", style="dim")
    if task.mapped:
        label.append(" [map]", style="magenta")
    if task.retries:
        label.append(f" retries={task.retries}", style="cyan")
    if task.timeout_seconds is not None:
        label.append(f" timeout={task.timeout_seconds:g}s", style="cyan")
    return label


def build_tree(spec: FlowSpec) -> Tree:
    """The DAG from its roots downward. A task reached again (it has several parents)
    is shown in full once and then as `<id> (see above)`."""
    version = f"v{spec.version}" if spec.version[:1].isdigit() else spec.version
    root = Tree(Text(spec.name, style="bold green") + Text(f"  {version}", style="dim"))
    if not spec.tasks:
        root.add(Text("(no tasks)", style="dim"))
        return root
    children = spec.downstream()
    by_id = {t.id: t for t in spec.tasks}
    roots = [t.id for t in spec.tasks if not t.upstream]
    shown: set[str] = set()
    stack: list[tuple[Tree, str]] = [(root, tid) for tid in reversed(roots)]
    while stack:  # depth-first, iterative so that long chains cannot hit the recursion limit
        parent, task_id = stack.pop()
        if task_id in shown:
            parent.add(Text(task_id, style="bold") + Text(" (see above)", style="dim"))
            continue
        shown.add(task_id)
        node = parent.add(task_label(by_id[task_id]))
        stack.extend((node, child) for child in reversed(children[task_id]))
    return root


def describe_parameter(param: ParameterSpec) -> str:
    text = f"{param.name}: {param.type}"
    if param.nullable:
        text += " | null"
    if not param.required:
        default = param.default
        if isinstance(default, dict) and set(default) == {"$repr"}:
            text += f" = {default['$repr']}"
        else:
            text += f" = {default!r}"
    return text


def parameters_line(spec: FlowSpec) -> Text:
    described = ", ".join(describe_parameter(p) for p in spec.parameters) or "(none)"
    return Text("parameters: ", style="bold") + Text(described)


def text_view(spec: FlowSpec) -> Group:
    """What `dagy flows show --format text` prints: the tree, then the parameters line."""
    return Group(build_tree(spec), parameters_line(spec))


def render_text(spec: FlowSpec, width: int = 100) -> str:
    """The text view as plain text (no colours), for tests and non-terminal use."""
    return to_plain(text_view(spec), width)


def to_plain(renderable: Any, width: int = 100) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, force_terminal=False,
            highlight=False).print(renderable)
    return buffer.getvalue().rstrip("\n")


def flows_table(flows: Iterable[Any]) -> Table:
    """`dagy flows list`: one row per flow with its version, task count and parameters."""
    table = Table(show_edge=False, header_style="bold")
    for column in ("flow", "version", "tasks", "parameters"):
        table.add_column(column, overflow="fold")
    for flow in flows:
        spec = flow.spec
        params = ", ".join(p.name if p.required else f"{p.name}?" for p in spec.parameters)
        table.add_row(spec.name, spec.version, str(len(spec.tasks)), params or "-")
    return table


_STATUS_STYLES = {"SUCCEEDED": "green", "FAILED": "bold red", "SKIPPED": "yellow",
                  "RUNNING": "blue", "PENDING": "dim"}


def task_runs_table(report: Any) -> Group:
    """`dagy run --verbose`: status, attempts and duration of every task run."""
    table = Table(show_edge=False, header_style="bold")
    for column in ("task", "status", "attempts", "duration"):
        table.add_column(column)
    for tr in report.task_runs:
        name = tr.task_id if tr.map_index is None else f"{tr.task_id}[{tr.map_index}]"
        status = tr.status.value
        seconds = tr.duration_seconds
        table.add_row(name, Text(status, style=_STATUS_STYLES.get(status, "")),
                      str(tr.attempt), "-" if seconds is None else f"{seconds:.3f}s")
    status = report.status.value
    title = Text(f"{report.run.flow_name} ", style="bold") + Text(
        status, style=_STATUS_STYLES.get(status, "")) + Text(f"  run {report.run_id}", style="dim")
    return Group(title, table)
