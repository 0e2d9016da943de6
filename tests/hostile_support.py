"""Hostile inputs built on the fly (never large files in the repo), and parse functions for
the batch tests that misbehave the way converters do (a child process, a temporary file).

Imported by the spawned batch workers, so it stays cheap to import.
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

from kehoach_parser import parse_file
from kehoach_parser.models import PlanDocument

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PLAN = ("KẾ HOẠCH\nPhòng, chống mại dâm năm {year}\nI. MỤC TIÊU\n"
        "- 70% xã, phường tổ chức tuyên truyền\n")
CONVERTER = "CHẬM"  # a test file holding this runs a slow child process and keeps a temp file
HUNGRY = "ĐÓI"  # … asks for 8 GiB
BUSY = "BẬN"  # … keeps a core busy for ever


def _template() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("x", style="List Number")  # the template then has numbering.xml
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_with(body: str, numbering: str | None = None,
              extra: dict[str, bytes] | None = None) -> bytes:
    """A DOCX whose body is ``body`` (the XML inside ``w:body``), with ``numbering`` as the
    inside of ``w:numbering`` and ``extra`` members added."""
    replaced = {"word/document.xml": f'<w:document xmlns:w="{W}"><w:body>{body}'
                                     "</w:body></w:document>".encode()}
    if numbering is not None:
        replaced["word/numbering.xml"] = (f'<w:numbering xmlns:w="{W}">{numbering}'
                                          "</w:numbering>").encode()
    source = zipfile.ZipFile(io.BytesIO(_template()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, replaced.get(info.filename)
                             or source.read(info.filename))
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return out.getvalue()


def numbered(text: str, num_id: int = 1, ilvl: int = 0) -> str:
    """A ``w:p`` in list ``num_id`` at level ``ilvl``."""
    return (f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/>'
            f"</w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>")


def list_definition(fmt: str, start: str, text: str = "%1.") -> str:
    """``w:numbering`` content: list 1 with one level of format ``fmt`` from ``start``."""
    return (f'<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="{start}"/>'
            f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>'
            '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')


def _marker(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def converter_parse(path: Path) -> PlanDocument:
    """``parse_file``, after a pause of ``$KEHOACH_TEST_PAUSE`` seconds; a file holding
    CONVERTER first runs a child process for ``$KEHOACH_TEST_CONVERTER`` seconds (as
    antiword or tesseract would) beside a temporary folder, and leaves a file named by the
    child's pid in ``$KEHOACH_TEST_PIDS`` holding the folder's path."""
    if CONVERTER in _marker(path):
        with tempfile.TemporaryDirectory(prefix="kehoach-test-") as folder:
            Path(folder, "page.png").write_bytes(b"\x89PNG" + bytes(1000))
            child = subprocess.Popen(["sleep", os.environ.get("KEHOACH_TEST_CONVERTER", "60")])
            Path(os.environ["KEHOACH_TEST_PIDS"], f"{child.pid}").write_text(folder)
            child.wait()
    time.sleep(float(os.environ.get("KEHOACH_TEST_PAUSE", "0")))
    return parse_file(path)


def greedy_parse(path: Path) -> PlanDocument:
    """``parse_file``; a file holding HUNGRY first asks for 8 GiB."""
    if HUNGRY in _marker(path):
        hoard = bytearray(8 << 30)
        del hoard
    return parse_file(path)


def busy_parse(path: Path) -> PlanDocument:
    """``parse_file``; a file holding BUSY spins for ever, first leaving a file named by
    its pid in ``$KEHOACH_TEST_PIDS``."""
    if BUSY in _marker(path):
        Path(os.environ["KEHOACH_TEST_PIDS"], str(os.getpid())).touch()
        while True:
            pass
    return parse_file(path)


def full_disk_parse(path: Path) -> PlanDocument:
    """``parse_file``, in a worker whose disk is full from then on: the output cannot be
    written (ENOSPC), as on a real full disk."""
    import errno

    from kehoach_parser import workers

    def full(output: Path, content: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(output))

    workers.write_atomic = full  # type: ignore[assignment]
    return parse_file(path)
