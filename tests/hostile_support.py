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


def converter_parse(path: Path) -> PlanDocument:
    """``parse_file``, except that a file holding CONVERTER first runs a child process for a
    minute (as antiword or tesseract would) beside a temporary folder, writing the child's
    pid into the file ``path.with_suffix('.pid')``'s place in the temporary folder."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if CONVERTER in text:
        with tempfile.TemporaryDirectory(prefix="kehoach-test-") as folder:
            Path(folder, "page.png").write_bytes(b"\x89PNG" + bytes(1000))
            child = subprocess.Popen(["sleep", "60"])
            Path(os.environ["KEHOACH_TEST_PIDS"], f"{child.pid}").write_text(folder)
            child.wait()
    time.sleep(float(os.environ.get("KEHOACH_TEST_PAUSE", "0")))
    return parse_file(path)
