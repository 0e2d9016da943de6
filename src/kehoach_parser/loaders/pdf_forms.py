"""Biểu mẫu lồng nhau (nested form XObjects): refuse a PDF whose forms fan out, before
pdfium loads its pages.

A form XObject is a content stream a page draws by name (``/X1 Do``); a form may draw other
forms. pdfium builds every drawing of every form when it loads a page, so a few KB of forms
that each draw the next one twice, twenty deep, become two million objects: seconds and
gigabytes before the first character can be read. Nothing in pdfium's API sees the forms
before a page is loaded, so they are read here from the file, only when it holds two forms
or more (one cannot fan out):

1. for each form, how many forms one drawing of it draws in all, read from the bytes
   (form streams are never inside object streams; their resources are written in their
   dictionary in the common case) or, when that fails, with pdfminer (a dependency of
   pdfplumber);
2. when some form draws more than a few others (``_FEW``: a signature appearance draws a
   frame and two layers), each page's total, its content read with pdfminer; over
   ``LoadOptions.max_form_draws`` the file is refused.

Content streams are inflated with a bound (``_MAX_STREAM``): a compressed bomb inside a
form is counted on what it yields within the bound, never inflated whole.
"""

from __future__ import annotations

import io
import re
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import LimitExceededError
from . import LoadOptions

# The name /Form, also spelled with #xx escapes (/F#6Frm).
_FORM_NAME_RE = re.compile(rb"/(?:F|#46)(?:o|#6[Ff])(?:r|#72)(?:m|#6[Dd])(?![A-Za-z0-9#])")
_OBJECT_RE = re.compile(rb"(\d+)\s+\d+\s+obj\b")
_NAME = rb"/([^\s/\[\]()<>{}%]+)"
_DO_RE = re.compile(_NAME + rb"\s*Do(?![A-Za-z0-9])")
_REF_RE = re.compile(_NAME + rb"\s*(\d+)\s+\d+\s+R")
_FILTER_RE = re.compile(rb"/(?:Filter|DecodeParms)\b")
_FLATE_RE = re.compile(rb"/Filter\s*(?:/FlateDecode|/Fl|\[\s*/FlateDecode\s*\])(?![A-Za-z])")
_ESCAPE_RE = re.compile(rb"#([0-9A-Fa-f]{2})")
_BRACKETS_RE = re.compile(rb"<<|>>")
_MAX_DICTIONARY = 1 << 20  # bytes from a form's header to its stream keyword
_MAX_STREAM = 16 * 1024 * 1024  # bytes of one content stream looked at
# A page drawing forms that draw at most this many forms each grows linearly with its own
# content: its pages need no count.
_FEW = 16

Calls = dict[int, dict[int, int]]  # form object → {form object it draws: times}


def check_forms(data: bytes, *, path: Path, options: LoadOptions, deadline: float) -> bool:
    """Raise :class:`LimitExceededError` when a page would draw more forms than allowed, or
    when reading the forms runs past ``deadline`` (``time.monotonic()``); whether the file
    holds forms at all."""
    headers = _form_headers(data)
    if len(headers) < 2:
        return bool(headers)
    limit = options.max_form_draws
    try:
        calls = _calls_from_bytes(data, headers)
        reader = None
        if calls is None:
            reader = _Reader(data)
            calls = reader.calls(headers, lambda: _in_time(deadline, path, options))
        draws = _draws(calls, limit)
        if max(draws.values(), default=0) <= _FEW:
            return True
        for number, total in (reader or _Reader(data)).pages(draws, limit):
            if total > limit:
                raise LimitExceededError(
                    f"page {number} draws forms more than {limit:,} times (form XObjects "
                    "that draw each other): over LoadOptions.max_form_draws", path=path)
    except LimitExceededError:
        raise
    except Exception:  # the file cannot be read this way: pdfium will judge it
        pass
    return True


def _in_time(deadline: float, path: Path, options: LoadOptions) -> None:
    if time.monotonic() >= deadline:
        raise LimitExceededError(f"reading its form XObjects took more than "
                                 f"{options.max_seconds:g} s (LoadOptions.max_seconds)",
                                 path=path)


def _form_headers(data: bytes) -> dict[int, int]:
    """Form objects: number → offset just after their ``N 0 obj`` header."""
    out: dict[int, int] = {}
    for match in _FORM_NAME_RE.finditer(data):
        at = data.rfind(b"obj", max(0, match.start() - 4096), match.start())
        if at < 0:
            continue
        found = list(_OBJECT_RE.finditer(data, max(0, at - 24), at + 3))
        if found:
            out[int(found[-1].group(1))] = found[-1].end()
    return out


def _draws(calls: Calls, limit: int) -> dict[int, int]:
    """Forms one drawing of each form draws in all, capped just over ``limit``; a form
    that draws itself (directly or not) adds nothing, as pdfium stops there. Iterative:
    a chain of thousands of forms needs no deep recursion."""
    draws: dict[int, int] = {}
    for root in calls:
        if root in draws:
            continue
        stack: list[tuple[int, Iterator[int]]] = [(root, iter(calls.get(root, {})))]
        open_ = {root}
        while stack:
            number, children = stack[-1]
            child = next(children, None)
            if child is not None:
                if child not in draws and child not in open_:
                    open_.add(child)
                    stack.append((child, iter(calls.get(child, {}))))
                continue
            stack.pop()
            open_.discard(number)
            total = 0
            for kid, times in calls.get(number, {}).items():
                total = min(limit + 1, total + times * (1 + draws.get(kid, 0)))
            draws[number] = total
    return draws


def _names(content: bytes) -> Counter[bytes]:
    """How many times each name is drawn (``/Name Do``) in a content stream."""
    return Counter(_ESCAPE_RE.sub(lambda m: bytes([int(m.group(1), 16)]), m.group(1))
                   for m in _DO_RE.finditer(content))


def _calls(xobjects: dict[bytes, int], forms: Iterable[int], content: bytes) -> dict[int, int]:
    known = set(forms)
    calls: Counter[int] = Counter()
    for name, times in _names(content).items():
        number = xobjects.get(name)
        if number is not None and number in known:
            calls[number] += times
    return dict(calls)


def _inflate(raw: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(raw, _MAX_STREAM)
    except zlib.error:
        return b""


# The forms read from the bytes ------------------------------------------------------------


def _calls_from_bytes(data: bytes, headers: dict[int, int]) -> Calls | None:
    """Each form's drawings of other forms, or None when a form is not written plainly.
    A form's dictionary and stream are looked for only up to the next form's header: each
    form costs its own bytes, however many forms the file names."""
    order = sorted(headers.items(), key=lambda item: item[1])
    limits = [at for _, at in order[1:]] + [len(data)]
    calls: Calls = {}
    for (number, start), limit in zip(order, limits, strict=True):
        at = data.find(b"stream", start, min(limit, start + _MAX_DICTIONARY))
        if at < 0:
            return None
        dictionary = data[start:at]
        if re.search(rb"/(?:Resources|XObject)\s*\d+\s+\d+\s+R", dictionary):
            return None  # resources elsewhere: pdfminer resolves them
        names = {name: int(ref)
                 for name, ref in _REF_RE.findall(_inline(dictionary, b"/XObject") or b"")}
        if not names:
            calls[number] = {}
            continue
        flate = _FLATE_RE.search(dictionary) is not None
        if not flate and _FILTER_RE.search(dictionary):
            return None  # another filter: pdfminer decodes it
        body = at + len(b"stream")
        body += 2 if data[body : body + 2] == b"\r\n" else 1
        end = data.find(b"endstream", body, limit)
        raw = data[body : end if end >= 0 else limit]
        content = _inflate(raw) if flate else raw[:_MAX_STREAM]
        calls[number] = _calls(names, headers, content)
    return calls


def _inline(text: bytes, key: bytes) -> bytes | None:
    """The inline dictionary after ``key`` (without its brackets), or None."""
    found = re.search(re.escape(key) + rb"\s*<<", text)
    if found is None:
        return None
    depth = 0
    for bracket in _BRACKETS_RE.finditer(text, found.end() - 2):
        depth += 1 if bracket.group() == b"<<" else -1
        if depth == 0:
            return text[found.end() : bracket.start()]
    return None


# The forms and pages read with pdfminer ---------------------------------------------------


class _Reader:
    def __init__(self, data: bytes) -> None:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfparser import PDFParser

        self.document = PDFDocument(PDFParser(io.BytesIO(data)))

    def calls(self, headers: dict[int, int], in_time: Callable[[], None]) -> Calls:
        calls: Calls = {}
        for k, number in enumerate(headers):
            if k % 256 == 0:
                in_time()
            stream = self.document.getobj(number)
            attrs = getattr(stream, "attrs", None)
            if isinstance(attrs, dict):
                calls[number] = _calls(self._xobjects(attrs.get("Resources")), headers,
                                       _content(stream))
        return calls

    def pages(self, draws: dict[int, int], limit: int) -> Iterable[tuple[int, int]]:
        """(page number, forms it draws in all) for every page."""
        from pdfminer.pdfpage import PDFPage

        for number, page in enumerate(PDFPage.create_pages(self.document), 1):
            xobjects = self._xobjects(page.resources)
            if not xobjects:
                continue
            content = b"".join(_content(stream) for stream in page.contents or [])
            total = 0
            for form, times in _calls(xobjects, draws, content).items():
                total = min(limit + 1, total + times * (1 + draws[form]))
            yield number, total

    def _xobjects(self, resources: Any) -> dict[bytes, int]:
        from pdfminer.pdftypes import PDFObjRef, resolve1

        resources = resolve1(resources)
        xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
        if not isinstance(xobjects, dict):
            return {}
        return {str(name).encode("latin-1", "replace"): ref.objid
                for name, ref in xobjects.items() if isinstance(ref, PDFObjRef)}


def _content(stream: Any) -> bytes:
    """A content stream's bytes, inflated within ``_MAX_STREAM``."""
    from pdfminer.pdftypes import resolve1

    stream = resolve1(stream)
    raw = getattr(stream, "rawdata", None)
    if raw is None:
        return bytes(getattr(stream, "data", None) or b"")[:_MAX_STREAM]
    names = [getattr(f, "name", f) for f, _ in stream.get_filters()]
    if not names:
        return bytes(raw[:_MAX_STREAM])
    if names in (["FlateDecode"], ["Fl"]):
        return _inflate(raw)
    if len(raw) * 64 > _MAX_STREAM:  # another filter, big: not inflated here
        return b""
    return bytes(stream.get_data()[:_MAX_STREAM])
