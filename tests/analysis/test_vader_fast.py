"""FastVader must return exactly what VADER 3.3.2's polarity_scores returns.

Equality is checked on the dicts and on their repr, so even a -0.0 against a 0.0 or a
last-ulp difference would fail: the re-implementation keeps the reference's
arithmetic order instead of relying on tolerances.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    NEGATE,
    SENTIMENT_LADEN_IDIOMS,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
)

from socialcem.analysis import vader_fast
from socialcem.analysis.vader_fast import FastVader

REF = SentimentIntensityAnalyzer()
FAST = FastVader()


def assert_same(text: str, fast: FastVader = FAST) -> None:
    expected = REF.polarity_scores(text)
    got = fast.polarity_scores(text)
    assert got == expected, text
    assert repr(got) == repr(expected), text
    assert repr(fast.compound(text)) == repr(expected["compound"]), text


TRICKY = [
    "",
    " ",
    "   \t\n  ",
    "\u3000\xa0",
    "good",
    "GOOD",
    "The book was good.",
    "The book was not good.",
    "The book wasn't good.",
    "The book isnt good, it's not bad either",
    "I don't love it. I dont hate it.",
    "Not bad at all",
    "not no good",
    "no no no good",
    "no good",
    "no",
    "No problem, no worries or regrets",
    "there is no love or hate here",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "good good good but bad bad bad",
    "But good but bad BUT great",
    "It is great but",
    "I love it but but I hate it",
    "VADER is VERY SMART, handsome, and FUNNY!!!",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "ALL CAPS GREAT",
    "HAPPY happy HAPPY",
    "NO GOOD at all",
    "The book was only kind of good.",
    "kind of bad kind of good kind",
    "it was kinda sorta good, sort of great and just enough nice",
    "Roger Dodger is one of the least compelling variations on this theme.",
    "Roger Dodger is at least compelling as a variation on the theme.",
    "at the very least it is decent",
    "least good",
    "least good at",
    "Least great very",
    "Sentiment analysis has never been good.",
    "Sentiment analysis has never been this good!",
    "never so good",
    "never so very good",
    "it was this good",
    "Without a doubt, excellent idea.",
    "without doubt excellent",
    "With VADER, sentiment analysis is the shit!",
    "Most automated sentiment analysis tools are shit.",
    "On the other hand, VADER is quite bad ass",
    "VADER is such a badass!",
    "yeah right, that was kiss of death to die for",
    "a beating heart at the bus stop is the bomb",
    "we were cooking with gas and on the ball, in the red",
    "Make sure you :) or :D today!",
    ":) :( <3 :-) :P ;) </3 :'(",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁",
    "😁😁😁",
    "😁 good 😡bad😡 ok🙂",
    "👍🏽 👨‍👩‍👧 🇫🇷 ❤️ ☺",
    "🔛🆙 wow",
    "great!!!",
    "great!!!!!!!!",
    "bad???",
    "bad?",
    "bad??",
    "bad?!?!?!",
    "really?!... good;) ,,, --- (great) [awful] {meh}",
    "'good' \"bad\" ...nice... !!happy!!",
    "Très bien, c'est génial 👌 naïve café",
    "Ich bin überrascht, wie erstaunlich nützlich VADER ist!",
    "我很惊讶地看到VADER是如此有用!",
    "check https://example.com/good?bad=1 and www.test.org/awful",
    "@happyuser @angry_guy thanks!! #love #fail #BestDayEver",
    "can't won't shouldn't ain't uh-uh nope n't",
    "I'm not sure it isn't great, doesn't seem bad, and won't be awful",
    "despite good reviews it was rarely fun and seldom nice",
    "EXTREMELY good extremely BAD hardly good slightly BAD",
    "very very very very good",
    "so so so bad",
    "SO GOOD so good",
    "the shit the bomb bad ass badass",
    "x " * 50 + "great",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_sentences(text: str) -> None:
    assert_same(text)


def test_lexicons_match_reference() -> None:
    assert FAST.lexicon == REF.lexicon
    assert FAST.emojis == REF.emojis
    # FastVader replaces emojis one kind at a time, which needs emoji-free descriptions.
    assert not any(FAST._emoji_chars.intersection(d) for d in FAST.emojis.values())


def test_long_text() -> None:
    rng = random.Random(7)
    words = [*TRICKY[4:40], *list(REF.lexicon)[:300], "but", "no", "least", "😁", "!!"]
    text = ""
    while len(text) < 20_000:
        text += rng.choice(words) + rng.choice([" ", " ", "  ", "\n", ", "])
    assert_same(text[:20_000])


def test_results_survive_cache_eviction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vader_fast, "_CACHE_MAX", 3)
    fast = FastVader()
    for text in TRICKY:
        assert_same(text, fast)
    assert len(fast._cache) <= 3


_LEX = sorted(REF.lexicon)
_POS = [w for w in _LEX if REF.lexicon[w] > 0]
_NEG = [w for w in _LEX if REF.lexicon[w] < 0]
_PIECES = sorted(
    {w for k in (*SPECIAL_CASES, *SENTIMENT_LADEN_IDIOMS, *BOOSTER_DICT) for w in k.split()}
)
_RULE_WORDS = [
    "no", "or", "nor", "least", "at", "very", "never", "so", "this", "without", "doubt",
    "but", "kind", "of", "sort", "just", "enough", "not", "isn't", "dont", "can't", "n't",
]  # fmt: skip
_PUNCT = [*"!?.,:;'\"()-#@", "!!!", "???", "?!", "...", ":)", ":(", "<3", ":D", ":-(", ";)"]
_EMOJI = ["😀", "😂", "😍", "😭", "😡", "👍", "👎", "🙏", "🔥", "❤", "💯", "😁", "🔛", "👍🏽", "🇫🇷"]

_word = st.one_of(
    st.sampled_from(_POS),
    st.sampled_from(_NEG),
    st.sampled_from(_LEX),
    st.sampled_from(sorted(BOOSTER_DICT)),
    st.sampled_from(NEGATE),
    st.sampled_from(_PIECES),
    st.sampled_from(_RULE_WORDS),
    st.sampled_from(_PUNCT),
    st.sampled_from(_EMOJI),
    st.text(alphabet="abcXYZé'-!?😀 ", min_size=1, max_size=6),
)


@st.composite
def _token(draw: st.DrawFn) -> str:
    word: str = draw(_word)
    case = draw(st.sampled_from(["keep", "keep", "keep", "upper", "title"]))
    word = word.upper() if case == "upper" else word.title() if case == "title" else word
    prefix: str = draw(st.sampled_from(["", "", "", "", *_PUNCT]))
    suffix: str = draw(st.sampled_from(["", "", "", "", *_PUNCT, *_EMOJI]))
    return prefix + word + suffix


_sep = st.sampled_from([" ", " ", " ", " ", "  ", "\n", "\t", "", "\xa0"])
_texts = st.lists(st.tuples(_token(), _sep), max_size=30).map(
    lambda pairs: "".join(w + s for w, s in pairs)
)
_fuzz = settings(max_examples=300, deadline=None, database=None)


@_fuzz
@given(_texts)
def test_generated_texts(text: str) -> None:
    assert_same(text)


@_fuzz
@given(st.lists(_token(), min_size=1, max_size=12), st.sampled_from(["", "!", "!!!", "??"]))
def test_caps_variants(words: list[str], end: str) -> None:
    # The ALL CAPS rule depends on whether some, but not all, tokens are upper case.
    for variant in (words, [w.upper() for w in words], [w.lower() for w in words]):
        assert_same(" ".join(variant) + end)


@_fuzz
@given(st.text(alphabet=[*"ab !?.,:)(' \t\n", *"😀😡👍🏽🇫🇷❤🔛", "é", "\u3000"], max_size=60))
def test_arbitrary_characters(text: str) -> None:
    assert_same(text)
