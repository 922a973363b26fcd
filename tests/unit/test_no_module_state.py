"""No module-level mutable state in the package: state belongs to objects the composition
root builds (a database's sequence, a store's tables, a Lambda runtime's container), so
two of them in one process never share it and tests never patch a private global.

Module-level containers named in UPPER_CASE are constants (lookup tables, never
written); this test refuses `global` statements and lower-case module-level names bound
to a mutable container or counter.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MUTABLE_CALLS = {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque",
                 "count", "WeakKeyDictionary", "WeakValueDictionary", "WeakSet"}


def _mutable(value: ast.expr | None) -> bool:
    if isinstance(value, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)):
        return True
    if isinstance(value, ast.Call):
        func = value.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name in MUTABLE_CALLS
    return False


def offenders_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    label = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    found = [f"{label}:{node.lineno} global {', '.join(node.names)}"
             for node in ast.walk(tree) if isinstance(node, ast.Global)]
    for node in tree.body:
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) else [])
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        if any(n != n.upper() and n != "__all__" for n in names) and _mutable(node.value):
            found.append(f"{label}:{node.lineno} {', '.join(names)}")
    return found


def test_the_package_keeps_no_module_level_mutable_state() -> None:
    offenders = [o for folder in ("dagy", "domain", "application", "adapters", "entrypoints")
                 for path in sorted((ROOT / folder).rglob("*.py")) for o in offenders_in(path)]
    assert offenders == []


def test_the_check_sees_a_global_counter(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import itertools\n_seq = itertools.count()\n_cache = {}\nLIMITS = {}\n"
                      "def bump():\n    global _cache\n")
    assert len(offenders_in(sample)) == 3
