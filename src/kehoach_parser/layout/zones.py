"""Vùng văn bản (zones): where the header block, the title, the body, the closing block,
appendices and attached documents are, and what each header and closing line is.

Read in document order, from the cues of ``data/layout.toml``:

- *chrome*: what comes before the header block (a repository's extraction note, a web
  page's banner) and after the last closing block that is not an appendix (a site footer);
- *header*: the issuer's lines, the motto, the number line, the place-and-date line, the
  subject line of a công văn (two-column blocks are already in reading order);
- *title*: the type line ("KẾ HOẠCH") and the title under it;
- *body*; *closing*: Nơi nhận and the signature (TM./KT./TL. capacity, position, name);
- after a closing: *attached* (the type line and title of a document issued with the first
  one, whose body is body again), *appendix*, *footnotes*.
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import patterns
from .cues import block_cue, cues, fold
from .model import Line, Role, Zone, ZoneKind

_HEADER_REACH = 80  # lines in which a header block is looked for
_TITLE_REACH = 8  # lines a title may take
_TITLE_CHARS = 400
_CUE_WINDOW = 100
_NAME_RE = patterns.compile(r"^\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*){1,4}$")


def is_name(text: str) -> bool:
    """A person's name as printed under a signature: two to five capitalised words."""
    return bool(_NAME_RE.match(text.strip(" .")))


class _Reader:
    def __init__(self, lines: Sequence[Line], text: str, folded: str) -> None:
        self.lines = lines
        self.texts = [text[line.start : line.end] for line in lines]
        # Cues open their line: the folded opening is enough.
        self.folded = [folded[line.start : min(line.end, line.start + _CUE_WINDOW)]
                       for line in lines]
        self.caps = [line.caps for line in lines]
        self.k = cues()
        self.issuer: list[str] | None = None  # read once the header's roles are set

    def type_line(self, i: int) -> bool:
        return self.caps[i] and self.k.type_opening.match(self.folded[i]) is not None and len(
            self.texts[i]) <= 60

    def cue(self, i: int) -> str | None:
        """The header part line ``i`` is: motto, number, place_date, subject, ornament."""
        f, k = self.folded[i], self.k
        found = block_cue(f)
        if found in ("motto", "number", "place_date"):
            return found
        if k.subject_opening.match(f):
            return "subject"
        if k.ornament_opening.match(f):
            return "ornament"
        return None

    def heading(self, i: int) -> bool:
        return self.lines[i].shape in ("division", "roman", "article", "chapter")

    def recipients(self, i: int) -> bool:
        f = self.folded[i]
        return bool(self.k.recipients_opening.match(f)) and f.startswith("n")

    def signature(self, i: int) -> bool:
        f = self.folded[i]
        k = self.k
        # (The position's pattern last: most lines are long or not in capitals.)
        return bool(k.authority_opening.match(f) or (len(f) < 40 and self.caps[i]
                                                     and k.position.match(f)))


def _start(r: _Reader) -> int:
    """The first line of the document proper (after any chrome)."""
    n = len(r.lines)
    for i in range(min(n, _HEADER_REACH)):
        if r.cue(i) in ("motto", "number"):
            block = r.lines[i].block
            j = i
            if block >= 0:
                while j > 0 and r.lines[j - 1].block == block:
                    j -= 1
                i = j
            # Issuer lines in capitals right above (above a two-column block too: a DOCX
            # extraction writes the issuer's cell on lines of its own, before the motto's row).
            while (j > 0 and i - j < 4 and r.caps[j - 1] and not r.type_line(j - 1)
                   and r.cue(j - 1) is None and len(r.texts[j - 1]) < 80):
                j -= 1
            return j
    for i in range(min(n, 30)):
        if r.type_line(i):
            return i
    return 0


def _header_end(r: _Reader, start: int) -> int:
    """The first line after the header block."""
    block = r.lines[start].block
    i = start
    n = len(r.lines)
    subject = False
    while i < n:
        line = r.lines[i]
        if block >= 0 and line.block == block:
            i += 1
            continue
        f = r.folded[i]
        cue = r.cue(i)
        if r.type_line(i) or r.k.body_start.match(f) or r.recipients(i) or (
                r.heading(i) and cue is None):
            return i
        if cue is not None:
            subject = cue == "subject"
            i += 1
            continue
        if subject and not line.blank_before and len(r.texts[i]) < 200:
            i += 1  # a subject line wrapped
            continue
        if r.caps[i] and len(r.texts[i]) < 100 and i - start < 12:
            i += 1  # an issuer line
            continue
        return i
    return n


def _header_roles(r: _Reader, start: int, end: int) -> None:
    subject = False
    # In one column (a rendering that put the columns one after the other), the issuer's
    # lines come before the motto and the number line: capitals after them are not names.
    named = False
    for i in range(start, end):
        cue = r.cue(i)
        role: Role
        if cue is not None:
            role = cue  # type: ignore[assignment]
            subject = cue == "subject"
            named = named or (cue in ("motto", "number") and r.lines[i].block < 0)
        elif subject and r.lines[i].column == 0 and not r.caps[i]:
            role = "subject"
        elif r.caps[i] and r.lines[i].column == 0 and not named:
            role = "issuer"
        elif r.caps[i] and r.lines[i].column == 0:
            role = ""
        elif r.lines[i].column == 1:
            role = "place_date" if r.folded[i][:1].isdigit() else "motto"
        else:
            role = "subject" if subject else "issuer"
        r.lines[i].role = role
        r.lines[i].zone = "header"


def _issuer_words(r: _Reader) -> list[str]:
    """The folded words of the header's issuer lines."""
    if r.issuer is None:
        r.issuer = " ".join(fold(t) for t, line in zip(r.texts, r.lines, strict=True)
                            if line.role == "issuer").split()
    return r.issuer


def _authority_line(r: _Reader, i: int) -> bool:
    """The line naming who issues a decision, under its title: the issuer's name of the
    header ("ỦY BAN NHÂN DÂN TỈNH …"), after its holder's position or not ("CHỦ TỊCH ỦY
    BAN NHÂN DÂN TỈNH …", "BỘ TRƯỞNG BỘ CÔNG THƯƠNG")."""
    issuer = _issuer_words(r)
    if not issuer:
        return False
    words = r.folded[i].split()
    for n in (0, 1, 2, 3):  # the issuer's name, after the holder's position or not
        if (n == 0 or r.k.position.match(" ".join(words[:n]))) and words[n:] == issuer:
            return True
    return False


def _issuer_signs(r: _Reader, i: int) -> bool:
    """A plan issued with a decision may close with its issuer's name alone, in capitals,
    right after the body's end mark ("… số liệu lớn./." / "ỦY BAN NHÂN DÂN TỈNH …")."""
    return (i > 0 and r.caps[i] and r.texts[i - 1].rstrip(" *").endswith("/.")
            and r.folded[i].split() == _issuer_words(r) != [])


def _title_end(r: _Reader, first: int) -> int:
    """The first line after the title that starts at ``first`` (the line after the type)."""
    n = len(r.lines)
    if first >= n:
        return first
    f = r.folded[first]
    strong_body = f.startswith(("can cu", "kinh gui", "xet ")) or r.heading(first)
    # A title never opens with the name of who issues ("ỦY BAN NHÂN DÂN TỈNH …" under
    # "QUYẾT ĐỊNH", "CHỦ TỊCH …" under a permit whose type line holds its subject).
    if strong_body or r.lines[first].kind == "row" or (r.caps[first] and _authority_line(r, first)):
        return first
    i = first + 1
    chars = len(r.texts[first])
    caps, bold = r.caps[first], r.lines[first].bold
    while i < n and i - first < _TITLE_REACH:
        line, f = r.lines[i], r.folded[i]
        # A DOCX writes each printed line of a bold title as a paragraph of its own: a bold
        # line after a bold line that does not end a sentence goes on with the title.
        wrapped = (line.bold and r.lines[i - 1].bold and r.cue(i) is None
                   and not r.texts[i - 1].rstrip().endswith((".", ":", ";", "!", "?", ")")))
        if ((line.blank_before and not wrapped) or r.k.body_start.match(f) or r.heading(i)
                or r.type_line(i) or line.kind == "row" or r.recipients(i)):
            break
        if r.caps[i] != caps or line.bold != bold or (caps and _authority_line(r, i)):
            break
        chars += len(r.texts[i])
        if chars > _TITLE_CHARS:
            break
        i += 1
    return i


def _closing_end(r: _Reader, start: int) -> int:
    """The first line after the closing block that starts at ``start``."""
    n = len(r.lines)
    block = r.lines[start].block
    i = start
    signed = False
    recipients = False
    label = False  # the line before is a bare "Nơi nhận:"
    while i < n:
        line, f, text = r.lines[i], r.folded[i], r.texts[i]
        if block >= 0 and line.block == block:
            i += 1
            signed = signed or (line.column == 1 and is_name(text))
            continue
        bare = False
        if r.recipients(i):
            recipients = True
            bare = not r.k.recipients.match(f).group("inline").strip()
        elif r.signature(i) or r.k.signed.match(f):
            # OCR of one line "Nơi nhận: TM. …" (split by the layout): the list comes next.
            recipients = label
        elif recipients and (r.k.bullet.match(text) or text[:1].islower() or text[:1] == "("
                             or not r.texts[i - 1].rstrip().endswith((";", "."))):
            pass  # a recipient, or the rest of one: "(đăng tải trên cổng thông tin);"
        elif is_name(text) and not signed:
            signed = True
            recipients = False
        else:
            return i
        label = bare
        i += 1
    return n


def _closing_roles(r: _Reader, first: int, end: int) -> None:
    """Nơi nhận lines and signature lines of a closing block: the right column, the
    capacity and position lines, and the signer's name wherever it is printed (after the
    recipients list, in a one-column rendering)."""
    cued = any(r.signature(j) for j in range(first, end))
    named = False
    for j in range(first, end):
        line = r.lines[j]
        signature = line.column == 1 or r.signature(j) or bool(r.k.signed.match(r.folded[j]))
        if (not signature and cued and not named and is_name(r.texts[j])
                and not r.k.bullet.match(r.texts[j])):
            signature = True
        named = named or (signature and is_name(r.texts[j]))
        line.role = "signature" if signature else "recipients"


def _attaches(r: _Reader, i: int, main_type: str | None) -> bool:
    """Does the type line ``i`` after a closing block open a document issued with the main
    one? When the main one issues documents (a quyết định), or a "(Ban hành kèm theo …)"
    line follows, or the type line has a header block of its own."""
    if main_type in r.k.issuing:
        return True
    ahead = range(i + 1, min(i + 5, len(r.lines)))
    behind = range(max(i - 4, 0), i)
    return any(r.k.attached.match(r.folded[j]) for j in ahead) or any(
        r.cue(j) == "motto" for j in behind)


def _after(r: _Reader, i: int) -> ZoneKind | None:
    """What a part that starts at line ``i`` after a closing block is."""
    f = r.folded[i]
    if r.k.appendix.match(f) and (r.caps[i] or len(r.texts[i]) < 40):
        return "appendix"
    if r.type_line(i) or r.cue(i) == "motto" or (
            r.caps[i] and r.k.issuer_head.match(f) and any(
                r.cue(j) == "motto" for j in range(i + 1, min(i + 4, len(r.lines))))):
        return "attached"
    if r.k.footnote.match(f):
        return "footnotes"
    if r.lines[i].kind == "row":
        return "appendix"
    return None


_DIGITS_RE = patterns.compile(r"(\d{1,6})\s*[/-]")


def _own_number(r: _Reader, start: int, end: int) -> str | None:
    """The document's number, from the number line of its header block (the line the
    number cue of layout.toml finds)."""
    for i in range(start, end):
        if r.cue(i) == "number":
            m = _DIGITS_RE.search(r.folded[i][:200])
            return str(m.group(1)) if m else None
    return None


def _restates(r: _Reader, i: int, own: str | None) -> bool:
    """A saved page's own title after the document ("Quyết định 471/QĐ-UBND năm 2025 phê
    duyệt …": its type and number, without "số"): where the site's footer begins."""
    if own is None or r.lines[i].kind != "text":
        return False
    m = r.k.type_re.match(r.folded[i])
    return m is not None and r.folded[i][m.end():].lstrip().startswith(own + "/")


def _mark_title(r: _Reader, kinds: list[ZoneKind], i: int, zone: ZoneKind) -> int:
    """The type line ``i`` and the title under it, in ``zone``; the line after them."""
    kinds[i] = zone
    r.lines[i].role = "type"
    end = _title_end(r, i + 1)
    for j in range(i + 1, end):
        kinds[j] = zone
        r.lines[j].role = "title"
    return end


def assign(lines: Sequence[Line], text: str, folded: str) -> list[Zone]:
    """Set every line's zone and role; the zones in order. ``folded``: the text folded."""
    n = len(lines)
    if not n:
        return []
    r = _Reader(lines, text, folded)
    kinds: list[ZoneKind] = ["body"] * n
    start = _start(r)
    for i in range(start):
        kinds[i] = "chrome"
    h_end = _header_end(r, start)
    _header_roles(r, start, h_end)
    for i in range(start, h_end):
        kinds[i] = "header"
    i = h_end
    main_type = None
    if i < n and r.type_line(i):
        m = r.k.type_re.match(r.folded[i])
        main_type = r.k.types.get(" ".join(m.group("name").split())) if m else None
        i = _mark_title(r, kinds, i, "title")
    closed = False
    current: ZoneKind = "body"
    own = _own_number(r, start, h_end)
    while i < n:
        signs = current == "body" and _issuer_signs(r, i)
        if signs or r.recipients(i) or (r.signature(i) and (lines[i].block >= 0
                                                            or current == "body")):
            c_end = _closing_end(r, i + 1) if signs else _closing_end(r, i)
            _closing_roles(r, i, c_end)
            for j in range(i, c_end):
                kinds[j] = "closing"
            i, closed, current = c_end, True, "body"
            if i < n:
                current = _after(r, i) or "chrome"
            continue
        if closed and current == "appendix" and _restates(r, i, own):
            current = "chrome"  # a saved page's footer after the appendix
        if closed:
            starts = _after(r, i)
            if starts == "attached" and r.type_line(i) and not _attaches(r, i, main_type):
                starts = None
            if starts == "appendix" and current == "chrome" and lines[i].kind == "row":
                starts = None  # a table in a site's footer is not an appendix
            if starts == "attached" and not r.type_line(i):
                kinds[i] = "attached"  # the attached document's own header block
                i += 1
                continue
            if starts == "attached":
                k = _mark_title(r, kinds, i, "attached")
                while k < n and r.k.attached.match(r.folded[k]):
                    kinds[k] = "attached"
                    k += 1
                i, current = k, "body"
                continue
            if starts is not None:
                current = starts
        kinds[i] = current
        i += 1
    for line, kind in zip(lines, kinds, strict=True):
        line.zone = kind
    return _zones(lines, kinds)


def _zones(lines: Sequence[Line], kinds: Sequence[ZoneKind]) -> list[Zone]:
    zones: list[Zone] = []
    first = 0
    for i in range(1, len(kinds) + 1):
        if i == len(kinds) or kinds[i] != kinds[first]:
            zones.append(Zone(kinds[first], first, i - 1, lines[first].start, lines[i - 1].end))
            first = i
    return zones
