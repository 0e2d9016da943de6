"""kehoach_parser: Vietnamese administrative plans (Kế hoạch), công văn and quyết định
turned into structured, validated JSON.

>>> from kehoach_parser import parse_text
>>> doc = parse_text("Số: 12/KH-UBND\\nKẾ HOẠCH\\nPhòng, chống mại dâm năm 2024")
>>> doc.metadata.identifier
'12/KH-UBND'

The names below are imported on first use, so that ``import kehoach_parser`` (and the
command line's ``--help``) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import KehoachError

if TYPE_CHECKING:
    from .loaders import LoadOptions
    from .models import (
        SCHEMA_VERSION,
        Agency,
        Citation,
        Metadata,
        PlanDocument,
        Section,
        Target,
    )
    from .pipeline import page_of, parse_file, parse_text

_LAZY = {
    "LoadOptions": "loaders",
    "SCHEMA_VERSION": "models",
    "Agency": "models",
    "Citation": "models",
    "Metadata": "models",
    "PlanDocument": "models",
    "Section": "models",
    "Target": "models",
    "page_of": "pipeline",
    "parse_file": "pipeline",
    "parse_text": "pipeline",
}

__all__ = [
    "SCHEMA_VERSION",
    "Agency",
    "Citation",
    "KehoachError",
    "LoadOptions",
    "Metadata",
    "PlanDocument",
    "Section",
    "Target",
    "__version__",
    "page_of",
    "parse_file",
    "parse_text",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kehoach_parser' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
