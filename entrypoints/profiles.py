"""The command line's and the server's access to `$DAGY_HOME/profiles.toml`.

The file has one reader and writer, the SDK's dagy.profiles; this module only adds how
the server stores it: the file holds the admin API key, so it is written by
dagy.entrypoints.state_dir (atomically, mode 0600 from its first byte, in a 0700
DAGY_HOME).
"""

from __future__ import annotations

import os
from typing import Any

from dagy.profiles import (DEFAULT_PROFILE, PROFILES_FILENAME, dumps, profiles_path,
                           read_profile, read_profiles)
from dagy.profiles import write_profile as _write_profile
from dagy.entrypoints.state_dir import write_private

__all__ = ["DEFAULT_PROFILE", "PROFILES_FILENAME", "dumps", "profiles_path", "read_profile",
           "read_profiles", "write_profile"]


def write_profile(path: str | os.PathLike[str], name: str, values: dict[str, Any]) -> bool:
    """Set `values` in table `name` (dagy.profiles.write_profile), written privately."""
    return _write_profile(path, name, values, write=write_private)
