"""The DOCX reader looks at each element's children once (a run's properties and text in
one pass, the first child of a tag found without lxml's path search): the same paragraphs
as reading each part with ``find()`` and a generator, on paragraphs mixing runs with
properties in any order (repeated, misplaced), containers (links, insertions, deletions,
alternate content, text boxes), symbols, breaks and list numbering; and the same styles."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import docx
from docx.oxml.parser import parse_xml
from hypothesis import given, settings
from hypothesis import strategies as st

from hostile_support import docx_with, list_definition
from kehoach_parser.loaders import Budget, LoadOptions, legacy
from kehoach_parser.loaders import docx as reader_module
from kehoach_parser.loaders.blocks import Para
from kehoach_parser.loaders.docx import _W, _Reader

_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')
_DOCUMENT = docx.Document(io.BytesIO(docx_with("", list_definition("upperRoman", "3"))))

_PROPS = st.sampled_from(["<w:b/>", '<w:b w:val="0"/>', '<w:b w:val="false"/>',
                          '<w:rFonts w:ascii=".VnTime"/>', '<w:rFonts w:hAnsi="VNI-Times"/>',
                          '<w:rFonts w:ascii="Times New Roman"/>', '<w:rStyle w:val="Strong"/>',
                          '<w:sz w:val="26"/>', "<w:i/>"])
_RPR = st.lists(_PROPS, max_size=4).map(lambda props: f"<w:rPr>{''.join(props)}</w:rPr>")
_CONTENT = st.sampled_from(["<w:t>Kế hoạch </w:t>", "<w:t>Uû ban nh©n d©n</w:t>", "<w:t/>",
                            "<w:t>2026</w:t>", "<w:tab/>", "<w:ptab/>", "<w:br/>",
                            '<w:br w:type="page"/>', "<w:cr/>", "<w:noBreakHyphen/>",
                            '<w:sym w:char="F0B7"/>', '<w:sym w:char="0041"/>',
                            '<w:sym w:char="zz"/>', "<w:delText>cũ</w:delText>",
                            "<w:lastRenderedPageBreak/>", "<!-- ghi chú -->"])
_RUN = st.lists(st.one_of(_RPR, _CONTENT), max_size=5).map(
    lambda kids: f"<w:r>{''.join(kids)}</w:r>")


def _wrapped(runs: list[str], wrapper: str) -> str:
    inner = "".join(runs)
    if wrapper == "AlternateContent":
        return (f"<mc:AlternateContent><mc:Choice>{inner}</mc:Choice>"
                f"<mc:Fallback>{inner}</mc:Fallback></mc:AlternateContent>")
    if wrapper == "textbox":
        return (f"<w:r><w:pict><w:txbxContent><w:p>{inner}</w:p></w:txbxContent></w:pict>"
                "</w:r>")
    return f"<w:{wrapper}>{inner}</w:{wrapper}>"


_PIECE = st.one_of(
    _RUN,
    st.builds(_wrapped, st.lists(_RUN, max_size=3),
              st.sampled_from(["hyperlink", "ins", "del", "smartTag", "fldSimple",
                               "AlternateContent", "textbox", "p", "instrText"])),
    st.sampled_from(['<w:bookmarkStart w:id="0"/>', "<w:proofErr/>", "<!-- x -->"]))
_PPR_PROPS = st.sampled_from(['<w:pStyle w:val="Heading1"/>', '<w:pStyle w:val="ListNumber"/>',
                              '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>',
                              '<w:numPr><w:numId w:val="1"/></w:numPr>',
                              '<w:numPr><w:numId w:val="0"/></w:numPr>',
                              '<w:jc w:val="center"/>', "<w:rPr><w:b/></w:rPr>"])
_PPR = st.lists(_PPR_PROPS, max_size=3).map(lambda props: f"<w:pPr>{''.join(props)}</w:pPr>")
_PARAGRAPH = st.lists(st.one_of(_PPR, _PIECE), max_size=6).map(
    lambda kids: f"<w:p {_NS}>{''.join(kids)}</w:p>")


def _run_text(r: Any) -> Iterator[str]:
    for child in r:
        tag = child.tag
        if tag == f"{_W}t":
            yield child.text or ""
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            yield " "
        elif tag in (f"{_W}br", f"{_W}cr"):
            if child.get(f"{_W}type") not in ("page", "column"):
                yield "\n"
        elif tag == f"{_W}noBreakHyphen":
            yield "-"
        elif tag == f"{_W}sym":
            yield reader_module._symbol(child.get(f"{_W}char", ""))


class _ByFind(_Reader):
    """The reader as it was: each part found with ``find()``, runs from generators."""

    def by_find(self, p: Any) -> list[Para]:
        ppr = p.find(f"{_W}pPr")
        style = num = None
        if ppr is not None:
            pstyle = ppr.find(f"{_W}pStyle")
            style = None if pstyle is None else pstyle.get(f"{_W}val")
            numpr = ppr.find(f"{_W}numPr")
            if numpr is not None and numpr.find(f"{_W}numId") is not None:
                ilvl = numpr.find(f"{_W}ilvl")
                num = (str(numpr.find(f"{_W}numId").get(f"{_W}val")),
                       reader_module._decimal(None if ilvl is None else ilvl.get(f"{_W}val"), 0))
        num = num or self._style_value(style, "num")
        para = Para(list(self.runs_by_find(p, style)))
        boxes = [Para(list(self.runs_by_find(box_p, None)))
                 for box in p.iter(f"{_W}txbxContent") if not reader_module._in_fallback(box)
                 for box_p in box.iterfind(f"{_W}p")]
        if num is not None and num[0] != "0" and para.text.strip():
            label = self.numbering.label(*num)
            if label:
                para.runs.insert(0, (label, next((b for t, b in para.runs if t.strip()), False)))
        return [para, *boxes]

    def runs_by_find(self, node: Any, style: str | None) -> Iterator[tuple[str, bool]]:
        for child in node:
            if child.tag in reader_module._SKIP:
                continue
            if child.tag == f"{_W}r":
                yield self.run_by_find(child, style)
            elif child.tag != f"{_W}p":
                yield from self.runs_by_find(child, style)

    def run_by_find(self, r: Any, style: str | None) -> tuple[str, bool]:
        text = "".join(_run_text(r))
        if not text:
            return "", False
        bold: bool | None = None
        font = rstyle = None
        rpr = r.find(f"{_W}rPr")
        for prop in () if rpr is None else rpr:
            if prop.tag == f"{_W}b":
                bold = prop.get(f"{_W}val", "true").lower() not in reader_module._FALSE
            elif prop.tag == f"{_W}rFonts":
                font = prop.get(f"{_W}ascii") or prop.get(f"{_W}hAnsi")
            elif prop.tag == f"{_W}rStyle":
                rstyle = prop.get(f"{_W}val")
        inherited_bold, inherited_font = self._inherited(rstyle, style)
        text, _ = legacy.convert_run(text, font or inherited_font)
        return text, inherited_bold if bold is None else bold


_FAST = _Reader(_DOCUMENT, Budget(LoadOptions()))
_SLOW = _ByFind(_DOCUMENT, Budget(LoadOptions()))


@settings(max_examples=300, deadline=None)
@given(st.lists(_PARAGRAPH, min_size=1, max_size=4))
def test_paragraphs_equal_reading_them_with_find(paragraphs: list[str]) -> None:
    fast, slow = _FAST, _SLOW  # read once: the template has many styles
    fast.numbering.counters.clear()
    slow.numbering.counters.clear()
    for xml in paragraphs:  # in turn: list counters run on from paragraph to paragraph
        p = parse_xml(xml)
        assert fast.paragraph(p) == slow.by_find(p)


_STYLE_KIDS = st.sampled_from(['<w:basedOn w:val="Normal"/>', '<w:basedOn w:val="Title"/>',
                               "<w:rPr><w:b/></w:rPr>", '<w:rPr><w:b w:val="0"/></w:rPr>',
                               '<w:rPr><w:rFonts w:ascii=".VnTimeH"/><w:b/><w:b w:val="0"/>'
                               "</w:rPr>",
                               '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>',
                               '<w:pPr><w:jc w:val="left"/></w:pPr>',
                               '<w:pPr><w:numPr><w:numId w:val="2"/><w:ilvl w:val="1"/>'
                               "<w:numId w:val=\"3\"/></w:numPr></w:pPr>", '<w:name w:val="x"/>'])


class _Styles:
    """A stand-in document with only a styles part."""

    def __init__(self, xml: str) -> None:
        self.styles = type("Part", (), {"element": parse_xml(xml)})()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_STYLE_KIDS, max_size=4), max_size=4))
def test_styles_equal_reading_them_with_find(kids: list[list[str]]) -> None:
    xml = (f"<w:styles {_NS}>" + "".join(f'<w:style w:styleId="s{k}">{"".join(parts)}'
                                         "</w:style>" for k, parts in enumerate(kids))
           + "</w:styles>")
    styles, _, _ = reader_module._read_styles(_Styles(xml))
    root = parse_xml(xml)
    for node in root.iterfind(f"{_W}style"):
        style = styles[node.get(f"{_W}styleId")]
        based, rpr = node.find(f"{_W}basedOn"), node.find(f"{_W}rPr")
        numpr = node.find(f"{_W}pPr/{_W}numPr")
        num = None
        if numpr is not None and numpr.find(f"{_W}numId") is not None:
            ilvl = numpr.find(f"{_W}ilvl")
            num = (str(numpr.find(f"{_W}numId").get(f"{_W}val")),
                   reader_module._decimal(None if ilvl is None else ilvl.get(f"{_W}val"), 0))
        bold = None if rpr is None or rpr.find(f"{_W}b") is None else (
            rpr.find(f"{_W}b").get(f"{_W}val", "true").lower() not in reader_module._FALSE)
        fonts = None if rpr is None else rpr.find(f"{_W}rFonts")
        font = None if fonts is None else fonts.get(f"{_W}ascii") or fonts.get(f"{_W}hAnsi")
        assert (style.based_on, style.bold, style.font, style.num) == (
            None if based is None else based.get(f"{_W}val"), bold, font, num)


def test_the_examples_reach_labels_boxes_bold_and_legacy_fonts() -> None:
    """The pieces above can tell the readers apart: each feature shows in the output."""
    reader = _Reader(_DOCUMENT, Budget(LoadOptions()))
    p = parse_xml(f"<w:p {_NS}><w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr></w:pPr>"
                  '<w:r><w:rPr><w:b/><w:rFonts w:ascii=".VnTime"/></w:rPr>'
                  "<w:t>Uû ban nh©n d©n</w:t></w:r>"
                  "<w:r><w:pict><w:txbxContent><w:p><w:r><w:t>hộp</w:t></w:r></w:p>"
                  "</w:txbxContent></w:pict></w:r></w:p>")
    assert reader.paragraph(p) == [Para([("III. ", True), ("Uỷ ban nhân dân", True),
                                         ("", False)]),  # the run holding the box
                                   Para([("hộp", False)])]
