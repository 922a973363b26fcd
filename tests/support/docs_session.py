"""Running one docs page's blocks the way a reader does: in order, in one directory.

Why this shape: a page is a story (a later block uses the file or the server an earlier
one set up), so each page gets one working dir, one HOME and DAGY_HOME, one Python
session and, when a block talks to a control plane, one real `dagy server` on a free
port, whose profile in DAGY_HOME the commands find as a user's would. Whatever worker
runs a block first runs the page's earlier blocks, so tests may be spread over workers.
Every command is bounded in time.
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from dagy_server import free_port
from docs_blocks import SHELL_LANGS, Block, Command
from docs_output import mismatch_streams
from terminal import VENV_BIN, spawn_server, terminal, wait_healthy

RUNNER = Path(__file__).with_name("docs_python_runner.py")
TIMEOUT = 60
SERVER_LINE = re.compile(r"^\s*dagy server\s*(#.*)?$")
REMOTE_SHELL = re.compile(r"\bdagy\s+(deploy|runs|deployments|environments|schedules|sensors|backfill|api-keys|audit|secrets"
                          r"|orgs|members|invitations"
                          r"|whoami|flows\s+versions)\b"
                          r"|\bdagy\s+run\s+(?![^\s]*(?::|\.py\b|\.json\b))[\w-]+(\s|$)"
                          r"|\bflows\s+list\s+--remote\b")
REMOTE_PYTHON = re.compile(r"DagyClient|\.deploy\(|deploy_artifact|trigger_run|\.run\(")


class BlockFailed(AssertionError):
    """A block did not do what its page says."""


def needs_server(block: Block) -> bool:
    if block.lang == "python":
        return block.save_as is None and bool(REMOTE_PYTHON.search(block.text))
    return bool(REMOTE_SHELL.search(block.text))


def starts_server(block: Block) -> bool:
    """A shell block that runs `dagy server`, which serves until Ctrl-C: the page's
    server stands in for it."""
    return block.lang != "python" and any(SERVER_LINE.match(line.removeprefix("$ "))
                                          for line in block.text.splitlines())


class DocsSession:
    def __init__(self, blocks: list[Block], root: Path, seed: dict[str, str]) -> None:
        """`seed`: the files README.md has the reader save (my_flows.py), which every
        page takes as given."""
        self.blocks, self.root = blocks, root
        self.work, self.home, self.dagy_home = root / "work", root / "home", root / "dagy_home"
        for folder in (self.work, self.home):
            folder.mkdir(parents=True, exist_ok=True)
        (self.work / ".venv").symlink_to(VENV_BIN.parent)   # `source .venv/bin/activate`
        for name, text in seed.items():
            (self.work / name).write_text(text)
        self.env = terminal(self.home, DAGY_HOME=str(self.dagy_home))
        self.server: subprocess.Popen | None = None
        self.python: subprocess.Popen | None = None
        self.done: set[int] = set()
        self.healthy = False
        if any(needs_server(block) or starts_server(block) for block in blocks
               if block.skip is None):
            self.spawn_server()

    # ---- the page, in order -------------------------------------------------------
    def run_through(self, block: Block) -> None:
        """Run the page's earlier blocks not run yet (their failures are their own
        tests'), then `block`, raising BlockFailed if it fails."""
        for earlier in self.blocks:
            if earlier.line >= block.line:
                break
            if earlier.line not in self.done and earlier.skip is None:
                try:
                    self.run(earlier)
                except BlockFailed:
                    pass
        self.run(block)

    def run(self, block: Block) -> None:
        self.done.add(block.line)
        if block.lang == "python":
            self._python(block)
        elif block.lang in SHELL_LANGS:
            self._bash(block)
        else:
            self._console(block)

    # ---- the control plane ----------------------------------------------------------
    def spawn_server(self) -> None:
        """Start the page's server early (it takes seconds); ensure_server waits for it."""
        if self.server is None or self.server.poll() is not None:
            self.port, self.healthy = free_port(), False
            self.server = spawn_server(self.work, dict(self.env), self.port, self.root)

    def ensure_server(self) -> None:
        if self.server is None or self.server.poll() is not None:
            self.spawn_server()
        if not self.healthy:
            wait_healthy(self.server, self.port, self.root)
            self.healthy = True
            # Commands find the server through the profile it wrote; scripts that need its
            # URL itself (curl) read DAGY_API_URL, as they would on a user's machine.
            self.env["DAGY_API_URL"] = f"http://127.0.0.1:{self.port}"

    def server_output(self) -> str:
        return "".join((self.root / name).read_text() for name in ("server.out", "server.err"))

    # ---- kinds of block ---------------------------------------------------------------
    def _bash(self, block: Block) -> None:
        lines = block.text.splitlines()
        if any(SERVER_LINE.match(line) for line in lines):
            self.ensure_server()    # `dagy server` runs until Ctrl-C: it is the page's server
            lines = [line for line in lines if not SERVER_LINE.match(line)]
        if needs_server(block):
            self.ensure_server()
        proc = self.shell("\n".join(lines))
        if proc.returncode != 0:
            raise BlockFailed(f"exit {proc.returncode}\nstdout:\n{proc.stdout}\n"
                              f"stderr:\n{proc.stderr}")

    def _console(self, block: Block) -> None:
        if needs_server(block):
            self.ensure_server()
        commands, last = list(block.commands), 0
        for index, command in enumerate(commands):
            if SERVER_LINE.match(command.text):
                self.ensure_server()
                self._check(command, self.server_output(), "")
                continue
            if command.text == "echo $?":
                if command.expected and command.expected[0].strip() != str(last):
                    raise BlockFailed(f"line {command.line}: the docs show exit "
                                      f"{command.expected[0]} but it was {last}")
                continue
            proc = self.shell(command.text)
            last, output = proc.returncode, proc.stdout + proc.stderr
            failing = any(line.startswith("error:") for line in command.expected)
            shown = index + 1 < len(commands) and commands[index + 1].text == "echo $?"
            if not shown and (proc.returncode != 0) != failing:
                raise BlockFailed(f"line {command.line}: `{command.text}` exited "
                                  f"{proc.returncode}:\n{output}")
            self._check(command, proc.stdout, proc.stderr)

    def _check(self, command: Command, stdout: str, stderr: str) -> None:
        problem = mismatch_streams(command.expected, stdout, stderr, str(self.dagy_home))
        if problem:
            raise BlockFailed(f"line {command.line}: `{command.text}`: {problem}")

    def _python(self, block: Block) -> None:
        if block.save_as:
            (self.work / block.save_as).write_text(block.text)
            module = block.save_as[:-3]
            if "/" in module:
                return
            code = f"import importlib\nimportlib.import_module({module!r})\n"
        else:
            code = block.text
            if needs_server(block):
                self.ensure_server()
        path = self.work / f"docs_block_{block.line}.py"
        path.write_text(code)
        self._exec(path)

    def _exec(self, path: Path) -> None:
        if self.python is None or self.python.poll() is not None:
            read, self._write = os.pipe()
            self._reply = os.fdopen(read)
            self._log = self.root / "python.log"
            with open(self._log, "a") as log:
                self.python = subprocess.Popen(
                    [sys.executable, str(RUNNER), str(self._write)], cwd=self.work,
                    env=self.env, stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT,
                    text=True, pass_fds=(self._write,))
            os.close(self._write)
        start = self._log.stat().st_size
        self.python.stdin.write(json.dumps({"file": str(path)}) + "\n")
        self.python.stdin.flush()
        ready, _, _ = select.select([self._reply], [], [], TIMEOUT)
        line = self._reply.readline() if ready else ""
        output = self._log.read_bytes()[start:].decode(errors="replace")
        if not line:
            self.python.kill()
            self.python.wait(timeout=10)
            raise BlockFailed(f"no answer in {TIMEOUT} s (or the interpreter died):\n{output}")
        answer = json.loads(line)
        if not answer["ok"]:
            raise BlockFailed(f"{answer['error']}\noutput:\n{output}")

    def shell(self, script: str) -> subprocess.CompletedProcess:
        started = time.monotonic()
        try:
            return subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=self.work,
                                  env=self.env, capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired as err:
            raise BlockFailed(f"still running after {time.monotonic() - started:.0f} s: "
                              f"{script}\n{err.stdout}\n{err.stderr}") from None

    def close(self) -> subprocess.Popen | None:
        """Stop the Python session; answer the server for the caller to stop (all pages'
        servers stop in parallel)."""
        if self.python is not None:
            if self.python.poll() is None:
                self.python.kill()
            self.python.wait(timeout=10)
            self.python.stdin.close()
            self._reply.close()
        return self.server
