"""The import-linter contracts name the SDK's modules one by one (a layer contract
cannot say "dagy but not its subpackages"), so a new module of dagy/ must be added to
every list that names the SDK, or the layers could import it unnoticed."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKER = "dagy.client"  # every list naming the SDK names the client


def test_every_contract_naming_the_sdk_names_all_its_modules() -> None:
    sdk = {f"dagy.{path.stem}" for path in (ROOT / "dagy").glob("*.py")
           if path.stem != "__init__"}
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"][
        "importlinter"]["contracts"]
    lists = [(contract["name"], key, set(contract[key])) for contract in contracts
             for key in ("source_modules", "forbidden_modules")
             if MARKER in contract.get(key, ())]
    assert len(lists) >= 4, "the SDK lists of the layer contracts were not found"
    for name, key, modules in lists:
        missing = sorted(sdk - modules)
        assert not missing, f"{name!r} {key} lacks {missing}"
