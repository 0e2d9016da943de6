"""Khôi phục dấu (diacritics given back) to a text printed or recognised without them.

OCR of some scans loses every diacritic ("Giam doc So Noi vu chiu trach nhiem thi hanh").
The agency stage reads names and cues written with them, so such a text is read through a
copy where the phrases of the agency vocabulary — the registry's names, head words,
office-holders, cue words, level words and provinces, all from their data files — are
written back with their marks. A folded letter has the length of the marked one, so offsets
are those of the text; a word is restored only inside a known phrase or when its folded
form has one written form in the vocabulary ("so" may be Sở or số: left alone), and a short
head word OCR misread is given back when a known body follows it ("Sb Công Thương").

>>> restore("Giam doc So Noi vu chu tri, phoi hop voi Cong an tinh")
'Giám đốc Sở Nội vụ chủ trì, phối hợp với Công an tỉnh'
>>> restore("Sở Y tế chủ trì") == "Sở Y tế chủ trì"  # a text with its marks is left as it is
True
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from . import patterns
from .agency_registry import resolve
from .data import load
from .layout import fold
from .normalize import fold_tones

# A text is without diacritics when almost none of its characters carry one (Vietnamese text
# has a fifth of them marked; an OCR without marks, none but stray symbols).
_MARKED_SHARE = 0.05
_LONGEST = 8  # words in the longest phrase restored at once
_WORD_RE = patterns.compile(r"[\p{L}\p{M}]+")
# A capitalised word of two or three letters and the words after it on its line.
_SHORT_RE = patterns.compile(
    r"(?<!\w)(?P<token>\p{Lu}[\p{L}\d]{1,2})(?!\w)(?P<rest>(?:[ ]++\p{L}+){1,4})")
_INSIDE = frozenset([" ", ", ", " - ", "-", " – ", " & ", "&"])


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("pattern", "note", "level", "levels", "kind", "successor_from"):
                yield from _strings(item)


# Folded words → the phrase to them as written and the words that may follow (a trie: a
# phrase grows a word at a time with one lookup, no tuple of its words built at each step).
_Trie = dict[str, tuple[tuple[str, ...], "_Trie"]]


@cache
def _vocabulary() -> tuple[_Trie, frozenset[str], frozenset[str]]:
    """The folded phrases with their words as written, by word; the single words (folded);
    and those of them that are ambiguous."""
    sources = [load("agencies"), load("issuers")["levels"], load("issuers")["positions"],
               [p["name"] for p in load("provinces")["provinces"]]]
    phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
    forms: dict[str, set[str]] = {}
    for source in sources:
        for string in _strings(source):
            words = tuple(w.lower() for w in _WORD_RE.findall(fold_tones(string)))
            for n in range(1, min(_LONGEST, len(words)) + 1):
                for i in range(len(words) - n + 1):
                    gram = words[i:i + n]
                    key = tuple(fold(w) for w in gram)
                    if n == 1:
                        forms.setdefault(key[0], set()).add(gram[0])
                    phrases.setdefault(key, gram)
    ambiguous = frozenset(k for k, v in forms.items() if len(v) > 1)
    trie: _Trie = {}
    # every part of a phrase is one too: a phrase's words but its last are a node already
    for key in sorted(phrases, key=len):
        level = trie
        for word in key[:-1]:
            level = level[word][1]
        level[key[-1]] = (phrases[key], {})
    return trie, frozenset(forms), ambiguous


def _unmarked(text: str) -> bool:
    """Almost no letter carries a mark: counted in C, as the characters beyond ASCII among
    those that are not blanks (Vietnamese text: a fifth or more)."""
    size = len(text) - text.count(" ") - text.count("\n")
    beyond = len(text) - len(text.encode("ascii", "ignore"))
    return size > 0 and beyond / size < _MARKED_SHARE


def _cased(written: str, printed: str) -> str:
    if printed.isupper() and len(printed) > 1:
        return written.upper()
    if printed[:1].isupper():
        return written[:1].upper() + written[1:]
    return written


def restore(text: str) -> str:
    """The text with the agency vocabulary's marks given back, when it has none; else the
    text itself."""
    if not _unmarked(text):
        return text
    trie, known, ambiguous = _vocabulary()
    spans = [m.span() for m in _WORD_RE.finditer(text)]
    folded = fold(text)  # once: a slice of it is the word folded
    lowered = folded.lower()
    # lower case reads each character alone (but "Σ", which fold never leaves)
    if len(lowered) == len(folded):
        keys = [lowered[start:end] for start, end in spans]
    else:
        keys = [folded[start:end].lower() for start, end in spans]
    pieces: list[str] = []  # the text with the restored words, a word as long as it was
    done = 0
    i, count = 0, len(spans)
    while i < count:
        if keys[i] not in known:  # most words of a text are no word of the vocabulary
            i += 1
            continue
        # The longest known phrase from word i: every part of a phrase is one too (all the
        # n-grams of the vocabulary are keys), so it grows a word at a time until it fails.
        # A phrase does not cross a line, nor a mark other than those inside names.
        n, written, level = 0, None, trie
        while (n < _LONGEST and i + n < count
               and (n == 0 or text[spans[i + n - 1][1]:spans[i + n][0]] in _INSIDE)
               and (node := level.get(keys[i + n])) is not None):
            n += 1
            written, level = node
        if written is None or (n == 1 and keys[i] in ambiguous):
            i += 1
            continue
        for (start, end), word in zip(spans[i:i + n], written, strict=True):
            if len(word) == end - start:
                pieces += (text[done:start], _cased(word, text[start:end]))
                done = end
        i += n
    pieces.append(text[done:])
    return _misread_heads("".join(pieces))


def _near(a: str, b: str) -> bool:
    """Two words of one length that differ by one letter ("sb" and "so")."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


@cache
def _heads() -> dict[int, tuple[str, ...]]:
    """The one-word head words of the registry, by length."""
    out: dict[int, tuple[str, ...]] = {}
    for head in load("agencies")["head"]:
        word = head["word"]
        if " " not in word:
            out[len(word)] = (*out.get(len(word), ()), word)
    return out


def _misread_heads(text: str) -> str:
    """A short head word that OCR misread ("Sb Cong Thuong" for "Sở Công Thương"): given
    back when the head it is one letter away from makes a known body with the words after
    it. Lengths stay those of the text."""
    out = list(text)
    trie, _, _ = _vocabulary()
    for match in _SHORT_RE.finditer(text):
        token = match.group("token")
        if fold(token).lower() in trie:
            continue  # a word of the vocabulary ("Sở", "Bộ"), not a misreading
        for head in _heads().get(len(token), ()):
            if not _near(fold(token).lower(), fold(head).lower()):
                continue
            rest = match.group("rest")
            if any(resolve(f"{head} {' '.join(rest.split()[:n])}") is not None
                   for n in (4, 3, 2, 1)):
                out[match.start("token"):match.end("token")] = head
                break
    return "".join(out)
