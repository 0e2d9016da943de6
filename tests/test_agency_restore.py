"""Diacritics given back (agency_restore): the doctests, and the trie read as the plain
longest-phrase scan over the vocabulary's phrases reads a text."""

from __future__ import annotations

import doctest
from itertools import pairwise
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach_parser import agency_restore
from kehoach_parser.agency_restore import _INSIDE, _LONGEST, _WORD_RE, _vocabulary, restore
from kehoach_parser.layout import fold


def test_doctests() -> None:
    assert doctest.testmod(agency_restore).failed == 0


def _phrases() -> dict[tuple[str, ...], tuple[str, ...]]:
    """The trie's phrases, flat: folded words → as written."""
    flat: dict[tuple[str, ...], tuple[str, ...]] = {}
    stack: list[tuple[tuple[str, ...], Any]] = [((), _vocabulary()[0])]
    while stack:
        key, level = stack.pop()
        for word, (written, below) in level.items():
            flat[(*key, word)] = written
            stack.append(((*key, word), below))
    return flat


def _plain(text: str) -> list[tuple[int, tuple[str, ...]]]:
    """Where each phrase a plain scan restores starts (word index) and its words: the
    longest phrase from each known word, its tuple of words looked up at each step."""
    phrases, (_, known, ambiguous) = _phrases(), _vocabulary()
    words = [m.span() for m in _WORD_RE.finditer(text)]
    keys = [fold(text[s:e]).lower() for s, e in words]
    joins = [text[a[1]:b[0]] in _INSIDE for a, b in pairwise(words)]
    out: list[tuple[int, tuple[str, ...]]] = []
    i = 0
    while i < len(words):
        n, written = 0, None
        while (keys[i] in known and n < _LONGEST and i + n < len(words)
               and (n == 0 or joins[i + n - 1])
               and (longer := phrases.get(tuple(keys[i:i + n + 1]))) is not None):
            n, written = n + 1, longer
        if written is None or (n == 1 and keys[i] in ambiguous):
            i += 1
            continue
        out.append((i, written))
        i += n
    return out


def _changed(text: str) -> set[int]:
    """The indexes of the words ``restore`` changed."""
    restored = restore(text)
    spans = [m.span() for m in _WORD_RE.finditer(text)]
    return {i for i, (s, e) in enumerate(spans) if text[s:e] != restored[s:e]}


# Whole phrases (so that phrases run on and overlap), single words and words of none.
_WORDS = [*(" ".join(key) for key in sorted(_phrases())[::25]), "xyz", "abc", "so", "cac"]


@settings(max_examples=200)
@given(st.lists(st.tuples(st.sampled_from(_WORDS),
                          st.sampled_from([" ", ", ", "\n", ". ", " - "])),
                min_size=1, max_size=30))
def test_the_trie_reads_as_the_plain_scan(parts: list[tuple[str, str]]) -> None:
    text = "".join(w + sep for w, sep in parts)
    printed = [text[s:e] for s, e in (m.span() for m in _WORD_RE.finditer(text))]
    expected = {i + k for i, written in _plain(text) for k, word in enumerate(written)
                if len(word) == len(printed[i + k]) and word != printed[i + k]}
    assert _changed(text) == expected
