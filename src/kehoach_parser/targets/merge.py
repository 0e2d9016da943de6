"""One entry per commitment: a restatement (in a task, in an appendix table) becomes a mention
of the first statement."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz

from ..models import Target

# Subjects this similar (rapidfuzz token sort ratio: extra words count against) and statements
# (the target's own words, its predicate included: "100% cơ quan thực hiện đúng quy định về
# tài sản công" is not "100% cơ quan thực hiện các kiến nghị sau thanh tra") this similar
# state one commitment.
_SAME_SUBJECT = 85
_SAME_STATEMENT = 85
# How many earlier targets of the same value, unit and period a target is compared with: a
# document stating thousands of them stays linear.
_COMPARED = 64


def _same(a: Target, a_words: str, b: Target, b_words: str) -> bool:
    """Do two targets state one commitment (a restatement)? A restatement stands in another
    part of the plan (a task, an appendix): two items of one part are two commitments, even
    in the same words ("…, tốc độ tăng bình quân 10 - 12%/năm" for two products)."""
    if a.section_path == b.section_path:
        return False
    return ((a.indicator is None or b.indicator is None or a.indicator == b.indicator)
            and (a.scope is None or b.scope is None or a.scope == b.scope)
            and fuzz.token_sort_ratio(a.subject.lower(), b.subject.lower()) >= _SAME_SUBJECT
            and fuzz.token_set_ratio(a_words.lower(), b_words.lower()) >= _SAME_STATEMENT)


def merge(found: Iterable[tuple[Target, str]]) -> list[Target]:
    """The targets, restatements merged: each pair is a target and its statement."""
    merged: list[Target] = []
    # Only targets of one value, unit and period can be one commitment: comparing within
    # those groups keeps merging near linear on long documents.
    groups: dict[tuple[object, ...], list[tuple[Target, str]]] = {}
    for target, words in found:
        key = (target.value, target.value_max, target.unit, target.period)
        group = groups.setdefault(key, [])
        first = next((m for m, m_words in group[-_COMPARED:] if _same(m, m_words, target, words)),
                     None)
        if first is None:
            merged.append(target)
            group.append((target, words))
        else:
            first.mentions.extend(target.mentions)
    return merged
