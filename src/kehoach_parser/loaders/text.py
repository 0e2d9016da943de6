"""Plain text and markdown: UTF-8 (with or without BOM), UTF-16, and the legacy 8-bit
Vietnamese encodings TCVN3 and VNI (detected, converted to Unicode, with a warning)."""

from __future__ import annotations

import codecs
from pathlib import Path

from .. import patterns
from ..errors import BinaryInputError, DecodingError, EmptyInputError
from ..models import SourceFormat
from . import Loaded, legacy, sha256

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: every other byte is zero in ASCII-heavy text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


_ASCII_OR_BAD = patterns.compile("[\x00-\x7f\ufffd]+")


def _damaged_utf8(data: bytes) -> bool:
    """UTF-8 with some bad bytes (much of it still decodes to accented letters), not a
    legacy encoding, whose bytes almost never form valid UTF-8 sequences."""
    view = data[:65536].decode("utf-8", "replace")
    decoded = len(_ASCII_OR_BAD.sub("", view))
    return 2 * decoded >= view.count("\ufffd")


def decode(data: bytes, *, path: str | Path | None = None) -> tuple[str, str]:
    """Decode ``data``; returns (text, encoding). Typed errors for binary or unknown bytes."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    encoding = encoding or _looks_utf16(data)
    if encoding is None:
        if b"\x00" in data[:8192]:
            raise BinaryInputError("binary data, not text (NUL bytes)", path=path)
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        text = data.decode("latin-1")
        found = None if encoding != "utf-8" or _damaged_utf8(data) else legacy.detect(text)
        if found is None:
            raise DecodingError(
                f"not valid {encoding} text (byte {exc.start}) nor TCVN3/VNI; save it as "
                "UTF-8", path=path
            ) from exc
        encoding = found
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\n\r\t\f\v")
    if controls > 0.01 * max(len(text[:8192]), 1):
        raise BinaryInputError("binary data, not text (control characters)", path=path)
    if not text.strip():
        raise EmptyInputError("no text (only whitespace)", path=path)
    return text, encoding.replace("-sig", "").replace("-le", "").replace("-be", "")


def load_text_bytes(data: bytes, *, path: str | Path | None, fmt: SourceFormat) -> Loaded:
    text, encoding = decode(data, path=path)
    text, warnings = legacy.repair(text)
    return Loaded(raw=text, format=fmt, sha256=sha256(data), encoding=encoding,
                  warnings=warnings)
