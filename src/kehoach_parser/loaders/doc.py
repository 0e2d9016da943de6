"""Tệp DOC (Word 97-2003 binary): converted by a real converter, then read as blocks.

``antiword`` (Debian package ``antiword``, installed by ``scripts/setup-system.sh``) writes
DocBook XML: paragraphs, tables (cells in order) and bold. When antiword is missing or
cannot read a file, LibreOffice (``soffice --headless``) converts it to DOCX when it is
installed. With neither, :class:`ConverterMissingError` says how to get one. Converters run
in a subprocess with a time limit (``LoadOptions.timeout``, within ``max_seconds``) and a
bound on what they write (from ``max_chars``), and are given absolute paths: a file named
``-x.doc`` is never read as an option.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import (
    ConverterMissingError,
    CorruptFileError,
    EncryptedFileError,
    KehoachError,
    LimitExceededError,
)
from . import Budget, Loaded, LoadOptions, legacy, sha256
from .blocks import Block, Para, Table, render

_HOW_TO = ("install antiword (apt-get install antiword, or run scripts/setup-system.sh) or "
           "LibreOffice, or save the file as .docx in Word")
_SKIP_TAGS = {"bookinfo", "footnote", "indexterm"}
# DocBook spends a few bytes per character of text (UTF-8, tags): a converter writing more
# than this many bytes per allowed character is stopped.
_BYTES_PER_CHAR = 16
_POLL = 0.05  # seconds between looks at a running converter


def _run(cmd: list[str], path: Path, budget: Budget) -> subprocess.CompletedProcess[bytes]:
    """Run a converter, its output in temporary files; stopped when it runs over its time
    or writes more than the text allowed could take."""
    options = budget.options
    seconds = min(options.timeout, options.max_seconds - (time.monotonic() - budget.started))
    limit = _BYTES_PER_CHAR * options.max_chars
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            process = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        except OSError as exc:
            raise ConverterMissingError(f"cannot run {cmd[0]}: {exc}; {_HOW_TO}",
                                        path=path) from exc
        name = Path(cmd[0]).name
        try:
            deadline = time.monotonic() + seconds
            while process.poll() is None:
                if time.monotonic() > deadline:
                    raise LimitExceededError(
                        f"{name} ran over {seconds:.0f} s (LoadOptions.timeout, max_seconds)",
                        path=path)
                if os.fstat(out.fileno()).st_size > limit:
                    raise LimitExceededError(
                        f"{name} wrote over {limit} bytes, more than {options.max_chars} "
                        "characters of text could take (LoadOptions.max_chars)", path=path)
                # Not a plain sleep: wait() returns as soon as the converter ends (antiword
                # takes a few milliseconds), and looks again within the poll at the latest.
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(_POLL)
        finally:  # an error, a time-out or Ctrl-C: the converter does not outlive the call
            if process.poll() is None:
                process.kill()
            process.wait()
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(cmd, process.returncode, out.read(), err.read())


def _antiword(antiword: str, path: Path, budget: Budget) -> bytes:
    done = _run([antiword, "-x", "db", str(path.absolute())], path, budget)
    message = done.stderr.decode("utf-8", "replace").strip()
    if "ncrypted" in message:
        raise EncryptedFileError("password-protected Word document", path=path)
    if done.returncode != 0 or b"<book" not in done.stdout:
        raise CorruptFileError(f"antiword cannot read it: {message or 'no output'}", path=path)
    return done.stdout


def _soffice(soffice: str, path: Path, budget: Budget) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp, "profile").as_uri()
        done = _run([soffice, f"-env:UserInstallation={profile}", "--headless",
                     "--convert-to", "docx", "--outdir", tmp, str(path.absolute())], path,
                    budget)
        out = Path(tmp, path.with_suffix(".docx").name)
        if done.returncode != 0 or not out.exists():
            message = done.stderr.decode("utf-8", "replace").strip()
            raise CorruptFileError(f"LibreOffice cannot convert it: {message or 'no output'}",
                                   path=path)
        return out.read_bytes()


def _inline(el: Any, bold: bool) -> Iterator[tuple[str, bool] | Table]:
    """Runs of a DocBook paragraph; tables inside it come out as they are met."""
    if el.text:
        yield el.text, bold
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in ("informaltable", "table"):
            yield _table(child)
        elif tag not in _SKIP_TAGS and tag:
            yield from _inline(child, bold or (tag == "emphasis"
                                               and child.get("role") == "bold"))
        if child.tail:
            yield child.tail, bold


def _paras(el: Any, bold: bool = False) -> Iterator[Block]:
    para = Para()
    for item in _inline(el, bold):
        if isinstance(item, Table):
            if para.text.strip():
                yield para
            para = Para()
            yield item
        else:
            para.runs.append(item)
    if para.text.strip():
        para.runs[0] = (para.runs[0][0].lstrip("\n"), para.runs[0][1])
        yield para


def _table(el: Any) -> Table:
    rows: list[list[list[Para]]] = []
    for row in el.iter("row"):
        rows.append([[b for b in _paras(entry) if isinstance(b, Para)]
                     for entry in row.iterfind("entry")])
    return Table(rows)


def _blocks(el: Any) -> Iterator[Block]:
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _SKIP_TAGS or not tag:
            continue
        if tag in ("informaltable", "table"):
            yield _table(child)
        elif tag == "title" and el.tag == "book":
            continue  # the file's summary title (often a stale file name), not text
        elif tag in ("para", "title", "simpara"):
            yield from _paras(child, bold=tag == "title")
        else:
            yield from _blocks(child)


def _footnotes(root: Any) -> int:
    return sum(1 for _ in root.iter("footnote"))


def docbook_to_raw(xml: bytes) -> tuple[str, list[str]]:
    """Antiword's DocBook as light markdown, and warnings."""
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise ValueError(f"antiword wrote broken XML ({exc})") from exc
    raw = render(_blocks(root))
    warnings: list[str] = []
    notes = _footnotes(root)
    if notes:
        warnings.append(f"{notes} footnote(s) left out of the text")
    raw, legacy_warnings = legacy.repair(raw)
    return raw, warnings + legacy_warnings


def load_doc(data: bytes, *, path: Path, options: LoadOptions) -> Loaded:
    """Đọc DOC (read a legacy .doc) through antiword, or LibreOffice as a fallback."""
    from .docx import load_docx

    antiword = shutil.which("antiword")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    failure: KehoachError = ConverterMissingError(f"a .doc file needs a converter: {_HOW_TO}",
                                                  path=path)
    budget = Budget(options, path)
    if antiword is not None:
        try:
            raw, warnings = docbook_to_raw(_antiword(antiword, path, budget))
            return Loaded(raw=raw, format="doc", sha256=sha256(data), warnings=warnings)
        except CorruptFileError as exc:
            failure = exc
        except ValueError as exc:
            failure = CorruptFileError(str(exc), path=path)
    if soffice is None:
        raise failure
    converted = load_docx(_soffice(soffice, path, budget), path=path, options=options)
    converted.format = "doc"
    converted.sha256 = sha256(data)
    if antiword is not None:
        converted.warnings.insert(0, f"antiword failed ({failure.problem}); read through "
                                     "LibreOffice")
    return converted
