"""kehoach_parser: Vietnamese administrative plans (Kế hoạch), công văn and quyết định
turned into structured, validated JSON.

>>> from kehoach_parser import parse_text
>>> doc = parse_text("Số: 12/KH-UBND\\nKẾ HOẠCH\\nPhòng, chống mại dâm năm 2024")
>>> doc.metadata.identifier
'12/KH-UBND'
"""

from ._version import __version__
from .errors import KehoachError
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
