"""One docs page's Python session: run by the venv's python in the page's working dir.

Why a long-lived interpreter: a page's Python blocks read as one session (a later block
uses names an earlier one defined, as in a notebook), and starting one interpreter per
block and replaying the earlier ones would run their side effects twice.
Protocol: one JSON request per stdin line, {"file": path}, the block already written to
that file; the reply, {"ok": bool, "error": traceback}, goes to the fd in argv[1]. The
blocks' own output goes to this process's stdout/stderr (a log file the test reads).
"""

from __future__ import annotations

import json
import os
import sys
import traceback


def main() -> None:
    reply = os.fdopen(int(sys.argv[1]), "w")
    sys.path.insert(0, os.getcwd())
    namespace: dict = {"__name__": "__main__", "__builtins__": __builtins__}
    for request in sys.stdin:
        path = json.loads(request)["file"]
        answer: dict = {"ok": True, "error": ""}
        try:
            with open(path) as source:
                code = compile(source.read(), path, "exec")
            namespace["__file__"] = path
            exec(code, namespace)  # noqa: S102 - the docs' own code, on purpose
        except BaseException:  # noqa: BLE001 - report SystemExit and all alike
            answer = {"ok": False, "error": traceback.format_exc()}
        sys.stdout.flush()
        sys.stderr.flush()
        reply.write(json.dumps(answer) + "\n")
        reply.flush()


if __name__ == "__main__":
    main()
