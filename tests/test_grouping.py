"""Targets grouped by what they measure (``grouping.group_targets``): written plans of known
alignment with near misses that must stay apart, the rules of a group, the blocking that
never compares every target with every other yet misses no alike pair, the Dask engine, and
the bundled catalogue as the truth on the seed plans."""

from __future__ import annotations

from functools import cache
from itertools import combinations
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import load_cases
from kehoach_parser.grouping import _Class, _edges, _postings, alike, group_targets
from kehoach_parser.measures import measure_of
from kehoach_parser.models import (
    DateParts,
    Locality,
    Mention,
    Metadata,
    PlanDocument,
    Section,
    Source,
    Target,
)
from kehoach_parser.plan_targets import read_targets

CASES = load_cases("compare_groups.toml")


def build(entry: dict[str, Any]) -> PlanDocument:
    """A PlanDocument of a ``[[plans]]`` entry: its targets with their subjects, clauses and
    (when the schema has ``Target.year``) years, one line each."""
    text = "\n".join(t["text"] for t in entry["targets"])
    targets, offset = [], 0
    for target in entry["targets"]:
        span = (offset, offset + len(target["text"]))
        offset = span[1] + 1
        year = {"year": target.get("year")} if "year" in Target.model_fields else {}
        targets.append(Target(
            text=target["text"], value=target["value"], value_max=target.get("value_max"),
            unit=target["unit"], period=target.get("period"), comparator=target["comparator"],
            subject=target["subject"], section_path="I", span=span,
            mentions=[Mention(span=span, raw=target["text"])], **year))
    return PlanDocument(
        parser_version="test", source=Source(path=entry["name"], format="text",
                                             sha256="0" * 64),
        text=text,
        metadata=Metadata(doc_type="KH", title=entry["title"], plan_year=entry["plan_year"],
                          date=DateParts(year=entry["plan_year"] - 1),
                          locality=Locality(name=entry["locality"], level=entry["level"],
                                            parent=entry.get("parent"))),
        sections=[Section(number="I", path="I", level=1, title="MỤC TIÊU", kinds=["targets"],
                          span=(0, len(text)), heading_span=(0, 0))],
        targets=targets,
    )


@cache
def plans() -> tuple[PlanDocument, ...]:
    return tuple(build(entry) for entry in CASES["plans"])


def _measures() -> dict[tuple[str, int], str]:
    """(document, span start) -> the measure the case file names."""
    found = {}
    for entry, plan in zip(CASES["plans"], plans(), strict=True):
        for written, target in zip(entry["targets"], plan.targets, strict=True):
            found[(entry["name"], target.span[0])] = written["measure"]
    return found


def _grouped(min_localities: int = 1) -> tuple[list[dict[str, Any]], dict[tuple[str, int], str]]:
    records = read_targets(plans())
    group_of = {}
    for group in group_targets(records, min_localities=min_localities):
        for i in group.members:
            group_of[(records[i]["document"], records[i]["span_start"])] = group.id
    return records, group_of


def test_targets_line_up_as_written_and_near_misses_stay_apart() -> None:
    measures = _measures()
    _, group_of = _grouped()
    assert set(group_of) == set(measures)
    for a, b in combinations(measures, 2):
        same_measure, same_group = measures[a] == measures[b], group_of[a] == group_of[b]
        assert same_measure == same_group, (a, measures[a], b, measures[b])


def test_groups_have_readable_labels_scores_and_years() -> None:
    records = read_targets(plans())
    groups = group_targets(records, min_localities=2)
    drug_free = next(g for g in groups if "không" in g.label and "ma túy" in g.label)
    assert drug_free.label == "Xã, phường không có ma túy"  # the commonest wording
    assert drug_free.year == 2030 and drug_free.family == "percent"
    assert 0.5 < drug_free.score <= 1
    assert drug_free.id == "xa_phuong_khong_co_ma_tuy_2030"
    years = sorted(g.year or 0 for g in groups if g.label.endswith("nông thôn mới"))
    assert years == [2026, 2030]
    budget = next(g for g in groups if g.label.lower() == "thu ngân sách nhà nước"
                  and g.family == "đồng")
    assert len(budget.members) == 3  # "tỷ đồng" and "nghìn tỷ đồng" are one family


def test_min_localities_leaves_out_what_one_locality_sets() -> None:
    _, everything = _grouped(1)
    _, shared = _grouped(2)
    left_out = set(everything) - set(shared)
    assert {_measures()[key] for key in left_out} == {"public_rehab_centres"}


def test_a_group_holds_one_commitment_per_document() -> None:
    """Two targets of one document in one group are restatements (same comparator and
    value); a plan setting two levels of one wording splits them."""
    records = read_targets(plans())
    twice = [*records, records[0] | {"value": 99.0, "span_start": 9999}]
    for group in group_targets(twice):
        said: dict[str, set[tuple[Any, ...]]] = {}
        for i in group.members:
            r = twice[i]
            said.setdefault(r["document"], set()).add((r["comparator"], r["value"]))
        assert all(len(commitments) == 1 for commitments in said.values()), group


NEAR_MISSES = [
    ("xã, phường không có ma túy", "người nghiện được cai nghiện"),
    ("tỷ lệ xã không ma túy", "tỷ lệ người nghiện được cai nghiện"),
    ("người bị bạo lực gia đình", "người gây bạo lực gia đình"),
    ("hộ nghèo", "hộ cận nghèo"),
    ("người lao động tại các khu công nghiệp", "người lao động tại các cơ sở kinh doanh dịch vụ"),
    ("trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi",
     "trẻ em dưới 5 tuổi suy dinh dưỡng thể nhẹ cân"),
]
ALIKE = [
    ("xã, phường, thị trấn không có ma túy", "xã, phường, đặc khu không ma túy"),
    ("hồ sơ dịch vụ công trực tuyến toàn trình", "hồ sơ trực tuyến toàn trình"),
    ("người lao động tại các khu công nghiệp",
     "người lao động tại các khu công nghiệp, khu chế xuất"),
    ("trường học đạt chuẩn quốc gia", "trường học đạt chuần quốc gia"),  # one letter off
    ("doanh nghiệp tại tỉnh Nghệ An", "doanh nghiệp trên địa bàn"),
]


@pytest.mark.parametrize(("a", "b"), NEAR_MISSES)
def test_near_misses_are_not_alike(a: str, b: str) -> None:
    assert alike(measure_of(a).tokens, measure_of(b).tokens) == 0


@pytest.mark.parametrize(("a", "b"), ALIKE)
def test_rewordings_are_alike(a: str, b: str) -> None:
    assert alike(measure_of(a).tokens, measure_of(b).tokens) > 0.6


# No two of them one edit apart ("dong"/"cong" would be a typo of each other, which the
# blocking finds only through the typo index, not through a shared syllable).
SYLLABLES = ["nguoi", "lao", "duong", "khu", "cong", "nghiep", "xa", "thuoc", "tuy", "gia",
             "ngheo", "can", "tre", "em", "truong", "hoc", "dat", "chuan", "phong", "luc"]


def test_the_sample_syllables_are_no_typos_of_each_other() -> None:
    from rapidfuzz.distance import Levenshtein

    assert not [(a, b) for a, b in combinations(SYLLABLES, 2) if Levenshtein.distance(a, b) < 2]
WORDINGS = st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=7).map(tuple)


@given(st.lists(st.tuples(st.sampled_from(["percent", "count"]), WORDINGS,
                          st.sampled_from([None, 2026, 2030])), max_size=40))
@settings(max_examples=150, deadline=None)
def test_blocking_misses_no_alike_pair(found: list[tuple[str, tuple[str, ...], int | None]]
                                       ) -> None:
    """The blocked comparisons find every pair the rules call alike: all pairs, compared
    one by one, give the same edges (the syllables have no one-letter typos of each other)."""
    classes = [_Class(family, tokens, year) for family, tokens, year in dict.fromkeys(found)]
    blocked = {(i, j) for _, i, j in _edges(range(len(classes)), classes, _postings(classes))}

    def comparable(a: _Class, b: _Class) -> bool:
        return a.family == b.family and (a.year is None or b.year is None or a.year == b.year)

    everything = {
        (i, j) if (len(classes[i].tokens), i) < (len(classes[j].tokens), j) else (j, i)
        for i, j in combinations(range(len(classes)), 2)
        if comparable(classes[i], classes[j]) and alike(classes[i].tokens, classes[j].tokens)}
    assert blocked == everything


@given(WORDINGS, WORDINGS)
def test_alike_is_symmetric(a: tuple[str, ...], b: tuple[str, ...]) -> None:
    assert alike(a, b) == alike(b, a)


@pytest.mark.slow  # a Dask cluster in the process
def test_dask_engine_gives_the_same_groups() -> None:
    from distributed import LocalCluster

    records = read_targets(plans())
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,  # type: ignore[no-untyped-call]
                      dashboard_address=None) as cluster:
        remote = group_targets(records, engine="dask", scheduler=cluster.scheduler_address)
    assert remote == group_targets(records)


@pytest.mark.slow  # parses the seed plans
def test_the_catalogue_alignment_is_found_again_without_it(
        corpus_documents: dict[str, PlanDocument]) -> None:
    """On the seed plans the bundled catalogue is the truth: grouped without it, their
    catalogued targets line up by indicator. No group mixes two indicators, and most of the
    indicators that two plans set come out as one group."""
    plans_only = [d for d in corpus_documents.values() if d.metadata.doc_type == "KH"]
    records = [r for r in read_targets(plans_only) if r["indicator"]]
    truth = [r["indicator"] for r in records]
    groups = group_targets([r | {"indicator": None} for r in records], min_localities=2)
    for group in groups:
        assert len({truth[i] for i in group.members}) == 1, [records[i]["text"]
                                                              for i in group.members]
    shared = {i for i in set(truth)
              if len({r["document"] for r, t in zip(records, truth, strict=True) if t == i}) > 1}
    found = {truth[g.members[0]] for g in groups}
    assert len(found & shared) >= 0.6 * len(shared), (sorted(found), sorted(shared))
