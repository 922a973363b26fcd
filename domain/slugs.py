"""Human-friendly run slugs: `brave-otter-3f9a`."""

from __future__ import annotations

import secrets

_ADJECTIVES = ("amber", "brave", "calm", "clever", "eager", "gentle", "happy", "jolly", "keen",
               "lucky", "mellow", "nimble", "proud", "quick", "quiet", "rapid", "shiny", "steady",
               "swift", "tidy", "vivid", "witty", "bold", "bright")
_ANIMALS = ("otter", "falcon", "lynx", "heron", "badger", "panda", "koala", "ibis", "orca",
            "gecko", "bison", "crane", "dingo", "egret", "ferret", "gazelle", "hare", "jaguar",
            "lemur", "marten", "newt", "osprey", "puffin", "quail")


def new_run_slug() -> str:
    return f"{secrets.choice(_ADJECTIVES)}-{secrets.choice(_ANIMALS)}-{secrets.token_hex(2)}"
