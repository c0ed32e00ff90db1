"""An exact, faster re-implementation of VADER 3.3.2's ``polarity_scores``.

The reference re-lowercases the whole token list once per lexicon word and per rule,
rebuilds strings char by char to replace emojis and looks every rule up in lists. Here
each raw token is analysed once (and memoised across texts, since social posts reuse a
small vocabulary), emoji replacement is skipped for text that holds none, and the rules
only run for lexicon words. Every arithmetic step is done in the reference's order, so
the floats (and therefore the rounded scores) are bit-for-bit identical.

The lexicons are read from the installed ``vaderSentiment`` package and the rule
constants are imported from it, so both implementations always share their data.
"""

from __future__ import annotations

import math
import string
from collections.abc import Sequence
from importlib.resources import files
from typing import NamedTuple

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
)

__all__ = ["FastVader"]

# Every idiom/booster n-gram the reference builds holds the lexicon word or the word two
# before it, so the check is skipped unless one of those is among these words.
_IDIOM_WORDS = frozenset(
    w for key in (*SPECIAL_CASES, *BOOSTER_DICT) if " " in key for w in key.split()
)
_NEGATE = frozenset(NEGATE)
_SO_THIS = ("so", "this")
_AT_VERY = ("at", "very")
_OR_NOR = ("or", "nor")
# The per-token memo is dropped when it grows past this, bounding memory on odd input.
_CACHE_MAX = 200_000


# The _Token fields of one text, transposed: lowers, uppers, lexs, boosts, negs.
_Columns = tuple[
    tuple[str, ...],
    tuple[bool, ...],
    tuple[float | None, ...],
    tuple[float | None, ...],
    tuple[bool, ...],
]


class _Token(NamedTuple):
    """What the rules need to know about one whitespace-separated token."""

    lower: str
    upper: bool  # str.isupper() of the (possibly stripped) token
    lex: float | None  # valence in the lexicon, None when absent
    boost: float | None  # BOOSTER_DICT scalar, None when not a booster
    neg: bool  # the reference's negated([lower])


def _read_package_text(name: str) -> str:
    # Read bytes and decode: the files use CRLF, and the reference (codecs.open) keeps
    # the "\r" that text mode would translate, so parse exactly the same characters.
    return files("vaderSentiment").joinpath(name).read_bytes().decode("utf-8")


def _load_lexicon() -> dict[str, float]:
    lex: dict[str, float] = {}
    for line in _read_package_text("vader_lexicon.txt").rstrip("\n").split("\n"):
        if line:
            word, measure = line.strip().split("\t")[0:2]
            lex[word] = float(measure)
    return lex


def _load_emojis() -> dict[str, str]:
    emojis: dict[str, str] = {}
    for line in _read_package_text("emoji_utf8_lexicon.txt").rstrip("\n").split("\n"):
        emoji, description = line.strip().split("\t")[0:2]
        emojis[emoji] = description
    return emojis


class FastVader:
    """Drop-in for ``SentimentIntensityAnalyzer.polarity_scores`` with equal output."""

    def __init__(self) -> None:
        self.lexicon = _load_lexicon()
        self.emojis = _load_emojis()
        # The reference iterates code points, so only single-character keys ever match.
        singles = sorted(k for k in self.emojis if len(k) == 1)
        self._emoji_chars = frozenset(singles)
        self._ascii_safe = not any(c.isascii() for c in singles)
        self._cache: dict[str, _Token] = {}

    def _token(self, raw: str) -> _Token:
        """Analyse and memoise one raw token (punctuation stripping as in SentiText)."""
        stripped = raw.strip(string.punctuation)
        word = raw if len(stripped) <= 2 else stripped
        lower = word.lower()
        tok = _Token(
            lower,
            word.isupper(),
            self.lexicon.get(lower),
            BOOSTER_DICT.get(lower),
            lower in _NEGATE or "n't" in lower,
        )
        if len(self._cache) >= _CACHE_MAX:
            self._cache.clear()
        self._cache[raw] = tok
        return tok

    def _replace_emojis(self, text: str) -> str:
        """The reference's char-by-char emoji replacement, done with str.replace.

        The reference puts a space before a description unless the emoji starts the
        text or follows a ' '; the text is then only split on whitespace and searched
        for '!' and '?', so always adding the space gives the same result. Descriptions
        hold no emoji, so the kinds present can be replaced one after the other.
        """
        if self._ascii_safe and text.isascii():
            return text
        for emoji in self._emoji_chars.intersection(text):
            text = text.replace(emoji, " " + self.emojis[emoji])
        return text

    def _sentiments(self, text: str) -> tuple[list[float], str]:
        """Per-token valences after all rules, and the text used for punctuation."""
        # The reference strips the text here too; whitespace changes neither split()
        # nor the '!'/'?' counts, so that step is skipped.
        text = self._replace_emojis(text)
        get = self._cache.get
        toks = [get(raw) or self._token(raw) for raw in text.split()]
        n = len(toks)
        if not n:
            return [], text
        cols: _Columns = tuple(zip(*toks, strict=True))  # type: ignore[assignment]
        lowers, uppers, lexs, boosts, _ = cols
        cap_diff = 0 < sum(uppers) < n
        sentiments: list[float] = [0] * n  # int 0 like the reference's non-lexicon items
        last = n - 1
        for i, lex in enumerate(lexs):
            if lex is None or boosts[i] is not None:
                continue
            if lowers[i] == "kind" and i < last and lowers[i + 1] == "of":
                continue
            sentiments[i] = _valence(cols, i, lex, cap_diff)
        if "but" in lowers:
            sentiments = _but_check(lowers, sentiments)
        return sentiments, text

    def polarity_scores(self, text: str) -> dict[str, float]:
        """Same dict (neg, neu, pos, compound) as VADER 3.3.2 for the same text."""
        sentiments, text = self._sentiments(text)
        if not sentiments:
            return {"neg": 0.0, "neu": 0.0, "pos": 0.0, "compound": 0.0}
        amp = _punctuation_emphasis(text)
        compound = _compound(sentiments, amp)
        pos_sum = 0.0
        neg_sum = 0.0
        neu_count = 0
        for score in sentiments:
            if score > 0:
                pos_sum += float(score) + 1
            if score < 0:
                neg_sum += float(score) - 1
            if score == 0:
                neu_count += 1
        if pos_sum > math.fabs(neg_sum):
            pos_sum += amp
        elif pos_sum < math.fabs(neg_sum):
            neg_sum -= amp
        total = pos_sum + math.fabs(neg_sum) + neu_count
        return {
            "neg": round(math.fabs(neg_sum / total), 3),
            "neu": round(math.fabs(neu_count / total), 3),
            "pos": round(math.fabs(pos_sum / total), 3),
            "compound": round(compound, 4),
        }

    def compound(self, text: str) -> float:
        """Just ``polarity_scores(text)["compound"]``, without the pos/neg/neu split."""
        sentiments, text = self._sentiments(text)
        if not sentiments:
            return 0.0
        return round(_compound(sentiments, _punctuation_emphasis(text)), 4)


def _valence(cols: _Columns, i: int, lex: float, cap_diff: bool) -> float:
    """The reference's sentiment_valence for the lexicon word at position ``i``."""
    lowers, uppers, lexs, boosts, negs = cols
    valence = lex
    if lowers[i] == "no" and i != len(lowers) - 1 and lexs[i + 1] is not None:
        valence = 0.0
    if (
        (i > 0 and lowers[i - 1] == "no")
        or (i > 1 and lowers[i - 2] == "no")
        or (i > 2 and lowers[i - 3] == "no" and lowers[i - 1] in _OR_NOR)
    ):
        valence = lex * N_SCALAR
    if uppers[i] and cap_diff:
        valence = valence + C_INCR if valence > 0 else valence - C_INCR

    # Up to three preceding non-lexicon words may boost/dampen and negate.
    for start_i in range(min(i, 3)):
        j = i - start_i - 1
        if lexs[j] is not None:
            continue
        s = 0.0
        boost = boosts[j]
        if boost is not None:
            s = boost
            if valence < 0:
                s *= -1
            if uppers[j] and cap_diff:
                s = s + C_INCR if valence > 0 else s - C_INCR
            if start_i == 1:
                s = s * 0.95
            elif start_i == 2:
                s = s * 0.9
        valence = valence + s
        # Every negation rule needs a negation word at j ("never"/"without" are ones),
        # except the third window's "so"/"this" right before the word.
        if negs[j] or (start_i == 2 and lowers[i - 1] in _SO_THIS):
            valence = _negation_check(valence, lowers, negs, start_i, i)
        if start_i == 2 and (lowers[i] in _IDIOM_WORDS or lowers[i - 2] in _IDIOM_WORDS):
            valence = _special_idioms_check(valence, lowers, i)

    # "least" negates, except in "at least" / "very least".
    prev_least = i > 0 and lowers[i - 1] == "least" and lexs[i - 1] is None
    if prev_least and (i == 1 or lowers[i - 2] not in _AT_VERY):
        valence = valence * N_SCALAR
    return valence


def _negation_check(
    valence: float, lowers: Sequence[str], negs: Sequence[bool], start_i: int, i: int
) -> float:
    if start_i == 0:
        if negs[i - 1]:
            valence = valence * N_SCALAR
    elif start_i == 1:
        if lowers[i - 2] == "never" and lowers[i - 1] in _SO_THIS:
            valence = valence * 1.25
        elif lowers[i - 2] == "without" and lowers[i - 1] == "doubt":
            pass
        elif negs[i - 2]:
            valence = valence * N_SCALAR
    else:
        # Reference precedence: (never and (so or this)) or (so or this right before).
        if (lowers[i - 3] == "never" and lowers[i - 2] in _SO_THIS) or lowers[i - 1] in _SO_THIS:
            valence = valence * 1.25
        elif lowers[i - 3] == "without" and "doubt" in (lowers[i - 2], lowers[i - 1]):
            pass
        elif negs[i - 3]:
            valence = valence * N_SCALAR
    return valence


def _special_idioms_check(valence: float, lw: Sequence[str], i: int) -> float:
    threetwoone = f"{lw[i - 3]} {lw[i - 2]} {lw[i - 1]}"
    threetwo = f"{lw[i - 3]} {lw[i - 2]}"
    twoone = f"{lw[i - 2]} {lw[i - 1]}"
    onezero = f"{lw[i - 1]} {lw[i]}"
    twoonezero = f"{lw[i - 2]} {onezero}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in SPECIAL_CASES:
            valence = SPECIAL_CASES[seq]
            break
    if len(lw) - 1 > i and (seq := f"{lw[i]} {lw[i + 1]}") in SPECIAL_CASES:
        valence = SPECIAL_CASES[seq]
    if len(lw) - 1 > i + 1 and (seq := f"{lw[i]} {lw[i + 1]} {lw[i + 2]}") in SPECIAL_CASES:
        valence = SPECIAL_CASES[seq]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in BOOSTER_DICT:
            valence = valence + BOOSTER_DICT[n_gram]
    return valence


def _but_check(lowers: Sequence[str], sentiments: list[float]) -> list[float]:
    """Literal copy of the reference, whose ``list.index`` lookup finds the *first*
    equal score: with repeated values the wrong slot may be scaled, so keep that."""
    bi = lowers.index("but")
    for sentiment in sentiments:
        si = sentiments.index(sentiment)
        if si < bi:
            sentiments.pop(si)
            sentiments.insert(si, sentiment * 0.5)
        elif si > bi:
            sentiments.pop(si)
            sentiments.insert(si, sentiment * 1.5)
    return sentiments


def _punctuation_emphasis(text: str) -> float:
    ep_amplifier = min(text.count("!"), 4) * 0.292
    qm_count = text.count("?")
    qm_amplifier = 0.0
    if qm_count > 1:
        qm_amplifier = qm_count * 0.18 if qm_count <= 3 else 0.96
    return ep_amplifier + qm_amplifier


def _compound(sentiments: list[float], amp: float) -> float:
    sum_s = float(sum(sentiments))
    if sum_s > 0:
        sum_s += amp
    elif sum_s < 0:
        sum_s -= amp
    norm = sum_s / math.sqrt(sum_s * sum_s + 15)
    return max(-1.0, min(1.0, norm))
