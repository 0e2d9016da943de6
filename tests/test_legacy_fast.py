"""The legacy-encoding checks settle text full of Vietnamese marks before counting its
letters (there are never more letters than characters), and text full of the most frequent
marked letters before any pattern pass: the same verdicts as counting everything first, on
texts mixing marked letters, TCVN3 and VNI mojibake, plain letters and symbols."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach_parser.loaders import legacy

_PIECES = ["Ủy ban nhân dân ", "CỘNG HÒA ", "Uû ban nh©n d©n ", "UÛy ban nhaân daân ",
           "UY BAN NHAN DAN ", "ke hoach ", "2026 ", "© ", "ñ ", "đ", "ư", " ", "-- ", "\n"]
_MIXED = st.lists(st.sampled_from(_PIECES), max_size=400).map("".join)
# Plain text with a few marked pieces: around the thresholds of both checks.
_FEW_MARKS = st.builds(lambda plain, n, marked, m: plain * n + marked * m,
                       st.sampled_from(["UY BAN NHAN DAN ", "ke hoach 2026 ", "Noi dung -- "]),
                       st.integers(0, 120), st.sampled_from(["đ", "ư ", "Ủy ", "© ", "ñ "]),
                       st.integers(0, 30))
# Plain text with a few of the letters counted without a pattern, and of others: around
# the floor those counts must pass.
_FEW_FREQUENT = st.builds(lambda plain, n, pieces: plain * n + "".join(pieces),
                          st.sampled_from(["ke hoach ", "UY BAN NHAN DAN ", "Uû ban "]),
                          st.integers(0, 80),
                          st.lists(st.sampled_from([*legacy._FREQUENT_MARKED, "ả", "Ư", "é",
                                                    "©", "ñ", " "]), max_size=60))
_TEXTS = st.one_of(_MIXED, _FEW_MARKS, _FEW_FREQUENT)


def _detect_counted(text: str) -> str | None:
    """``legacy.detect`` with the letters counted first."""
    sample = text[:legacy._SAMPLE]
    letters = legacy._count_letters(sample) or 1
    beyond = len(sample) - len(legacy._BEYOND_LATIN1.sub("", sample))
    if beyond > legacy._MIN_SIGNATURE_SHARE * letters:
        return None
    tcvn3, vni = (len(legacy._table(e).signature.findall(sample)) for e in legacy.ENCODINGS)
    hits = tcvn3 + vni
    if hits < legacy._MIN_SIGNATURE or hits < legacy._MIN_SIGNATURE_SHARE * letters:
        return None
    return "tcvn3" if tcvn3 >= max(1, vni * legacy._TCVN3_SHARE_OF_VNI) else "vni"


def _lacks_counted(text: str) -> bool:
    """``legacy.lacks_diacritics`` with the letters counted first."""
    sample = text[:legacy._SAMPLE]
    letters = legacy._count_letters(sample)
    if letters < legacy._NO_DIACRITICS_MIN_LETTERS:
        return False
    marked = len(sample) - len(legacy._VIETNAMESE_MARKED.sub("", sample))
    return marked < legacy._NO_DIACRITICS_SHARE * letters


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_verdicts_equal_counting_the_letters_first(text: str) -> None:
    assert legacy.detect(text) == _detect_counted(text)
    assert legacy.lacks_diacritics(text) == _lacks_counted(text)


def test_the_letters_counted_without_a_pattern_are_a_floor_under_both_counts() -> None:
    """Each is a marked letter beyond latin-1, and none is counted twice."""
    letters = legacy._FREQUENT_MARKED
    assert len(set(letters)) == len(letters)
    assert legacy._BEYOND_LATIN1.sub("", letters) == ""
    assert legacy._VIETNAMESE_MARKED.sub("", letters) == ""


def test_both_verdicts_are_reached() -> None:
    """The examples above can tell the two paths apart: each verdict occurs."""
    assert legacy.detect("Uû ban nh©n d©n " * 40) == "tcvn3"
    assert legacy.detect("UÛy ban nhaân daân " * 40) == "vni"
    assert legacy.detect("Ủy ban nhân dân " * 40) is None
    assert legacy.lacks_diacritics("UY BAN NHAN DAN " * 40)
    assert not legacy.lacks_diacritics("Ủy ban nhân dân " * 40)
