"""Small PDFs written by hand for the loader tests: a text layer of our choosing (garbage
OCR layers, many text objects, form XObjects that draw each other, huge pages), a few KB
each, never a large file in the repository.

Text is drawn in the standard Helvetica font (WinAnsi), so only Windows-1252 text can be
written (no ơ, ư, đ or tones beyond French ones); pages with real Vietnamese come from the
rendered seeds (``corpus/pdf``).
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium

Line = tuple[float, float, str]  # x, y (PDF points from the bottom left), text
Image = tuple[int, int, bytes]  # width, height, grey pixels (one byte each, rows top down)


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def text_content(lines: Sequence[Line], size: float = 11.0, *, invisible: bool = False) -> bytes:
    """A content stream drawing each line as its own text object; ``invisible`` text (render
    mode 3) is how an OCR layer lies over a scan."""
    out = io.BytesIO()
    mode = b"3 Tr " if invisible else b""
    for x, y, text in lines:
        out.write(b"BT " + mode + b"/F1 %.2f Tf %.2f %.2f Td (" % (size, x, y) + _escape(text)
                  + b") Tj ET\n")
    return out.getvalue()


def scan_of(source: Path, page: int = 0, dpi: int = 150) -> tuple[Image, bytes]:
    """A page of ``source`` as a grey image, and the content drawing it over an A4 page."""
    document = pdfium.PdfDocument(source)
    picture = document[page].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    width, height = picture.size
    return (width, height, picture.tobytes()), b"q 595 0 0 842 0 0 cm /I0 Do Q\n"


def write_pdf(pages: Sequence[bytes], *, size: tuple[float, float] = (595.0, 842.0),
              forms: Sequence[bytes] = (), images: Sequence[Image] = (),
              shared_resources: bool = False) -> bytes:
    """A PDF whose pages draw the given content streams with Helvetica as /F1.

    ``forms`` are content streams of form XObjects /X0, /X1 …, each able to draw the
    others by name (``/X1 Do``) and the font; ``images`` are grey images /I0, /I1 …;
    every page can draw them all. ``shared_resources``: the resources are one object that
    pages and forms refer to (``/Resources 3 0 R``), not written in each.
    """
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(dictionary: bytes, content: bytes) -> bytes:
        return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(content) + content + \
            b"\nendstream"

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>")
    pictures = [add(stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d "
                           b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode"
                           % (width, height), zlib.compress(pixels)))
                for width, height, pixels in images]
    first_form = len(objects) + 1
    names = b" ".join([*(b"/X%d %d 0 R" % (k, first_form + k) for k in range(len(forms))),
                       *(b"/I%d %d 0 R" % (k, ref) for k, ref in enumerate(pictures))])
    resources = b"<< /Font << /F1 %d 0 R >> /XObject << %s >> >>" % (font, names)
    if shared_resources:  # written last, numbered ahead
        resources = b"%d 0 R" % (len(objects) + len(forms) + 2 * len(pages) + 3)
    for content in forms:
        add(stream(b"/Type /XObject /Subtype /Form /BBox [0 0 %.0f %.0f] /Resources %s"
                   % (*size, resources), content))
    pages_id = len(objects) + 2 * len(pages) + 1
    kids = []
    for content in pages:
        contents = add(stream(b"", content))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.0f %.0f] "
                        b"/Resources %s /Contents %d 0 R >>"
                        % (pages_id, *size, resources, contents)))
    add(b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    if shared_resources:
        add(b"<< /Font << /F1 %d 0 R >> /XObject << %s >> >>" % (font, names))
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, catalog, xref))
    return out.getvalue()


def text_pdf(pages: Sequence[Sequence[Line]], **kwargs: float) -> bytes:
    """A PDF of pages of lines of text."""
    return write_pdf([text_content(lines, **kwargs) for lines in pages])


def paragraph_lines(text: str, *, top: float = 780.0, width: int = 80,
                    pitch: float = 15.0) -> list[Line]:
    """``text`` wrapped at ``width`` characters into lines down a page."""
    words = text.split()
    lines: list[Line] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append((60.0, top - pitch * len(lines), current))
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append((60.0, top - pitch * len(lines), current))
    return lines


def many_objects_pdf(objects: int, *, per_line: int = 10) -> bytes:
    """One page whose text is drawn as ``objects`` text objects of one short word each."""
    lines = [(40.0 + 50.0 * (k % per_line), 800.0 - 0.04 * (k // per_line), f"w{k % 97}")
             for k in range(objects)]
    return write_pdf([text_content(lines, size=4.0)])


def form_fanout_pdf(depth: int, fan: int = 2, *, shared_resources: bool = False) -> bytes:
    """Form XObjects that each draw the next one ``fan`` times, ``depth`` levels deep; the
    last draws one word. The page text multiplies to ``fan ** depth`` words."""
    forms = [b"".join(b"q 1 0 0 1 %d 0 cm /X%d Do Q\n" % (k, level + 1) for k in range(fan))
             for level in range(depth)]
    forms.append(text_content([(60.0, 700.0, "Noi dung van ban lap lai")]))
    return write_pdf([b"/X0 Do\n"], forms=forms, shared_resources=shared_resources)


def save(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def with_pages_of(data: bytes, source: Path, pages: Sequence[int]) -> bytes:
    """``data`` with pages of ``source`` (a rendered seed) appended."""
    document = pdfium.PdfDocument(data)
    document.import_pages(pdfium.PdfDocument(source), list(pages))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
