"""Redaction of personal data in free text: e-mail addresses, phone numbers, payment card
numbers and street addresses become ``[email]``, ``[phone]``, ``[card]``, ``[address]``.

Every expression runs in linear time: quantifiers are bounded, a match may only start at
the edge of a token (a cheap lookbehind), and groups are separated by characters their
neighbours cannot match, so no text makes the engine backtrack for long. Candidates are
then checked in Python (the Luhn check for cards, digit counts for phones), which is what
keeps dates, times, prices, quantities and short order numbers untouched.

Idempotent: replacement tokens hold no digit and no ``@`` while every match holds one, and
the guards make one pass find what a second would. A second pass still runs after any
replacement, as a check that costs little, up to ``MAX_PASSES``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

KINDS = ("email", "card", "phone", "address")
MAX_PASSES = 4

# Each expression starts with a character class, so the engine skips ahead in C to the
# next place a match could start; the guard against starting mid-token comes right after.
# Guards treat "]" before and "[" after a match like a letter, so a token left by one
# redaction never lets a neighbour match that its original characters had blocked: one
# pass finds everything a second pass would.
EMAIL = re.compile(
    r"[\w.%+\-](?<![\w.%+\-\]][\w.%+\-])[\w.%+\-]{0,63}@"
    r"(?:[A-Za-z0-9\-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![\w\-\[])"
)

# 13 to 19 digits: ungrouped, in fours (13 to 19), 4-6-5 (15) or 4-6-4 (14).
CARD = re.compile(
    r"[0-9](?<![0-9\-+\]][0-9])(?:[0-9]{12,18}"
    r"|[0-9]{3}(?P<s>[ \-])[0-9]{4}(?P=s)[0-9]{4}(?P=s)[0-9]{1,4}(?:(?P=s)[0-9]{1,3})?"
    r"|[0-9]{3}(?P<t>[ \-])[0-9]{6}(?P=t)[0-9]{4,5})(?![0-9\[]|-[0-9])"
)

# In the forms below "~" stands for one separator: a space, a dash or a dot.
_PHONE_FORMS = (
    # international: +CC, groups split by one separator each, or one run of digits
    r"(?<=\+)[0-9]{1,3}(?:~?\(0\))?(?:~?\(?[0-9]{1,12}\)?(?:~\(?[0-9]{1,12}\)?){1,6}|[0-9]{6,14})",
    # North American: (555) 123-4567, 555-123-4567, 555.123.4567, 1-800-555-1234
    r"(?<=\()[0-9]{3}\)[ ]?[0-9]{3}~[0-9]{4}",
    r"(?<=[0-9])[0-9]{2}(?P<us>~)[0-9]{3}(?P=us)[0-9]{4}",
    r"(?<=1)~(?:\([0-9]{3}\)[ ]?[0-9]{3}~|[0-9]{3}(?P<us1>~)[0-9]{3}(?P=us1))[0-9]{4}",
    # European national numbers, trunk prefix 0: 020 7946 0958, 01 23 45 67 89, 030/1234567
    r"(?<=\()0[0-9]{1,4}\)[ ]?[0-9]{2,8}(?:[ \-][0-9]{2,8}){0,3}",
    r"(?<=0)[0-9]{1,4}(?P<eu>[ \-./])[0-9]{2,8}(?:(?P=eu)[0-9]{2,8}){0,3}",
    r"(?<=0)[0-9]{9,10}",
)
PHONE = re.compile(
    r"[+(0-9](?<![\w+@/.,:$€£\-\]][+(0-9])(?:"
    + "|".join(_PHONE_FORMS).replace("~", r"[ \-.]")
    + r")(?![\w@\[]|[.,:/\-][0-9])"
)
# Digits alone are too often order numbers; a word like "call" or "phone" just before
# them says what they are.
DIGIT_RUN = re.compile(r"[0-9](?<![\w+@/.,:$€£\-\]][0-9])[0-9]{6,11}(?![\w@\[]|[.,][0-9])")
PHONE_CUE = re.compile(
    r"(?i:\b(?:call|phone|tel|telephone|mobile|cell|text|whatsapp|fax)"
    r"(?:[ ](?:me|us|him|her))?(?:[ ](?:at|on))?[:.]?[ ]{0,3})\Z"
)
CUE_WINDOW = 30

_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way"
    r"|Terrace|Ter|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Square|Sq|Trail|Trl|Crescent|Close"
    r"|Alley|Plaza|Pike|Expressway|Freeway)"
)
_UNIT = (
    r"(?:,?[ \t]{1,3}(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|Room|Rm)\.?[ \t]{0,3}#?"
    r"|,?[ \t]{1,3}#[ \t]?)[A-Za-z0-9]{1,6}(?:-[A-Za-z0-9]{1,6})?(?![\w\-\[])"
)
ADDRESS = re.compile(
    r"[0-9](?<![\w.,$€£\-/:\]][0-9])[0-9]{0,5}[A-Za-z]?(?:-[0-9]{1,6})?[ \t]{1,3}"
    r"(?:[A-Z][A-Za-z'\-]{0,30}\.?[ \t]{1,3}){1,4}" + _SUFFIX + r"\b(?!\[)\.?(?:" + _UNIT + r")?"
)
PO_BOX = re.compile(
    r"[Pp](?<![\w\]][Pp])\.?[ \t]?[Oo]\.?[ \t]{0,2}[Bb][Oo][Xx][ \t]{1,3}#?[0-9]{1,10}\b(?!\[)"
)


def luhn_ok(digits: str) -> bool:
    """The card number checksum: about one random digit string in ten passes."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _digits(text: str) -> str:
    return "".join(ch for ch in text if "0" <= ch <= "9")


def _card(match: re.Match[str]) -> str | None:
    digits = _digits(match.group())
    return "[card]" if 13 <= len(digits) <= 19 and luhn_ok(digits) else None


def _phone(match: re.Match[str]) -> str | None:
    text = match.group()
    digits = len(_digits(text.replace("(0)", "")))
    if text.startswith("+"):
        return "[phone]" if 8 <= digits <= 15 else None
    return "[phone]" if 9 <= digits <= 13 else None


def _phone_cue(match: re.Match[str]) -> str | None:
    before = match.string[max(0, match.start() - CUE_WINDOW) : match.start()]
    return "[phone]" if PHONE_CUE.search(before) else None


def _fixed(token: str) -> Callable[[re.Match[str]], str | None]:
    return lambda _match: token


Rule = tuple[str, re.Pattern[str], Callable[[re.Match[str]], str | None]]
RULES: tuple[Rule, ...] = (
    ("email", EMAIL, _fixed("[email]")),
    ("card", CARD, _card),
    ("phone", PHONE, _phone),
    ("phone", DIGIT_RUN, _phone_cue),
    ("address", PO_BOX, _fixed("[address]")),
    ("address", ADDRESS, _fixed("[address]")),
)


def _counting(
    kind: str, replace: Callable[[re.Match[str]], str | None], counts: Counter[str]
) -> Callable[[re.Match[str]], str]:
    def sub(match: re.Match[str]) -> str:
        out = replace(match)
        if out is None:
            return match.group()
        counts[kind] += 1
        return out

    return sub


def _one_pass(text: str, counts: Counter[str]) -> str:
    for kind, pattern, replace in RULES:
        if kind == "email" and "@" not in text:
            continue  # the one expression that cannot skip ahead to a digit
        text = pattern.sub(_counting(kind, replace, counts), text)
    return text


_MAY_MATCH = re.compile(r"[0-9@]")


def _redact(text: str) -> tuple[str, Counter[str]]:
    counts: Counter[str] = Counter()
    if not _MAY_MATCH.search(text):
        return text, counts  # nothing any rule could match: the common case, kept cheap
    for _ in range(MAX_PASSES):
        before = sum(counts.values())
        text = _one_pass(text, counts)
        if sum(counts.values()) == before:
            break
    return text, counts


def redact_text(text: str) -> str:
    """``text`` with personal data replaced by tokens; text without digits or ``@`` is
    returned unchanged."""
    return _redact(text)[0]


def redaction_counts(text: str) -> dict[str, int]:
    """How many of each kind ``redact_text`` would replace, every kind listed."""
    counts = _redact(text)[1]
    return {kind: counts.get(kind, 0) for kind in KINDS}
