"""Gom nhóm chỉ tiêu (grouping targets): targets of different plans that measure the same
thing, found without a catalogue.

``group_targets(targets)`` lines up targets (store rows, as mappings) in groups, each an
inferred indicator. Two targets are in one group when

- they are measured alike: the same unit family (``measures.family_of``: "tỷ đồng" and
  "nghìn tỷ đồng" are both money, a change "tăng 3%" is not a level "đạt 3%");
- they measure the same thing (``measures.measure_of``): after the words of quantity, time
  and place are taken out, one wording is the other, or the other with words added after
  its own, keeping most of its word pairs, written in order (a typo of one letter in a long
  syllable aside) — and never one word replaced by another ("người **bị** bạo lực" and
  "người **gây** bạo lực" stay apart, and so do "hộ nghèo" and "hộ **cận** nghèo");
- their years agree where both state one;
- every pair of their wordings is alike (complete linkage: a short wording alike to two
  longer ones that differ between them joins one of them, not both);
- no document has two targets in the group that say different things (a plan that sets
  "xã đạt chuẩn nông thôn mới" and "xã đạt chuẩn nông thôn mới nâng cao" shows that they
  are two measures).

Nothing compares every target with every other: identical wordings are one class, and a
class is compared only with the classes of its unit family that share the rarest of its
word pairs (enough of them that no alike class is missed: an alike class holds most of its
pairs; a syllable one letter off breaks the pairs it is in, so two short wordings that differ
only by such a typo share no block and stay apart). With ``engine="dask"`` the measures and
the comparisons run on a Dask cluster.

>>> alike(("nguoi", "bi", "bao", "luc", "gia", "dinh"), ("nguoi", "gay", "bao", "luc", "gia",
...       "dinh"))
0.0
>>> alike(("ho", "so", "truc", "tuyen", "toan", "trinh"),
...       ("ho", "so", "dich", "vu", "cong", "truc", "tuyen", "toan", "trinh")) > 0.7
True
"""

from __future__ import annotations

import math
import pickle
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any, Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .layout import fold
from .measures import family_of, measure_of, target_year

# The shorter of two alike wordings keeps at least this share of its word pairs in the
# longer, and has at least this share of its syllables.
MIN_PAIRS = 0.6
MIN_COVERAGE = 0.5
# A syllable this long may differ by one letter (OCR, typing): "chuần" for "chuẩn".
_TYPO_LENGTH = 4
_ID_SYLLABLES = 8
_CHUNK = 2000  # targets per Dask task
_MEASURED = ("subject", "text", "unit", "comparator", "value", "value_max", "period",
             "plan_year", "target_year")
Engine = Literal["local", "dask"]
Commitment = tuple[str, float, float | None]  # comparator, value, value_max (one scale)


def alike(a: Sequence[str], b: Sequence[str]) -> float:
    """How alike two wordings (measure tokens) are, 0 when they measure different things,
    else the rapidfuzz token sort ratio (0-1]."""
    if tuple(a) == tuple(b):
        return 1.0
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 2 or len(short) < MIN_COVERAGE * len(long):
        return 0.0
    known = set(long)
    mapped = []
    for token in short:
        if token not in known:  # the first syllable one letter off, in order (not by hash)
            token = next((t for t in long if min(len(t), len(token)) >= _TYPO_LENGTH
                          and Levenshtein.distance(t, token) <= 1), "")
            if not token:
                return 0.0  # a word replaced by another
        mapped.append(token)
    if len(short) < len(long) and not _in_order(mapped, long):
        return 0.0
    if len(short) == len(long) and sorted(mapped) != sorted(long):
        return 0.0
    pairs = _pairs(mapped)
    if len(pairs & _pairs(long)) < MIN_PAIRS * len(pairs):
        return 0.0
    return fuzz.token_sort_ratio(" ".join(a), " ".join(b)) / 100


def _in_order(short: Sequence[str], long: Sequence[str]) -> bool:
    rest = iter(long)
    return all(token in rest for token in short)


def _pairs(tokens: Sequence[str]) -> set[tuple[str, str]]:
    return set(pairwise(tokens))


@dataclass(frozen=True)
class Group:
    """Một chỉ tiêu suy ra (an inferred indicator): targets of different plans that measure
    the same thing."""

    id: str
    label: str  # the most common wording, first letter capitalized
    family: str  # what it is measured in ("percent", "change percent", "đồng" …)
    year: int | None  # the year its members state, if any does
    score: float  # how alike its wordings are: the mean over their pairs, 1 for one wording
    members: tuple[int, ...]  # indices of the targets given to group_targets
    wordings: tuple[tuple[str, ...], ...]  # the parts of each distinct wording, commonest first


@dataclass
class _Class:
    """Targets of one family and year that read the same once measured."""

    family: str
    tokens: tuple[str, ...]
    year: int | None
    members: list[int] = field(default_factory=list)
    docs: dict[str, Commitment] = field(default_factory=dict)


@dataclass
class _Cluster:
    classes: list[int]
    years: set[int]
    docs: dict[str, Commitment]


def _measured(chunk: Sequence[Mapping[str, Any]]
              ) -> list[tuple[str, tuple[str, ...], int | None, Commitment, str, tuple[str, ...]]
                        | None]:
    """(family, tokens, year, commitment, wording, parts) of each target, or None for one that
    cannot be lined up (a frequency of unknown period, nothing left of its words)."""
    out: list[Any] = []
    for record in chunk:
        family = family_of(record["unit"], record["comparator"], record["period"])
        measure = measure_of(record["subject"] or "", record["text"] or "")
        if family is None or not measure.tokens:
            out.append(None)
            continue
        name, factor = family
        value_max = record["value_max"]
        commitment = (record["comparator"], float(record["value"]) * factor,
                      None if value_max is None else float(value_max) * factor)
        # An annual plan's targets are for its own year; that year is no horizon, or the
        # same measure in the plans of two years would never line up.
        year = target_year(record, measure)
        out.append((name, measure.tokens, None if year == record.get("plan_year") else year,
                    commitment, measure.wording, measure.parts))
    return out


def _classes(targets: Sequence[Mapping[str, Any]], measured: Iterable[Any]
             ) -> tuple[list[_Class], dict[int, tuple[str, tuple[str, ...]]]]:
    """The classes of identical measures; a document's second, different target of a class
    (two things said in one wording) opens a class of its own. Also each member's wording."""
    classes: list[_Class] = []
    index: dict[tuple[Any, ...], list[int]] = {}
    wording: dict[int, tuple[str, tuple[str, ...]]] = {}
    for number, found in enumerate(measured):
        if found is None:
            continue
        family, tokens, year, commitment, words, parts = found
        document = str(targets[number]["document"])
        siblings = index.setdefault((family, tokens, year), [])
        home = next((c for c in siblings if classes[c].docs.get(document, commitment)
                     == commitment), None)
        if home is None:
            home = len(classes)
            classes.append(_Class(family, tokens, year))
            siblings.append(home)
        classes[home].members.append(number)
        classes[home].docs[document] = commitment
        wording[number] = (words, parts)
    return classes, wording


def _postings(classes: Sequence[_Class]) -> dict[tuple[str, Any], list[int]]:
    """Blocks: the classes of a family holding each word pair (one-word classes: the word)."""
    postings: dict[tuple[str, Any], list[int]] = {}
    for number, cls in enumerate(classes):
        for key in _keys(cls.tokens):
            postings.setdefault((cls.family, key), []).append(number)
    return postings


def _keys(tokens: tuple[str, ...]) -> list[Any]:
    return sorted(_pairs(tokens)) if len(tokens) > 1 else [tokens]


def _candidates(number: int, cls: _Class, postings: Mapping[tuple[str, Any], list[int]]
                ) -> set[int]:
    """Classes that may be alike to ``cls`` and not shorter: those holding one of its
    rarest pairs, enough of them that a class holding ``MIN_PAIRS`` of its pairs holds one."""
    keys = sorted(_keys(cls.tokens), key=lambda k: (len(postings[(cls.family, k)]), k))
    needed = len(keys) - math.ceil(MIN_PAIRS * len(keys)) + 1
    found: set[int] = set()
    for key in keys[:max(needed, 1)]:
        found.update(postings[(cls.family, key)])
    found.discard(number)
    return found


def _edges(shard: Sequence[int], classes: Sequence[_Class],
           postings: Mapping[tuple[str, Any], list[int]]) -> list[tuple[float, int, int]]:
    """(score, i, j) of the alike pairs with i in ``shard``, each pair once."""
    out = []
    for i in shard:
        cls = classes[i]
        for j in _candidates(i, cls, postings):
            other = classes[j]
            if len(other.tokens) < len(cls.tokens) or (
                    len(other.tokens) == len(cls.tokens) and j < i):
                continue  # the pair is found from the shorter one (or the first of two)
            if cls.year is not None and other.year is not None and cls.year != other.year:
                continue
            score = alike(cls.tokens, other.tokens)
            if score > 0:
                out.append((score, i, j))
    return out


def _agree(a: _Cluster, b: _Cluster) -> bool:
    """Could two clusters be one: at most one year between them, and no document saying two
    different things in them."""
    if len(a.years | b.years) > 1:
        return False
    small, large = sorted((a.docs, b.docs), key=len)
    return all(large.get(doc, said) == said for doc, said in small.items())


def _cluster(classes: Sequence[_Class], edges: Iterable[tuple[float, int, int]]
             ) -> list[list[int]]:
    """Complete linkage over the alike pairs, the most alike first."""
    clusters = {i: _Cluster([i], {c.year} - {None}, dict(c.docs))  # type: ignore[arg-type]
                for i, c in enumerate(classes)}
    home = list(range(len(classes)))
    memo: dict[tuple[int, int], bool] = {}

    def linked(x: int, y: int) -> bool:
        key = (x, y) if x < y else (y, x)
        if key not in memo:
            memo[key] = alike(classes[x].tokens, classes[y].tokens) > 0
        return memo[key]

    size = {i: len(c.members) for i, c in enumerate(classes)}
    for _, i, j in sorted(edges, key=lambda e: (-e[0], -(size[e[1]] + size[e[2]]), e[1], e[2])):
        a, b = home[i], home[j]
        if a == b or not _agree(clusters[a], clusters[b]):
            continue
        if not all(linked(x, y) for x in clusters[a].classes for y in clusters[b].classes):
            continue
        if len(clusters[a].classes) < len(clusters[b].classes):
            a, b = b, a
        merged, gone = clusters[a], clusters.pop(b)
        merged.classes += gone.classes
        merged.years |= gone.years
        merged.docs.update(gone.docs)
        for x in gone.classes:
            home[x] = a
    return [c.classes for c in clusters.values()]


def _slug(label: str) -> str:
    words = "".join(ch if ch.isalnum() else " " for ch in fold(label)).split()
    return "_".join(words[:_ID_SYLLABLES]) or "indicator"


def _group(members: list[int], classes: Sequence[_Class], numbers: list[int],
           wording: Mapping[int, tuple[str, tuple[str, ...]]], taken: set[str],
           targets: Sequence[Mapping[str, Any]]) -> Group:
    counts = Counter(wording[m][0] for m in members)
    label = min(counts, key=lambda w: (-counts[w], len(w), w))
    parts = Counter(wording[m][1] for m in members)
    years = {classes[c].year for c in numbers} - {None}
    if not years:  # no horizon: the one year its members' plans are for, if they agree
        years = {targets[m].get("target_year") for m in members}
    year = next(iter(years)) if len(years) == 1 else None
    family = classes[numbers[0]].family
    base = (_slug(label) + ("_change" if family.startswith("change ") else "")
            + (f"_{year}" if year else ""))
    ident, n = base, 1
    while ident in taken:
        n += 1
        ident = f"{base}_{n}"
    taken.add(ident)
    distinct = list({classes[c].tokens for c in numbers})
    pairs = [alike(x, y) for i, x in enumerate(distinct) for y in distinct[i + 1:]]
    return Group(
        id=ident, label=label[:1].upper() + label[1:], family=family,
        year=year, score=round(sum(pairs) / len(pairs), 3) if pairs else 1.0,
        members=tuple(sorted(members)),
        wordings=tuple(sorted(parts, key=lambda p: (-parts[p], p))),
    )


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _localities(targets: Sequence[Mapping[str, Any]], members: Iterable[int]) -> int:
    return len({(_place(targets[m]["locality"]), targets[m]["level"]) for m in members})


@lru_cache(maxsize=1 << 16)
def _place(name: str | None) -> str:
    return " ".join(fold(name or "").split())


def group_targets(targets: Sequence[Mapping[str, Any]], *, min_localities: int = 1,
                  taken: Iterable[str] = (), engine: Engine = "local",
                  scheduler: str | None = None) -> list[Group]:
    """Gom nhóm (group) targets that measure the same thing: the inferred indicators set by
    at least ``min_localities`` localities, each with the indices of its targets, the
    largest first; ids are not among ``taken`` (a catalogue's).

    A target is a mapping with the store's ``targets`` columns (``document``, ``locality``,
    ``level``, ``subject``, ``text``, ``unit``, ``comparator``, ``value``, ``value_max``,
    ``period``, ``plan_year``, ``target_year``). ``engine="dask"`` with a ``scheduler``
    address measures and compares on a Dask cluster.
    """
    if engine == "dask":
        if not scheduler:
            raise ValueError("the dask engine needs a scheduler address")
        classes, wording, edges = _on_dask(targets, scheduler)
    else:
        classes, wording = _classes(targets, _measured(targets))
        postings = _postings(classes)
        edges = _edges(range(len(classes)), classes, postings)
    used = set(taken)
    clusters = sorted(_cluster(classes, edges),
                      key=lambda c: (-sum(len(classes[i].members) for i in c), min(c)))
    members = [[m for i in numbers for m in classes[i].members] for numbers in clusters]
    return [_group(found, classes, numbers, wording, used, targets)
            for found, numbers in zip(members, clusters, strict=True)
            if _localities(targets, found) >= min_localities]


def _measured_task(chunk: bytes) -> bytes:
    """``_measured`` as a Dask task. Pickled both ways: distributed ships one bytes object
    much faster than it walks a list of thousands of small ones (10x for 100,000 targets)."""
    return pickle.dumps(_measured(pickle.loads(chunk)))


def _edges_task(shard: range, blocks: bytes) -> bytes:
    classes, postings = pickle.loads(blocks)
    return pickle.dumps(_edges(shard, classes, postings))


def _on_dask(targets: Sequence[Mapping[str, Any]], scheduler: str
             ) -> tuple[list[_Class], dict[int, tuple[str, tuple[str, ...]]],
                        list[tuple[float, int, int]]]:
    """Measures and comparisons as Dask tasks; the classes and the linkage on the client."""
    from distributed import Client

    # only what a measure needs travels
    rows = [{key: r.get(key) for key in _MEASURED} for r in targets]
    with Client(scheduler) as client:  # type: ignore[no-untyped-call]
        chunks = client.scatter([pickle.dumps(c) for c in _chunks(rows, _CHUNK)], hash=False)
        measured = [found for part in client.gather(client.map(_measured_task, chunks,
                                                               pure=False))
                    for found in pickle.loads(part)]
        classes, wording = _classes(targets, measured)
        # the comparisons need the words, not the members
        bare = [_Class(c.family, c.tokens, c.year) for c in classes]
        blocks = client.scatter(pickle.dumps((bare, _postings(classes))), broadcast=True,
                                hash=False)
        size = max(1, -(-len(classes) // (2 * max(1, len(client.nthreads())))))
        shards = [range(start, min(start + size, len(classes)))
                  for start in range(0, len(classes), size)]
        edges = [edge for part in client.gather(client.map(
            _edges_task, shards, blocks=blocks, pure=False)) for edge in pickle.loads(part)]
    return classes, wording, edges
