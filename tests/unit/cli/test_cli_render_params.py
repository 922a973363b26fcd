"""`--param` parsing, target parsing and DAG rendering for the `dagy` command line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from dagy.domain.flowspec import FlowSpec, ParameterSpec, TaskSpec
from dagy.entrypoints.cli.loading import is_local_target, parse_target
from dagy.entrypoints.cli.main import app, main
from dagy.entrypoints.cli.params import (
    ParamSyntaxError, parse_params, parse_params_json, parse_value, split_param)
from dagy.entrypoints.cli.render import (
    build_tree, mermaid_ids, render_json, render_mermaid, render_text, to_plain)


@pytest.mark.parametrize("text, expected", [
    ("3", 3), ("-1.5", -1.5), ("true", True), ("false", False), ("null", None),
    ("[1,2]", [1, 2]), ('{"a": 1}', {"a": 1}), ('"quoted"', "quoted"),
    ("https://example.com", "https://example.com"), ("hello world", "hello world"),
    ("", ""), ("[1,", "[1,"), ("True", "True"),
])
def test_values_are_json_when_they_parse(text: str, expected: object) -> None:
    assert parse_value(text) == expected
    assert type(parse_value(text)) is type(expected)


def test_split_param_keeps_equals_in_the_value() -> None:
    assert split_param("q=a=b") == ("q", "a=b")
    assert split_param("k=") == ("k", "")
    assert split_param(" k =1") == ("k", "1")


@pytest.mark.parametrize("item, fragment", [("novalue", "key=value"), ("=3", "empty key"),
                                            ("  =3", "empty key")])
def test_bad_params_are_rejected(item: str, fragment: str) -> None:
    with pytest.raises(ParamSyntaxError, match=fragment):
        split_param(item)


def test_parse_params_merges_json_and_items_and_keeps_declared_strings() -> None:
    params = parse_params(["n=3", "zip=02134", "name=123", "n=4"], '{"n": 1, "extra": [1]}',
                          {"name": "string", "n": "integer", "zip": "string"})
    assert params == {"n": 4, "zip": "02134", "name": "123", "extra": [1]}
    assert parse_params(None) == {}
    assert parse_params(["flag=true", "url=https://x"]) == {"flag": True, "url": "https://x"}


@pytest.mark.parametrize("text", ["[1, 2]", "{bad", "3"])
def test_params_json_must_be_an_object(text: str) -> None:
    with pytest.raises(ParamSyntaxError, match="--params-json"):
        parse_params_json(text)


def test_parse_target() -> None:
    assert parse_target("flows.py:etl").flow_name == "etl"
    assert str(parse_target("flows.py:etl").path) == "flows.py"
    assert parse_target("dir/flows.py").flow_name is None
    assert parse_target("flows.py:").flow_name is None
    assert str(parse_target(r"C:\work\flows.py").path) == r"C:\work\flows.py"
    assert parse_target("spec.json").is_spec_file
    assert is_local_target("flows.py") and is_local_target("x:y")
    assert not is_local_target("prod-etl")


def diamond_spec() -> FlowSpec:
    tasks = [
        TaskSpec(id="extract", name="extract", retries=3),
        TaskSpec(id="left", name="left", upstream=("extract",), mapped=True),
        TaskSpec(id="right-side", name="right", upstream=("extract",), timeout_seconds=2.5),
        TaskSpec(id="load", name="load", upstream=("left", "right-side")),
        TaskSpec(id="report", name="report", upstream=("load",)),
    ]
    params = [ParameterSpec("source", "string"),
              ParameterSpec("rows", "integer", required=False, default=10)]
    return FlowSpec("etl", tasks=tasks, parameters=params, version="2.0")


def test_mermaid_has_one_node_per_task_and_one_line_per_edge() -> None:
    lines = render_mermaid(diamond_spec()).splitlines()
    assert lines[0] == "flowchart TD"
    nodes = [line.strip() for line in lines if "[" in line]
    assert nodes == ['extract["extract"]', 'left["left"]', 'right_side["right-side"]',
                     'load["load"]', 'report["report"]']
    edges = [line.strip() for line in lines if "-->" in line]
    assert edges == ["extract --> left", "extract --> right_side", "left --> load",
                     "right_side --> load", "load --> report"]


def test_mermaid_ids_stay_unique_and_avoid_reserved_words() -> None:
    ids = mermaid_ids(["a-b", "a_b", "a.b", "end", "x y"])
    assert ids == {"a-b": "a_b", "a_b": "a_b_2", "a.b": "a_b_3", "end": "end_2", "x y": "x_y"}


def test_tree_prints_shared_children_once_then_see_above() -> None:
    text = render_text(diamond_spec())
    lines = text.splitlines()
    assert lines[0].startswith("etl") and "v2.0" in lines[0]
    assert sum("load" in line for line in lines) == 2
    assert sum("report" in line for line in lines) == 1  # the subtree is not repeated
    assert text.count("load (see above)") == 1
    first_load = next(i for i, line in enumerate(lines) if "load" in line)
    assert "see above" not in lines[first_load]
    assert "report" in lines[first_load + 1]
    assert "extract retries=3" in text
    assert "left [map]" in text
    assert "right-side (right) timeout=2.5s" in text
    assert lines[-1] == "parameters: source: string, rows: integer = 10"


def test_tree_of_an_empty_flow_and_a_long_chain() -> None:
    assert "(no tasks)" in render_text(FlowSpec("empty"))
    chain = [TaskSpec(id="t0", name="t")] + [
        TaskSpec(id=f"t{i}", name="t", upstream=(f"t{i - 1}",)) for i in range(1, 400)]
    tree = build_tree(FlowSpec("long", tasks=chain))
    node, depth = tree, 0
    while node.children:
        node, depth = node.children[0], depth + 1
    assert depth == 400


def test_render_json_round_trips() -> None:
    spec = diamond_spec()
    assert FlowSpec.from_json(render_json(spec)) == spec
    assert json.loads(render_json(spec))["edges"][0] == ["extract", "left"]


def test_cli_runner_shows_a_json_spec_file(tmp_path) -> None:
    path = tmp_path / "etl.json"
    path.write_text(diamond_spec().to_json())
    result = CliRunner().invoke(app, ["flows", "show", str(path), "--format", "mermaid"])
    assert result.exit_code == 0, result.output
    assert "right_side --> load" in result.output
    result = CliRunner().invoke(app, ["flows", "show", f"{path}:other"])
    assert "holds flow 'etl'" in str(result.exception)


def test_main_reports_errors_in_one_line(tmp_path, capsys) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"name": "x", "tasks": [{"id": "a", "upstream": ["a"]}]}')
    with pytest.raises(SystemExit) as exit_info:
        main(["flows", "show", str(path)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: invalid FlowSpec") and "depends on itself" in err
    assert err.count("\n") == 1
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "nightly-etl"])
    assert exit_info.value.code == 2
    assert "`dagy run <deployment>` requires a running `dagy server`" in capsys.readouterr().err


def test_to_plain_has_no_markup_or_colour() -> None:
    assert to_plain(build_tree(FlowSpec("f", tasks=[TaskSpec(id="m", name="m", mapped=True)]))) \
        == "f  latest\n└── m [map]"
