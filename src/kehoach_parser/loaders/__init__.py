"""Đọc tệp (file loaders): bytes in, markdown-ish text plus layout facts out.

Every loader returns a :class:`Loaded` whose ``raw`` text uses the light markdown the
normalizer understands (``**bold**``, ``#`` headings, one paragraph per line), so that PDF,
DOCX and plain text all share one normalization and one offset map. ``page_starts`` are
offsets into ``raw``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import (
    EmptyInputError,
    FileMissingError,
    LimitExceededError,
    NotAFileError,
    UnsupportedFormatError,
)
from ..models import SourceFormat


@dataclass(frozen=True)
class LoadOptions:
    """Limits and switches for loading; raise them for unusual inputs."""

    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 5000
    max_decompressed_bytes: int = 512 * 1024 * 1024
    ocr: bool = False


@dataclass
class Loaded:
    """What a loader read."""

    raw: str
    format: SourceFormat
    sha256: str
    pages: int | None = None
    page_starts: list[int] = field(default_factory=list)
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)


TEXT_SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown"}


def load_file(path: str | Path, options: LoadOptions | None = None) -> Loaded:
    """Read ``path`` with the loader its extension and content call for."""
    from . import text

    options = options or LoadOptions()
    p = Path(path)
    if not p.exists():
        raise FileMissingError("no such file", path=p)
    if not p.is_file():
        raise NotAFileError("not a regular file (a directory?)", path=p)
    size = p.stat().st_size
    if size > options.max_bytes:
        raise LimitExceededError(
            f"{size} bytes is over the limit of {options.max_bytes} (LoadOptions.max_bytes)",
            path=p,
        )
    data = p.read_bytes()
    if not data:
        raise EmptyInputError("empty file", path=p)
    suffix = p.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        fmt: SourceFormat = "markdown" if TEXT_SUFFIXES[suffix] == "markdown" else "text"
        return text.load_text_bytes(data, path=p, fmt=fmt)
    raise UnsupportedFormatError(
        f"unsupported file type {suffix or '(none)'}; expected .txt, .md", path=p
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
