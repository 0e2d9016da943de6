"""Package data files (``data/*.toml``): patterns, gazetteers and registries.

Loaded lazily and once, so that ``import kehoach_parser`` stays cheap.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed contents of ``data/<name>.toml``."""
    resource = files("kehoach_parser").joinpath("data", f"{name}.toml")
    with resource.open("rb") as handle:
        return tomllib.load(handle)
