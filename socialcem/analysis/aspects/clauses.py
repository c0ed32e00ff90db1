"""Clause splitting: the unit whose sentiment an aspect mention takes.

A review often praises one thing and blames another in one sentence ("friendly staff but
the wait was long"), so sentences are cut further at contrastive conjunctions. The
conjunction itself is left out of both clauses. "yet" only cuts after a comma ("not yet"
is no contrast) and "while" not after "a" ("took a while"). A clause keeps its closing
punctuation, which a polarity model such as VADER reads as emphasis.
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(
    r"""
    (?P<stop>[.!?\u2026]+)(?=[\s"')\]]|$)  # sentence end (not the dot in 4.50)
    | [;\n\u2022]                       # semicolon, line break, bullet
    | \s[-\u2013\u2014]+\s              # a dash between words
    | \b(?:but|however|although|though|whereas|nevertheless|nonetheless|except\ that)\b
    | (?<!\ba\ )\bwhile\b
    | (?:,\s*|\band\s+)yet\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
_WORD = re.compile(r"\w")
_EDGE = " \t\r\n,:\"'()[]-"


def split_clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause of ``text`` that holds a word, trimmed of spaces and commas."""
    spans = []
    start = 0
    for boundary in (*_BOUNDARY.finditer(text), None):
        if boundary is None:
            end = len(text)
        else:  # a clause keeps its full stop or "!": VADER reads emphasis from it
            end = boundary.end() if boundary.group("stop") else boundary.start()
        while start < end and text[start] in _EDGE:
            start += 1
        while end > start and text[end - 1] in _EDGE:
            end -= 1
        if end > start and _WORD.search(text, start, end):
            spans.append((start, end))
        if boundary is not None:
            start = boundary.end()
    return spans
