"""The output contract (``../shared/SPEC.md``) as pydantic v2 models.

The JSON Schema in ``schemas/`` is generated from these models (``kehoach schema``); a test
fails when the committed file is stale. Every model forbids unknown fields so that a typo
never passes silently.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, AllowInfNan, BaseModel, ConfigDict, Field

from .errors import printable

# 1.1: Target.year (the year a target is for). A minor version adds optional fields only:
# documents of 1.0 are read as they are.
SCHEMA_VERSION: Literal["1.1"] = "1.1"
# A value is a finite number: JSON has no inf or NaN (pydantic would write null).
Number = int | Annotated[float, AllowInfNan(False)]
# Written as UTF-8 JSON: a lone surrogate (a non-UTF-8 file name's byte) is escaped.
Printable = Annotated[str, AfterValidator(printable)]


def _check_span(span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    if start < 0 or end < start:
        raise ValueError(f"span [{start}, {end}) is not a valid [start, end) pair")
    return span


Span = Annotated[
    tuple[int, int],
    AfterValidator(_check_span),
    Field(description="Character offsets [start, end) into the top-level `text`."),
]

Level = Literal["central", "province", "district", "commune"]
SectionKind = Literal[
    "purpose", "requirements", "targets", "tasks", "solutions", "funding", "implementation",
    "other",
]
Comparator = Literal["eq", "gte", "gt", "lte", "lt", "range", "increase", "decrease"]
SourceFormat = Literal["text", "markdown", "pdf", "docx", "doc"]


class Model(BaseModel):
    """Base: unknown fields are an error, never silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Source(Model):
    """Where the document came from (nguồn)."""

    path: Printable | None = Field(None, description="Path of the input file; null for a string.")
    format: SourceFormat = Field(description="Input format.")
    sha256: str = Field(description="SHA-256 of the input bytes (of the UTF-8 string for text).")
    pages: int | None = Field(None, description="Number of pages (PDF), else null.")
    encoding: str | None = Field(None, description="Text encoding detected for text inputs.")
    page_starts: list[int] = Field(
        default_factory=list,
        description="Page map: offset in `text` where each page starts (page 1 first); "
        "empty when the input has no pages. The page of a span is the last entry <= its start.",
    )


class DateParts(Model):
    """A date whose parts may be blank in the document (ngày … tháng … năm …)."""

    year: int | None = Field(None, description="Year, or null when blank.")
    month: int | None = Field(None, ge=1, le=12, description="Month, or null when blank.")
    day: int | None = Field(None, ge=1, le=31, description="Day, or null when blank.")


class Locality(Model):
    """The administrative unit the document is for (địa phương)."""

    name: str | None = Field(None, description="Name without the level word: 'Dương Kinh'.")
    level: Level | None = Field(None, description="central, province, district or commune.")
    parent: str | None = Field(None, description="The unit above, for a district or commune.")


class Signer(Model):
    """Who signed (người ký)."""

    name: str | None = Field(None, description="Full name; null when absent.")
    position: str | None = Field(None, description="Position line: 'Phó Chủ tịch'.")
    capacity: str | None = Field(None, description="Authority prefix line: 'KT. Chủ tịch'.")
    on_behalf_of: str | None = Field(None, description="'TM. Ủy ban nhân dân'.")


class Metadata(Model):
    """Header, title and signature facts (thể thức văn bản)."""

    doc_type: str | None = Field(None, description="KH, CV, QĐ, NQ, BC, TB, HD, CTr …")
    number: str | None = Field(None, description="'879'; null when blank in a draft.")
    symbol: str | None = Field(None, description="Part after the number: 'UBND-VX'.")
    identifier: str | None = Field(None, description="'879/UBND-VX'; null when no number.")
    issuer: str | None = Field(None, description="'Ủy ban nhân dân tỉnh Lai Châu'.")
    place: str | None = Field(None, description="Place of the place-date line: 'Lai Châu'.")
    date: DateParts = Field(default_factory=DateParts, description="Date of issue.")
    title: str | None = Field(None, description="Subject (trích yếu), without 'V/v'.")
    plan_year: int | None = Field(None, description="The (first) year a plan is for.")
    locality: Locality = Field(default_factory=Locality, description="Locality of the issuer.")
    signer: Signer = Field(default_factory=Signer, description="Signature block.")
    recipients: list[str] = Field(default_factory=list, description="Nơi nhận / Kính gửi.")


class Section(Model):
    """A node of the section tree (phần, mục, khoản, điểm)."""

    number: str = Field(description="As printed: 'II', '3', '3.1', 'a'.")
    path: str = Field(description="Numbers from the root joined by '.': 'I.3.1'.")
    level: int = Field(ge=1, description="Depth; 1 = top-level parts (Roman numerals).")
    title: str = Field(description="Heading text, markup removed.")
    kinds: list[SectionKind] = Field(default_factory=list, description="From heading words.")
    span: Span = Field(description="From the heading to the end of the section's content.")
    heading_span: Span = Field(description="The heading line (or run-on heading) itself.")
    children: list[Section] = Field(default_factory=list, description="Sub-sections.")


class Mention(Model):
    """One place where an item is written."""

    span: Span
    raw: str = Field(description="The text as written at `span`.")


class Target(Model):
    """A quantified commitment (chỉ tiêu)."""

    text: str = Field(description="The clause that states the target.")
    value: Number = Field(description="60, 1, 3 …")
    value_max: Number | None = Field(None, description="Upper end of a range.")
    unit: str = Field(description="percent, count, per_period, or a measure as written.")
    period: str | None = Field(None, description="month, quarter, year … for per_period.")
    comparator: Comparator = Field(description="eq, gte, gt, lte, lt, range, increase, decrease.")
    subject: str = Field(description="Who or what is counted.")
    scope: str | None = Field(None, description="Administrative level the target is limited to.")
    indicator: str | None = Field(None, description="Canonical indicator id, or null.")
    year: int | None = Field(
        None, description="The year the target is for, when the plan states it ('đến năm "
        "2030', 'năm 2026', the last year of 'giai đoạn 2026 - 2030'); null otherwise.")
    section_path: str = Field(description="Path of the section that holds it.")
    span: Span
    mentions: list[Mention] = Field(default_factory=list, description="Every place it is stated.")


class Agency(Model):
    """A body assigned work in the implementation part (cơ quan thực hiện)."""

    name: str = Field(description="As written, markup removed.")
    canonical: str = Field(description="Normalized name without the locality.")
    level: Level | None = Field(None, description="central, province, district, commune.")
    requested: bool = Field(False, description="True under 'Đề nghị …'.")
    tasks: list[str] = Field(default_factory=list, description="Task items assigned to it.")
    leads: list[str] = Field(default_factory=list, description="Canonical names it leads.")
    coordinates_with: list[str] = Field(
        default_factory=list, description="Canonical names it must coordinate with."
    )
    successor: str | None = Field(None, description="Canonical successor after the 2025 reform.")
    section_path: str = Field(description="Path of the section that assigns the work.")
    span: Span = Field(description="The heading's offsets (the name as written).")


class Citation(Model):
    """A cited document (văn bản được viện dẫn), one entry per distinct document."""

    doc_type: str | None = Field(None, description="QĐ, NĐ, TT, NQ, KH, CV, CT, L, PL …")
    number: str | None = Field(None, description="'1629', '05'.")
    year: int | None = Field(None, description="Year of the identifier, else of the date.")
    symbol: str | None = Field(None, description="'QĐ-TTg', 'NĐ-CP'.")
    identifier: str | None = Field(None, description="'178/2004/NĐ-CP'; null if cited by name.")
    date: str | None = Field(None, description="ISO date '2021-09-28'.")
    issuer: str | None = Field(None, description="'Thủ tướng Chính phủ'.")
    title: str | None = Field(None, description="What it is about, when the text says it.")
    relation: Literal["basis", "reference"] = Field(
        "reference", description="basis: named in the opening Căn cứ / Thực hiện part."
    )
    mentions: list[Mention] = Field(default_factory=list, description="Every mention.")


class PlanDocument(Model):
    """A parsed document: the top level of the JSON output."""

    schema_version: Literal["1.0", "1.1"] = Field(
        SCHEMA_VERSION, description="Version of this schema (1.0 documents are read too).")
    parser_version: str = Field(description="Version of kehoach_parser that wrote it.")
    source: Source
    text: str = Field(description="Normalized text; every span points into it.")
    metadata: Metadata = Field(default_factory=Metadata)
    sections: list[Section] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    agencies: list[Agency] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    warnings: list[Printable] = Field(default_factory=list, description="Doubts; never silent.")
