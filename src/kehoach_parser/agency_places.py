"""Nơi giao việc (where a document assigns work): the readers of each place.

A document gives a body work of its own in any of these places (SPEC: agencies):

* the implementation part ("Tổ chức thực hiện"), a part that divides the tasks among
  bodies ("Phân công nhiệm vụ", "Trách nhiệm của các cơ quan"), or, in a công văn without
  parts, its numbered points: headings that name bodies, and the bullets and plain lines of a
  part that open with bodies;
* wherever it stands, a heading or line with an assigning prefix ("Giao Công an tỉnh …",
  "Trách nhiệm của Sở Y tế"), a line led by its bodies ("UBND phường X chủ trì, phối hợp
  …"), a task's own line ("Cơ quan thực hiện: Sở Nội vụ chủ trì …"), a task that ends with
  who does it ("… - Trường THPT X thực hiện"), the lead column of an assignment table;
* the article of a quyết định that charges office-holders with carrying it out, and a
  recipient line with a task of its own ("- Trung tâm Dịch vụ tổng hợp phường (đăng tải …)").

Lines are the layout's (:mod:`kehoach_parser.layout`): their kind, zone, heading title and
table cells; cue patterns (``data/agencies.toml [places]``) are matched on the folded text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from . import patterns
from .agency_names import Body, BodyList, Context, may_open, read_list
from .context import Context as DocContext
from .data import load
from .layout import Line, fold
from .layout.cues import cues as layout_cues
from .models import Section
from .sections import walk

_TASK_TRIM = " \t:;,.-–"
_ROMAN_RE = patterns.compile(r"^[IVXLC]+$")
_WORD_RE = patterns.compile(r"\w+")
# How far into a line its opening cues ("Cơ quan thực hiện:", "Giao", "chủ trì") may reach.
_OPENING = 48
_CONTENT = ("body", "appendix", "attached")
# A heading this long that runs on into a plain line was wrapped ("… - Trường THPT Cao" /
# "Lãnh 2 thực hiện."): the two are read as one.
_WRAPPED = 60
# A note in brackets after a list of bodies: a task, or the parent the bodies belong to.
# How many lines above its verb the sentence that charges office-holders may start.
_EXECUTES_REACH = 6
# A line that breaks off after a connector, its name going on in the next line.
_DANGLING_RE = patterns.compile(r"(?:\s(?i:và|va)|[,&–-])[\s*]*$")
# Points whose headings name bodies that make a part one that divides the tasks among them.
_DIVIDING = 2
_NOTE_RE = patterns.compile(r"\s*\(([^()]{3,200})\)")
_BETWEEN_SEMICOLONS_RE = patterns.compile(r"[^;]+")


@dataclass
class Assignment:
    """A body given work, where, and its tasks (offsets into the document text)."""

    body: Body
    tasks: list[str]
    path: str
    coordinates: list[str] = field(default_factory=list)  # from a table's column


@dataclass(frozen=True, slots=True)
class _Cues:
    parts: Any
    lead: Any
    label: Any
    attribution: Any
    performs: Any
    executes: Any
    delegates: Any
    anywhere: Any
    clauses: Any
    decides: Any
    receipt: Any
    closing: Any
    opening_first: frozenset[str]  # folded first words of the line-opening cues
    reporting: frozenset[str]  # document types that report rather than assign
    table_lead: Any
    table_coordinates: Any
    table_task: Any


@cache
def _cues() -> _Cues:
    data = load("agencies")
    p, t = data["places"], data["table"]
    return _Cues(
        parts=patterns.compile(p["parts"]),
        lead=patterns.compile(p["lead"]),
        label=patterns.compile(p["label"]),
        attribution=patterns.compile(p["attribution"]),
        performs=patterns.compile(p["performs"]),
        executes=patterns.compile(p["executes"]),
        delegates=patterns.compile(p["delegates"]),
        anywhere=patterns.compile(p["anywhere"]),
        clauses=patterns.compile(p["clauses"]),
        decides=patterns.compile(p["decides"]),
        receipt=patterns.compile(p["receipt"]),
        opening_first=frozenset([*p["label_first"], *p["anywhere_first"]]),
        reporting=frozenset(p["reporting_types"]),
        closing=patterns.compile(data["closing"]["pattern"]),
        table_lead=patterns.compile(t["lead"]),
        table_coordinates=patterns.compile(t["coordinates"]),
        table_task=patterns.compile(t["task"]),
    )


def is_assignment_part(section: Section) -> bool:
    """A part that assigns work: the implementation part (not a solution "về tổ chức thực
    hiện"), or a part that divides the tasks among bodies, by its title."""
    if "implementation" in section.kinds and "solutions" not in section.kinds:
        return True
    return _divides_by_title(section.title)


def _outermost(sections: Sequence[Section],
               divides: Callable[[Section], bool] | None = None) -> Iterator[Section]:
    """The outermost assignment parts: by title, or (``divides``) by their points."""
    for section in sections:
        if is_assignment_part(section) or (divides is not None and divides(section)):
            yield section
        else:
            yield from _outermost(section.children, divides)


@dataclass
class Reader:
    """Reads every place of one document; ``found`` holds what it read, in reading order."""

    doc: DocContext
    names: Context
    text: str  # the content zones of the document (others blanked)
    found: list[Assignment] = field(default_factory=list)
    _read: set[int] = field(default_factory=set)  # lines already read as assignments
    _sections: set[int] = field(default_factory=set)  # headings already read as points
    _lists: dict[tuple[int, int, int, bool, bool], BodyList] = field(default_factory=dict)
    _fold: str = field(default="", init=False)

    def __post_init__(self) -> None:
        # folded once: fold keeps the length and folds each character alone, so a slice of
        # it is the slice folded (each line is read by several cues)
        self._fold = fold(self.text)

    def _folded(self, start: int, end: int) -> str:
        """The text of ``start:end`` folded for the cue patterns."""
        return self._fold[start:end]

    # --- parts and points ------------------------------------------------------------------

    def read(self) -> list[Assignment]:
        sections = self.doc.sections
        parts = [s for s in sections if _ROMAN_RE.match(s.number)]
        reporting = self.doc.metadata.doc_type in _cues().reporting
        for section in _outermost(parts, None if reporting else self._divides):
            self.part(section)
        if reporting:
            for section in _outermost([s for s in sections if s not in parts]):
                self.part(section)
            return self.found  # a report's past work is not an assignment
        for section in sections:
            if section in parts:
                continue
            if section.number.startswith("Điều"):  # an article of a quyết định
                if is_assignment_part(section):
                    self.part(section)
            else:  # a công văn, a chỉ thị: its numbered points assign the work
                self.point(section, is_assignment_part(section))
        for section in walk(sections):
            if section.heading_span[0] not in self._sections and self._prefixed(section):
                self.point(section, False)
        self.lines_anywhere()
        self.clauses()
        self.lead_ins()
        self.tables()
        self.recipients()
        return self.found

    def part(self, section: Section, requested: bool = False) -> None:
        """A part or group heading: its points first, then its own lines."""
        named = [c.span for c in section.children if self.point(c, True, requested)]
        self.lines(section, named, requested)

    def point(self, section: Section, in_part: bool, requested: bool = False) -> bool:
        """One numbered point; whether it, or anything under it, named a body."""
        self._sections.add(section.heading_span[0])
        before = len(self.found)
        line = self.doc.layout.line_at(section.heading_span[0])
        if line is None:
            return False
        start, end = self._paragraph(line)
        found = self._list(start, end, line.title_start or line.start, requested)
        if found.bodies:
            self._read.add(self.doc.layout.line_index(line.start))
            rest = self.text[found.end:end].strip(_TASK_TRIM)
            tasks = [rest] if rest else []
            tasks += self._tasks(end, section.span[1])
            self._add(found.bodies, tasks, section.path)
        elif in_part or found.generic:
            self.part(section, found.requested)
        return len(self.found) > before

    def _divides(self, section: Section) -> bool:
        """A part that divides its tasks among bodies by its points, whatever its title
        ("II. NỘI DUNG THỰC HIỆN" / "1. Sở Y tế" / "2. Sở Tài chính"): at least two points,
        and most of them, whose heading is a list of bodies and nothing else."""
        points = [c for c in section.children if c.children or c.title]
        if len(points) < _DIVIDING:
            return False
        named = 0
        for child in points:
            line = self.doc.layout.line_at(child.heading_span[0])
            if line is None:
                continue
            start, end = self._paragraph(line)
            found = self._list(start, end, line.title_start or line.start, False)
            if found.bodies and not self.text[found.end:end].strip(_TASK_TRIM + "*"):
                named += 1
        return named >= _DIVIDING and 2 * named >= len(points)

    def _prefixed(self, section: Section) -> bool:
        return _assigns_by_title(section.title)

    def lines(self, section: Section, skip: list[tuple[int, int]], requested: bool) -> None:
        """Bullets and plain lines of a part that open with bodies ("- Sở Công Thương: …",
        "Giao phòng Quản lý Công nghiệp …:"); lines after one ending in a colon are its
        tasks."""
        current: list[Assignment] = []
        layout = self.doc.layout
        first = layout.line_index(section.heading_span[0]) + 1
        for index in range(first, len(layout.lines)):
            line = layout.lines[index]
            if line.start >= section.span[1]:
                break
            content = self.text[line.start:line.end]
            if not content.strip() or line.kind == "row":
                continue
            if _cues().closing.match(content):
                break
            if any(s <= line.start < e for s, e in skip):
                current = []
                continue
            found = self._list(line.start, line.end, self._content_start(line), requested)
            if found.bodies:
                self._read.add(index)
                rest = self.text[found.end:line.end].strip(_TASK_TRIM)
                added = self._add(found.bodies, [rest] if rest else [],
                                  self.doc.locator.path_at(line.start))
                current = added if not rest or content.rstrip().endswith(":") else []
            else:
                for member in current:
                    member.tasks.append(_task(content))

    # --- lines anywhere ------------------------------------------------------------------

    def lines_anywhere(self) -> None:
        """Lines that assign work wherever they stand: "Giao X …", "X chủ trì …", a task's
        own "Cơ quan thực hiện:" line (and the bullets under an empty one), a task ending
        with who does it, and the article that charges office-holders."""
        layout = self.doc.layout
        articles = any(s.number.startswith("Điều") for s in walk(self.doc.sections))
        labelled = False
        for index, line in enumerate(layout.lines):
            if line.zone not in _CONTENT or line.kind == "row":
                labelled = False
                continue
            pos = self._content_start(line)
            if pos >= line.end or self.text[pos:line.end].isspace():
                continue
            # The article that charges office-holders is a quyết định's: only read there.
            if articles and _cues().executes.search(self._folded(pos, line.end)):
                self._executes(index, line, pos)
                continue
            word = _WORD_RE.match(self.text, pos)
            cue = word is not None and _fold_word(word.group()) in _cues().opening_first
            opening = self._folded(pos, min(line.end, pos + _OPENING)) if cue else ""
            label = _cues().label.match(opening) if cue else None
            if label is not None:
                labelled = self.text[pos + label.end():line.end].strip() == ""
                if not labelled:
                    self._line(index, line, pos + label.end(), led=True)
                continue
            if labelled and line.kind == "bullet":
                self._line(index, line, pos, led=True)
                continue
            labelled = False
            if index in self._read:
                continue
            end = self._run_on(line)
            low = self.text[pos:end].lower()
            if (cue and _cues().anywhere.match(opening)) or (
                    ("chủ trì" in low or "chu tri" in low) and self._leads(line, pos, end)):
                self._line(index, line, pos, end=end)
            else:
                _, end = self._paragraph(line, wrapped=True, index=index)
                tail = self.text[pos:end]
                if " - " in tail or " – " in tail:
                    self._attribution(line)

    def clauses(self) -> None:
        """Clauses that assign work inside a line ("…; giao Ủy ban nhân dân các xã …") and
        lines that open with "Đề nghị X …" (X requested), unless X is only asked to decide.
        Only bodies not given work elsewhere: a closing "Đề nghị các sở … và Ủy ban nhân dân
        các huyện …" is a courtesy to bodies the plan has already commanded."""
        known = {f.body.key for f in self.found}
        for index, line in enumerate(self.doc.layout.lines):
            if line.zone not in _CONTENT or line.kind == "row":
                continue
            pos = self._content_start(line)
            if self._fold.find("giao", pos, line.end) < 0 and self._fold.find(
                    "nghi", pos, line.end) < 0:
                continue  # the cheap check first
            folded = self._folded(pos, line.end)
            _, end = self._paragraph(line, wrapped=True, index=index)
            for clause in _cues().clauses.finditer(folded):
                at = pos + clause.end()
                found = self._list(line.start, end, at, "nghi" in clause.group())
                named = [b for b in _named(found) if b.key not in known]
                if named and not _cues().decides.match(
                        self._folded(found.end, min(end, found.end + _OPENING))):
                    self._add(named, [], self.doc.locator.path_at(line.start))

    def lead_ins(self) -> None:
        """The sentence that hands the numbered points below it to bodies ("Bộ Tài chính đề
        nghị Ủy ban nhân dân các tỉnh … các nhiệm vụ sau:" / "1. …"): its bodies, requested
        under "đề nghị". Only a sentence that ends with a colon right above a numbered
        point."""
        layout = self.doc.layout
        points = {s.heading_span[0] for s in walk(self.doc.sections)}
        for index, line in enumerate(layout.lines[:-1]):
            content = self.text[line.start:line.end].rstrip()
            if (line.zone not in _CONTENT or line.kind != "text" or not content.endswith(":")
                    or not any(n.start in points for n in layout.lines[index + 1:index + 3])):
                continue
            first = index
            while first > 0 and index - first < _EXECUTES_REACH:
                above = layout.lines[first - 1]
                text = self.text[above.start:above.end].rstrip()
                if (layout.lines[first].blank_before or above.kind != "text"
                        or not text or text[-1] in ".:;!?"):
                    break
                first -= 1
            start = layout.lines[first].start
            verbs = list(_cues().delegates.finditer(self._folded(start, line.end)))
            if not verbs:
                continue
            verb = verbs[-1]
            found = self._list(start, line.end, start + verb.end(),
                               "nghi" in verb.group())
            named = _named(found)
            if named:
                self._add(named, [], self.doc.locator.path_at(line.start))

    def _leads(self, line: Line, pos: int, end: int) -> bool:
        if not may_open(self.text, pos):
            return False
        found = self._list(line.start, end, pos, False)
        return bool(found.bodies) and self._led(found.end, end)

    def _run_on(self, line: Line) -> int:
        """Where an article heading's sentence ends when its title breaks off mid-name, in
        a hard-wrapped page ("Điều 2. Sở" / "Tài chính có trách nhiệm chủ trì, …"): the
        next line's end; else the line's."""
        if line.shape != "article":
            return line.end
        layout = self.doc.layout
        index = layout.line_index(line.start)
        title = self.text[line.start:line.end].rstrip(" *")
        if index + 1 >= len(layout.lines) or not title or not title[-1].isalpha():
            return line.end
        nxt = layout.lines[index + 1]
        if nxt.kind != "text" or nxt.blank_before or nxt.zone != line.zone:
            return line.end
        return nxt.end

    def _led(self, pos: int, end: int) -> bool:
        """Whether the words at ``pos`` say that the bodies before them lead ("chủ trì")."""
        return _cues().lead.match(self._folded(pos, min(end, pos + _OPENING))) is not None

    def _line(self, index: int, line: Line, pos: int, *, led: bool = False,
              end: int | None = None) -> None:
        end = line.end if end is None else end
        found = self._list(line.start, end, pos, False)
        if not found.bodies:
            return
        if not (led or found.prefixed or self._led(found.end, end)):
            return
        self._read.add(index)
        rest = self.text[found.end:end].strip(_TASK_TRIM)
        self._add(found.bodies, [rest] if rest else [], self.doc.locator.path_at(line.start))

    def _executes(self, index: int, line: Line, pos: int) -> None:
        """The office-holders charged with carrying a decision out, one list between
        semicolons each: one misread name does not end the list. The sentence may start on
        lines above, wrapped ("3. Chánh Văn phòng …; Giám đốc các Sở: …" / "… chịu trách
        nhiệm thi hành")."""
        layout = self.doc.layout
        first = index
        while first > 0 and index - first < _EXECUTES_REACH:
            above, below = layout.lines[first - 1], layout.lines[first]
            content = self.text[above.start:above.end].rstrip()
            if (below.blank_before or above.zone != line.zone or above.kind == "row"
                    or not content or content[-1] in ".:;!?" or above.shape == "article"):
                break
            first -= 1
        if first < index:
            pos = self._content_start(layout.lines[first])
        self._read.update(range(first, index + 1))
        start = pos
        for part in _BETWEEN_SEMICOLONS_RE.finditer(self.text[pos:line.end]):
            start = pos + part.start()
            found = self._list(start, pos + part.end(), _skip_blank(self.text, start, line.end),
                               False)
            if found.bodies:
                self._add(found.bodies, [], self.doc.locator.path_at(line.start))

    def _attribution(self, line: Line) -> None:
        start, end = self._paragraph(line, wrapped=True)
        folded = self._folded(start, end)
        if "thuc hien" not in folded:
            return
        for dash in _cues().attribution.finditer(folded):
            found = self._list(start, end, start + dash.end(), False)
            if found.bodies and _cues().performs.match(folded[found.end - start:]):
                task = self.text[self._content_start(line):start + dash.start()]
                task = " ".join(task.split()).strip(_TASK_TRIM)
                self._add(found.bodies, [task] if task else [],
                          self.doc.locator.path_at(line.start))
                # The line it ran on into is read with it.
                self._read.add(self.doc.layout.line_index(end - 1))
                return

    # --- tables ----------------------------------------------------------------------------

    def tables(self) -> None:
        """The lead column of assignment tables ("Cơ quan chủ trì", "Chủ trì thực hiện"),
        with the row's task and its coordinators."""
        header: tuple[int, int | None, int | None, int] | None = None
        for line in self.doc.layout.lines:
            if line.kind != "row" or line.zone not in _CONTENT:
                header = None
                continue
            cells = [self._folded(s, e).strip(" *") for s, e in line.cells]
            columns = _columns(cells)
            if columns is not None:
                header = (*columns, len(cells))
                continue
            if header is None:
                continue
            lead, task, coordinates, width = header
            if len(line.cells) != width:
                continue
            self._row(line, lead, task, coordinates)

    def _row(self, line: Line, lead: int, task: int | None, coordinates: int | None) -> None:
        start, end = line.cells[lead]
        found = self._list(start, end, _skip_blank(self.text, start, end), False)
        if not found.bodies:
            return
        tasks = []
        if task is not None:
            s, e = line.cells[task]
            tasks = [" ".join(self.text[s:e].split())]
        partners: list[str] = []
        if coordinates is not None:
            s, e = line.cells[coordinates]
            partners = [b.canonical for b in
                        self._list(s, e, _skip_blank(self.text, s, e), False).bodies]
        for assignment in self._add(found.bodies, [t for t in tasks if t],
                                    self.doc.locator.path_at(line.start)):
            assignment.coordinates = partners

    # --- recipients -------------------------------------------------------------------------

    def recipients(self) -> None:
        """Nơi nhận lines that carry a task of their own in parentheses ("- Trung tâm Dịch
        vụ tổng hợp phường (đăng tải thông báo này …)"); other notes ("để báo cáo") are only
        why the body receives the document."""
        layout = self.doc.layout
        text = self.doc.text
        groups: list[list[Line]] = []
        for line in layout.lines:
            if line.role != "recipients":
                continue
            if line.kind == "bullet" or not groups:
                groups.append([line])
            else:
                groups[-1].append(line)
        for group in groups:
            start, end = group[0].start, group[-1].end
            found = self._list(start, end, self._content_start(group[0], text), False, text)
            if not found.bodies:
                continue
            note = _NOTE_RE.match(text, found.bodies[-1].end, end)
            # A task is a verb phrase ("đăng tải …"); "(Văn phòng Chính phủ)" names a parent.
            if note is None or not note.group(1).lstrip()[:1].islower() or \
                    _cues().receipt.match(fold(note.group(1)).strip()):
                continue
            self._add(found.bodies, [" ".join(note.group(1).split())], "")

    # --- helpers ---------------------------------------------------------------------------

    def _content_start(self, line: Line, text: str | None = None) -> int:
        """Where a line's words start: after a heading's number or a bullet's mark."""
        if line.kind == "heading" and line.title_start:
            return line.title_start
        if line.kind == "bullet":
            mark = layout_cues().bullet.match((text or self.text)[line.start:line.end])
            if mark is not None:
                return line.start + int(mark.end())
        return line.start

    def _paragraph(self, line: Line, wrapped: bool = False,
                   index: int | None = None) -> tuple[int, int]:
        """A line (the ``index``-th, when the caller knows) and the lines it runs on into: a
        bold heading's bold continuation ("…, Hội Liên hiệp" / "Phụ nữ Thành phố …"), a
        heading broken after a connector, or a long line wrapped into a plain one."""
        layout = self.doc.layout
        if index is None:
            index = layout.line_index(line.start)
        end = line.end
        if index + 1 < len(layout.lines):
            nxt = layout.lines[index + 1]
            bold = line.bold and nxt.bold and nxt.kind == "text"
            follows = nxt.kind == "text" and not nxt.blank_before and line.zone == nxt.zone
            wrapped = wrapped and line.end - line.start >= _WRAPPED and follows
            # A heading broken after a connector ("2. Sở Văn hóa, Thể thao và" / "Du lịch").
            dangling = (follows and line.kind == "heading"
                        and _DANGLING_RE.search(self.text, line.start, line.end) is not None)
            if bold or wrapped or dangling:
                end = nxt.end
        return line.start, end

    def _list(self, start: int, end: int, pos: int, requested: bool,
              text: str | None = None) -> BodyList:
        """The list at ``pos`` in ``start:end`` (one line, or a line and its run-on), in
        document offsets; a subject that gives the work on ("UBND tỉnh giao …") is not
        assigned: the bodies after its verb are."""
        pos = max(pos, start)
        source = text or self.text
        if not may_open(source, pos):
            return BodyList([], pos, False, requested, False)
        key = (start, end, pos, requested, text is None)
        if key in self._lists:
            return self._lists[key]
        segment = source[start:end].replace("\n", " ")
        found = self._delegated(segment, start, end,
                                _shifted(read_list(segment, pos - start, self.names, requested),
                                         start), requested)
        self._lists[key] = found
        return found

    def _delegated(self, segment: str, start: int, end: int, found: BodyList,
                   requested: bool) -> BodyList:
        """The bodies after a delegating verb ("UBND tỉnh giao Sở Y tế …"), if one follows
        the list; else the list."""
        if found.bodies:
            verb = _cues().delegates.match(self._folded(found.end, min(end, found.end + _OPENING)))
            if verb is not None:
                # "… đề nghị X": the document can only request X.
                at = found.end + verb.end() - start
                return _shifted(read_list(segment, at, self.names, requested),
                                start, True if "nghi" in verb.group() else None)
        return found

    def _tasks(self, start: int, end: int) -> list[str]:
        tasks = []
        layout = self.doc.layout
        for line in layout.lines[layout.line_index(start) + 1:]:
            if line.start >= end:
                break
            content = self.text[line.start:line.end]
            if not content.strip():
                continue
            if _cues().closing.match(content):
                break
            tasks.append(_task(content))
        return [t for t in tasks if t]

    def _add(self, bodies: list[Body], tasks: list[str], path: str) -> list[Assignment]:
        added = [Assignment(b, [t for t in tasks if _addressed(t, b, bodies, self.names)],
                            path) for b in bodies]
        self.found.extend(added)
        return added


@lru_cache(maxsize=4096)
def _fold_word(word: str) -> str:
    return fold(word)


# A section is asked about again and again (as a part, a point, an article): its title is
# read once.
@lru_cache(maxsize=4096)
def _divides_by_title(title: str) -> bool:
    return _cues().parts.match(fold(title)) is not None


@lru_cache(maxsize=4096)
def _assigns_by_title(title: str) -> bool:
    return _cues().anywhere.match(fold(title)) is not None


def _columns(cells: list[str]) -> tuple[int, int | None, int | None] | None:
    """(lead, task, coordinates) column indices of a table's header row, or None."""
    k = _cues()
    lead = next((i for i, c in enumerate(cells) if k.table_lead.match(c)), None)
    if lead is None:
        return None
    task = next((i for i, c in enumerate(cells) if k.table_task.match(c)), None)
    partners = next((i for i, c in enumerate(cells) if k.table_coordinates.match(c)), None)
    return lead, task, partners


def _named(found: BodyList) -> list[Body]:
    """The named bodies of a list read inside a sentence, where a class runs on to the
    sentence's end ("… và các tổ chức đảng trực thuộc triển khai … như sau:")."""
    return [b for b in found.bodies if b.entry is not None or not b.plural]


def _skip_blank(text: str, start: int, end: int) -> int:
    while start < end and text[start] in " *":
        start += 1
    return start


def _shifted(found: BodyList, offset: int, requested: bool | None = None) -> BodyList:
    """A list read in a line, in document offsets (and ``requested`` set on its bodies)."""
    bodies = [b.moved(offset, requested) for b in found.bodies]
    return BodyList(bodies, found.end + offset, found.generic,
                    found.requested if requested is None else requested, found.prefixed)


def _addressed(task: str, body: Body, bodies: list[Body], context: Context) -> bool:
    """Whether a task of a shared heading is for ``body``: all of them, unless the task
    opens by naming some of the heading's bodies ("- Đề nghị Hội Liên hiệp Phụ nữ …")."""
    if len(bodies) == 1:
        return True
    opening = fold(task[:_OPENING + 12]).lstrip("-+•*– ")
    opening = opening[4:].lstrip() if opening.startswith("giao ") else opening
    opening = opening[8:].lstrip() if opening.startswith("de nghi ") else opening
    named_here = [b for b in bodies if opening.startswith(fold(b.name))]
    return not named_here or any(b.key == body.key for b in named_here)


def _task(line: str) -> str:
    mark = layout_cues().bullet.match(line)
    return (line[mark.end():] if mark else line).strip()
