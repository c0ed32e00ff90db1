"""The keyword syntax of a taxonomy, and the one regular expression a taxonomy compiles to.

A keyword is a word or a phrase, matched case-insensitively on whole words. Its last word
also matches its regular inflections (-s, -es, -ies, -ed, -ing, a doubled final consonant),
so ``wait`` finds "waits", "waited" and "waiting" but not "waiter". A ``*`` at the end of a
word matches any ending (``clean*``: "cleaner", "cleanliness"). Spaces match any run of
spaces or hyphens and a hyphen matches an optional one, so ``car park`` finds "car-park"
and ``wi-fi`` finds "wifi". Anything else (other punctuation, a leading ``*``) is refused,
which keeps user keywords from smuggling regular-expression syntax in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_VOWELS = frozenset("aeiou")
_WORD_PART = re.compile(r"[^\W_]+(?:['.&+][^\W_]+)*\*?")
_SPACE = r"[\s\-]+"
_HYPHEN = r"[\s\-]?"


class KeywordError(ValueError):
    """A keyword that does not follow the syntax above."""


def _inflected(word: str) -> str:
    """A regex for ``word`` and its regular inflections; irregular ones need their own entry."""
    stem = re.escape(word)
    if len(word) < 3 or not word.isalpha():
        return stem
    if word.endswith("y") and word[-2] not in _VOWELS:
        return re.escape(word[:-1]) + "(?:y|ies|ied|ying)"
    if word.endswith("e"):
        return re.escape(word[:-1]) + "(?:e|es|ed|ing)"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return stem + "(?:es|ed|ing)?"
    endings = "s|ed|ing"
    consonant_vowel_consonant = (
        word[-1] not in _VOWELS | {"w", "x", "y"}
        and word[-2] in _VOWELS
        and word[-3] not in _VOWELS
    )
    if consonant_vowel_consonant:  # ship -> shipped, shipping
        endings += f"|{re.escape(word[-1])}(?:ed|ing)"
    return stem + f"(?:{endings})?"


def _part(part: str, last: bool) -> str:
    if part.endswith("*"):
        return re.escape(part[:-1]) + r"\w*"
    return _inflected(part) if last else re.escape(part)


def keyword_regex(keyword: str) -> str:
    """The regular expression (without groups or word boundaries) for one keyword."""
    words = keyword.lower().split()
    if not words:
        raise KeywordError("a keyword is empty")
    pieces = []
    for i, word in enumerate(words):
        parts = word.split("-")
        if not all(parts) or not all(_WORD_PART.fullmatch(p) for p in parts):
            raise KeywordError(
                f"keyword {keyword!r}: {word!r} is not a word (letters, digits and ' . & + -"
                " inside a word, an optional * at its end)"
            )
        last_word = i == len(words) - 1
        pieces.append(
            _HYPHEN.join(_part(p, last_word and j == len(parts) - 1) for j, p in enumerate(parts))
        )
    return _SPACE.join(pieces)


def fold(text: str) -> str:
    """``text`` in lower case, curly apostrophes straightened, every offset kept ("İ" is
    the one letter whose lower case is longer)."""
    return text.replace("\u0130", "i").replace("\u2019", "'").lower()


def keyword_pattern(keywords: Sequence[str]) -> tuple[re.Pattern[str], tuple[int, ...]]:
    """One pattern for all ``keywords`` over ``fold``-ed text, and which keyword matched.

    Each keyword's branch ends in an empty group: the match's ``lastindex`` ``g`` means
    keyword ``order[g - 1]``. Branches are grouped by first letter and case is folded
    beforehand, so the regex engine skips a whole group on one character compare: over a
    hundred times faster than one case-insensitive capturing branch per keyword. Longer phrases are
    tried first, so "service charge" wins over "service" where both match at one place.
    """
    by_first: dict[str, list[int]] = {}
    for i in sorted(range(len(keywords)), key=lambda i: -len(keywords[i].split())):
        by_first.setdefault(keyword_regex(keywords[i])[0], []).append(i)
    order = tuple(i for group in by_first.values() for i in group)
    branches = [
        re.escape(first)
        + "(?:"
        + "|".join(keyword_regex(keywords[i])[1:] + "()" for i in group)
        + ")"
        for first, group in by_first.items()
    ]
    return re.compile(rf"(?<!\w)(?:{'|'.join(branches)})(?!\w)"), order
