"""Every shell and Python block of README.md and docs/*.md runs, offline, as written.

Why: docs drift silently; this makes a false command or a stale output a failing test
named after the block (`cli.md:81`). Blocks of one page run in order in one directory
against one real `dagy server` (tests/support/docs_session.py); console blocks also
check that the output they show is what the command prints (tests/support/docs_output.py).
A block opts out only with `<!-- docs-test: skip (reason) -->` right before it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docs_blocks import Block, DocsMarkerError, docs_files, parse_blocks
from docs_output import mismatch
from docs_session import DocsSession, needs_server
from terminal import stop_server

ROOT = Path(__file__).resolve().parents[2]
PAGES = {path: parse_blocks(path) for path in docs_files(ROOT)}
BLOCKS = [block for blocks in PAGES.values() for block in blocks]
SEED = {block.save_as: block.text for block in PAGES[ROOT / "README.md"] if block.save_as}


@pytest.fixture(scope="session")
def sessions(tmp_path_factory):
    """One DocsSession per page and worker, made when the page's first block runs."""
    opened: dict[Path, DocsSession] = {}

    def session(block: Block) -> DocsSession:
        if block.path not in opened:
            opened[block.path] = DocsSession(
                PAGES[block.path], tmp_path_factory.mktemp(block.path.stem), SEED)
        return opened[block.path]

    yield session
    stop_server(*filter(None, (page.close() for page in opened.values())))


# A page's blocks share a directory and a server: `--dist loadgroup` (Makefile) keeps each
# page on one xdist worker; without it a worker replays the earlier blocks it missed.
@pytest.mark.parametrize("block", [pytest.param(block, id=block.id, marks=pytest.mark.xdist_group(
    block.path.name)) for block in BLOCKS])
def test_docs_block_runs(block: Block, sessions) -> None:
    if block.skip is not None:
        pytest.skip(f"docs-test: skip ({block.skip})")
    sessions(block).run_through(block)


# ---- the harness itself: markers, console parsing, output matching -----------------

def test_skip_without_reason_is_an_error(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    for marker in ("<!-- docs-test: skip -->", "<!-- docs-test: skip () -->",
                   "<!-- docs-test: skipp (typo) -->"):
        page.write_text(f"intro\n\n{marker}\n```bash\ntrue\n```\n")
        with pytest.raises(DocsMarkerError, match="page.md:3"):
            parse_blocks(page)


def test_markers_apply_to_the_next_block_only(tmp_path: Path) -> None:
    text = ("<!-- docs-test: skip (needs AWS) -->\n```bash\naws s3 ls\n```\n\n"
            "<!-- docs-test: save as my_flows.py -->\n```python\nx = 1\n```\n"
            "```python\n# other.py\ny = 2\n```\n```sh\nfalse\n```\n```json\n{}\n```\n")
    first, saved, named, last = parse_blocks(tmp_path / "p.md", text)
    assert (first.skip, first.line, first.id) == ("needs AWS", 2, "p.md:2")
    assert (saved.skip, saved.save_as) == (None, "my_flows.py")
    assert (named.save_as, last.skip, last.save_as) == ("other.py", None, None)
    assert parse_blocks(tmp_path / "p.md", "<!-- docs-test: skip (x) -->\n```\nout\n```\n") == []


def test_console_blocks_split_into_commands_and_output(tmp_path: Path) -> None:
    text = ("```console\n$ dagy run a.py:f \\\n  -p x=1\n{\"x\": 1}\n# a note\n\n"
            "$ echo $?\n0\n```\n")
    (block,) = parse_blocks(tmp_path / "p.md", text)
    run, echo = block.commands
    assert (run.line, run.text, run.expected) == (2, "dagy run a.py:f -p x=1", ('{"x": 1}',))
    assert (echo.text, echo.expected) == ("echo $?", ("0",))


def test_output_matching_is_loose_on_ids_and_strict_on_words() -> None:
    shown = ("dist/etl/20250101T120000Z-3f2a9c1b/artifact.zip",
             "code_hash: e0716a90...", "error: deployment <name> is paused (HTTP 409)")
    real = ("built etl\ndist/etl/20261203T101010Z-aaaabbbb/artifact.zip\n"
            "code_hash: 0123456789abcdef0123\nerror: deployment web is paused (HTTP 409)\n")
    assert mismatch(shown, real) is None
    assert "HTTP 409" in mismatch(shown, real.replace("409", "404"))
    assert mismatch(("b", "a"), "a\nb\n") is not None       # order matters in a stream
    assert mismatch(("err", "...", "out"), ("out\n", "err\n")) is None   # not across streams
    assert mismatch(("out", "err"), ("out\n", "warn\n")) is not None
    assert mismatch(("profile written to /home/me/.dagy/p.toml",),
                    "profile written to /tmp/x/dagy_home/p.toml", "/tmp/x/dagy_home") is None


def test_remote_blocks_are_recognised(tmp_path: Path) -> None:
    def block(lang: str, text: str) -> Block:
        return Block(tmp_path / "p.md", 1, lang, text)
    assert needs_server(block("bash", "dagy run web-scraper --wait"))
    assert needs_server(block("bash", "dagy runs list"))
    assert needs_server(block("bash", "key=$(dagy api-keys create k)\nDAGY_API_KEY=$key dagy whoami"))
    assert not needs_server(block("bash", "dagy run my_flows.py:web_scraper -p n=1"))
    assert not needs_server(block("bash", "dagy flows show spec.json"))
    assert needs_server(block("python", "client = DagyClient()"))
    assert not needs_server(block("python", "flow.run_local(n=1)"))


def test_every_page_has_blocks_and_skips_say_why() -> None:
    assert BLOCKS, "no runnable blocks found in README.md and docs/"
    for block in BLOCKS:
        assert block.skip is None or block.skip.strip(), block.id


def test_a_page_runs_in_order_and_false_output_fails(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "```python\n# data.py\nVALUE = 41\n```\n"
        "```python\nimport data\nanswer = data.VALUE + 1\n```\n"
        "```python\nassert answer == 42   # the earlier block's names\n```\n"
        "```bash\ntest -f data.py && test -n \"$DAGY_HOME\"\n```\n"
        "```console\n$ cat data.py\nVALUE = 41\n$ false\n$ echo $?\n1\n```\n"
        "```console\n$ echo hi\nbye\n```\n"
        "```console\n$ false\n```\n"
        "```python\nraise ValueError('docs lie')\n```\n"
        "```sh\nfalse\necho unreachable\n```\n")
    blocks = parse_blocks(page)
    session = DocsSession(blocks, tmp_path / "run", {"seed.py": "X = 1\n"})
    try:
        for block in blocks[:5]:
            session.run_through(block)
        assert (tmp_path / "run" / "work" / "seed.py").exists()
        for block, message in zip(blocks[5:], ("'bye'", "exited 1", "docs lie", "exit 1")):
            with pytest.raises(AssertionError, match=message):
                session.run_through(block)
        assert session.server is None       # nothing here needs a control plane
    finally:
        session.close()
