"""The web UI's checked-in OpenAPI document and its generated types are current.

ui/openapi.json must equal what `python -m dagy.entrypoints.export_openapi` writes now,
and ui/src/api/schema.d.ts must carry that JSON's sha256 (stamped by `npm run gen:api`),
so a route or schema change without regenerating the UI's client fails here, not in a
browser. No npm is needed to run this test."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

from dagy.entrypoints.export_openapi import main, openapi_json

UI = Path(__file__).resolve().parents[3] / "ui"
REGENERATE = "run `npm run gen:api` in ui/ and commit ui/openapi.json and ui/src/api/schema.d.ts"


def test_checked_in_openapi_json_is_current():
    checked_in = (UI / "openapi.json").read_text(encoding="utf-8")
    assert checked_in == openapi_json(), f"ui/openapi.json is stale: {REGENERATE}"


def test_generated_types_were_made_from_the_checked_in_json():
    digest = hashlib.sha256((UI / "openapi.json").read_bytes()).hexdigest()
    header = (UI / "src" / "api" / "schema.d.ts").read_text(encoding="utf-8")[:400]
    stamped = re.search(r"openapi\.json sha256: ([0-9a-f]{64})", header)
    assert stamped, f"ui/src/api/schema.d.ts has no sha256 stamp: {REGENERATE}"
    assert stamped.group(1) == digest, f"ui/src/api/schema.d.ts is stale: {REGENERATE}"


def test_export_is_stable_and_names_the_ui_operations(tmp_path):
    """Two exports are byte-identical (sorted keys), and the operations the UI calls exist."""
    target = tmp_path / "openapi.json"
    assert main([str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert text == openapi_json()
    paths = json.loads(text)["paths"]
    for path, method in (("/auth/login", "post"), ("/auth/refresh", "post"), ("/runs", "get"),
                         ("/me", "get")):
        assert method in paths[path], (path, method)


def test_the_environment_does_not_change_the_document(monkeypatch):
    """DAGY_* settings of the machine running the export never leak into it."""
    expected = openapi_json()
    for name, value in (("DAGY_JWT_REQUIRED", "true"), ("DAGY_ACCESS_TOKEN_TTL_SECONDS", "60"),
                        ("DAGY_RATE_LIMIT_PER_SECOND", "5"), ("DAGY_LOG_SINK", "file")):
        monkeypatch.setenv(name, value)
    assert openapi_json() == expected


def test_module_entrypoint_writes_to_standard_output():
    done = subprocess.run([sys.executable, "-m", "dagy.entrypoints.export_openapi"],
                          capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(done.stdout)["info"]["title"] == "Dagy control plane"
