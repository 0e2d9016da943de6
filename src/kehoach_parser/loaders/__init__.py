"""Đọc tệp (file loaders): bytes in, markdown-ish text plus layout facts out.

Every loader returns a :class:`Loaded` whose ``raw`` text uses the light markdown the
normalizer understands (``**bold**``, one paragraph per line), so that PDF, DOCX, DOC and
plain text all share one normalization and one offset map. ``page_starts`` are offsets into
``raw``.

The format is decided by content, not by name: magic bytes are sniffed (``%PDF``, a zip
holding ``word/document.xml``, an OLE2 compound file holding a ``WordDocument`` stream).
When the extension lies about a format the parser reads (a PDF named ``.docx``), the file
is read by its content and a warning says so; when the content is something else (an
Excel workbook named ``.docx``, text named ``.pdf``) a :class:`FormatMismatchError` names
both; an image or an archive (a JPEG named .pdf) is named as what it is. Limits (bytes,
pages, characters, decompressed size, seconds, converter time) live in :class:`LoadOptions`,
with defaults a caller can raise; a loader checks the characters and the seconds while it
builds the text (:class:`Budget`), not after.

Lone surrogates (code points U+D800–U+DFFF, which no file can encode but a Python string
or a damaged DOCX symbol can hold) are replaced by U+FFFD with a warning: one character
for one, so every offset stays where it was.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

import regex

from .. import patterns
from ..errors import (
    CorruptFileError,
    EmptyInputError,
    EncryptedFileError,
    FileMissingError,
    FormatMismatchError,
    LimitExceededError,
    NotAFileError,
    UnsupportedFormatError,
)
from ..models import SourceFormat


@dataclass(frozen=True)
class LoadOptions:
    """Limits and switches for loading; raise them for unusual inputs."""

    max_bytes: int = 200 * 1024 * 1024
    # Characters of text to parse (about 20 s of parsing); a 100 MB text file is refused.
    max_chars: int = 20_000_000
    max_pages: int = 5000
    # What the members of a DOCX unzip to, in all (the largest real one: 6 MB).
    max_decompressed_bytes: int = 256 * 1024 * 1024
    # A zip (or a member) bigger than zip_ratio_floor that expands more than this is a bomb
    # (real DOCX files expand at most ~45x).
    max_zip_ratio: float = 200.0
    zip_ratio_floor: int = 1024 * 1024
    ocr: bool = False  # read scanned PDFs with Tesseract (Debian: tesseract-ocr-vie)
    ocr_language: str = "vie"
    timeout: float = 120.0  # seconds for one external converter or OCR run
    # Seconds to read one file into text, checked while it is read: a PDF page by page (OCR
    # included), a DOCX paragraph by paragraph, a .doc's converter as it runs.
    max_seconds: float = 600.0
    # Text objects on one PDF page (pdfium's text page costs more than linear time in
    # objects drawn over each other); real pages hold a few thousand.
    max_page_objects: int = 50_000
    # Form XObjects one PDF page draws, a form drawn inside a form counted each time.
    max_form_draws: int = 10_000
    # Pixels of one page rendered for OCR (300 dpi A3 is 17.4 M); a bigger page is
    # rendered at a lower resolution, with a warning.
    max_ocr_pixels: int = 40_000_000


@dataclass
class Budget:
    """What a loader may still spend on one file: characters of text and seconds, counted
    while the text is built so that a file is refused before it takes the memory or time."""

    options: LoadOptions
    path: Path | None = None
    chars: int = 0
    started: float = field(default_factory=time.monotonic)

    def spend(self, chars: int) -> None:
        """Count ``chars`` more characters; a typed error once over either limit."""
        self.chars += chars
        if self.chars > self.options.max_chars:
            raise LimitExceededError(_too_long(self.chars, self.options), path=self.path)
        if time.monotonic() - self.started > self.options.max_seconds:
            raise LimitExceededError(
                f"reading took more than {self.options.max_seconds:g} s "
                "(LoadOptions.max_seconds)", path=self.path)


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


TEXT_SUFFIXES: dict[str, SourceFormat] = {".txt": "text", ".md": "markdown",
                                          ".markdown": "markdown"}
BINARY_SUFFIXES: dict[str, SourceFormat] = {".pdf": "pdf", ".docx": "docx", ".doc": "doc"}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stream names in an OLE2 directory are UTF-16-LE.
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_OTHER_OLE2 = (("Workbook", "an Excel workbook"), ("Book", "an Excel workbook"),
               ("PowerPoint Document", "a PowerPoint deck"))
# Formats the parser does not read, by their first bytes: named for what they are.
_OTHER_FORMATS = tuple((patterns.compile(magic, regex.DOTALL), kind) for magic, kind in (
    (rb"\xff\xd8\xff", "a JPEG image"), (rb"\x89PNG\r\n\x1a\n", "a PNG image"),
    (rb"GIF8[79]a", "a GIF image"), (rb"II\*\x00|MM\x00\*", "a TIFF image"),
    (rb"RIFF.{4}WEBP", "a WebP image"), (rb"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image"),
    (rb"\{\\rtf", "an RTF document"), (rb"\x1f\x8b", "a gzip archive"),
    (rb"BZh[1-9]1AY&SY", "a bzip2 archive"), (rb"\xfd7zXZ\x00", "an xz archive"),
    (rb"7z\xbc\xaf'\x1c", "a 7-Zip archive"), (rb"Rar!\x1a\x07", "a RAR archive"),
))


def sniff(data: bytes) -> SourceFormat | None:
    """The format the bytes hold, from their magic numbers; None when not recognised.

    >>> sniff(b"%PDF-1.7 ..."), sniff(b"PK\\x03\\x04..."), sniff(b"abc")
    ('pdf', 'docx', None)
    """
    if b"%PDF-" in data[:1024]:  # the spec lets junk precede the header
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "docx"
    if data.startswith(_OLE2):
        return "doc"
    return None


def other_format(data: bytes) -> str | None:
    """What a file the parser does not read holds, from its first bytes; None if unknown.

    >>> other_format(b"\\xff\\xd8\\xff\\xe0\\x00\\x10JFIF"), other_format(b"abc")
    ('a JPEG image', None)
    """
    return next((kind for magic, kind in _OTHER_FORMATS if magic.match(data)), None)


def _route(data: bytes, p: Path, suffix: str) -> tuple[SourceFormat, list[str]]:
    """The loader to use and a warning when the extension disagrees with the content."""
    content = sniff(data)
    named = BINARY_SUFFIXES.get(suffix) or TEXT_SUFFIXES.get(suffix)
    if content == "doc" and _ENCRYPTED_PACKAGE in data[:1 << 20]:
        raise EncryptedFileError("password-protected Office document", path=p)
    if content == "doc" and _WORD_STREAM not in data:
        other = next((kind for stream, kind in _OTHER_OLE2
                      if stream.encode("utf-16-le") + b"\x00\x00" in data), None)
        if other is not None:
            raise FormatMismatchError(f"named {suffix or '(no extension)'} but holds {other}, "
                                      "not a Word document", path=p)
        raise CorruptFileError("an OLE2 file without a WordDocument stream (truncated or "
                               "damaged)", path=p)
    if content is None:
        other = other_format(data)
        if other is not None and named is not None and (named in BINARY_SUFFIXES.values()
                                                        or not _looks_text(data)):
            raise FormatMismatchError(f"named {suffix} but holds {other}, not a document the "
                                      "parser reads", path=p)
        if named in BINARY_SUFFIXES.values():
            if _looks_text(data):
                raise FormatMismatchError(f"named {suffix} but holds plain text", path=p)
            raise CorruptFileError(f"not a {suffix} file: its first bytes match no known "
                                   "format (damaged?)", path=p)
        if named is None:
            raise UnsupportedFormatError(
                f"unsupported file type {suffix or '(none)'}; expected .pdf, .docx, .doc, "
                ".txt, .md", path=p)
        return named, []
    if named is not None and named != content and not (named == "markdown" and content == "text"):
        return content, [f"{p.name}: the extension {suffix} does not match the content "
                         f"({content.upper()}); read as {content.upper()}"]
    return content, []


def _looks_text(data: bytes) -> bool:
    sample = data[:4096]
    return b"\x00" not in sample and sum(b < 9 for b in sample) == 0


def load_file(path: str | Path, options: LoadOptions | None = None) -> Loaded:
    """Read ``path`` with the loader its content calls for (see the module notes)."""
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
    if p.suffix.lower() in TEXT_SUFFIXES and size > 4 * options.max_chars:
        # Every character takes at least one byte (UTF-16: two): refuse before reading.
        raise LimitExceededError(_too_long(size // 4, options), path=p)
    data = p.read_bytes()
    if not data:
        raise EmptyInputError("empty file", path=p)
    fmt, warnings = _route(data, p, p.suffix.lower())
    # Each loader is imported when first needed: a text-only user never loads pdfium.
    if fmt == "pdf":
        from .pdf import load_pdf

        loaded = load_pdf(data, path=p, options=options)
    elif fmt == "docx":
        from .docx import load_docx

        loaded = load_docx(data, path=p, options=options)
    elif fmt == "doc":
        from .doc import load_doc

        loaded = load_doc(data, path=p, options=options)
    else:
        from .text import load_text_bytes

        loaded = load_text_bytes(data, path=p, fmt=fmt)
    check_length(loaded.raw, options, path=p)
    loaded.raw, replaced = replace_surrogates(loaded.raw)
    loaded.warnings[:0] = warnings + replaced
    return loaded


def _too_long(chars: int, options: LoadOptions) -> str:
    return (f"about {chars} characters of text is over the limit of {options.max_chars} "
            "(LoadOptions.max_chars)")


def check_length(text: str, options: LoadOptions, *, path: str | Path | None = None) -> None:
    """Refuse a text longer than ``options.max_chars`` with a typed error."""
    if len(text) > options.max_chars:
        raise LimitExceededError(_too_long(len(text), options), path=path)


_SURROGATE_RE = patterns.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> tuple[str, list[str]]:
    """``text`` with each lone surrogate replaced by U+FFFD (same length), and a warning.

    >>> replace_surrogates("a\\ud800b")
    ('a\ufffdb', ['1 lone surrogate code point(s) (not valid Unicode) replaced by U+FFFD'])
    """
    if _SURROGATE_RE.search(text) is None:
        return text, []
    text, count = _SURROGATE_RE.subn("\ufffd", text)
    return text, [f"{count} lone surrogate code point(s) (not valid Unicode) replaced by U+FFFD"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
