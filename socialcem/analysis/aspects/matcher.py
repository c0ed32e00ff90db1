"""Finding a taxonomy's topics in a text, each mention with the clause it sits in."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from socialcem.analysis.aspects.clauses import split_clauses
from socialcem.analysis.aspects.keywords import fold
from socialcem.analysis.aspects.taxonomy import Taxonomy
from socialcem.analysis.base import MAX_ANALYSED_CHARS


@dataclass(frozen=True, slots=True)
class AspectMention:
    """One keyword hit: ``text[start:end] == term`` and ``text[clause_start:clause_end]``
    is the clause around it (offsets into the text as given)."""

    topic: str
    keyword: str
    term: str
    start: int
    end: int
    clause: str
    clause_start: int
    clause_end: int


def find_aspects(text: str, taxonomy: Taxonomy) -> list[AspectMention]:
    """Every topic mention in ``text``, in reading order.

    Only the first ``MAX_ANALYSED_CHARS`` characters are read, so one pathological item
    (a pasted log, a 1 MB post) costs no more than a long review.
    """
    text = text[:MAX_ANALYSED_CHARS]
    found = taxonomy.pattern.finditer(fold(text))
    hits = [m for m in found if m.lastindex and taxonomy.groups[m.lastindex - 1][0]]
    if not hits:
        return []
    clauses = split_clauses(text)
    starts = [start for start, _ in clauses]
    mentions = []
    for hit in hits:
        topic, keyword = taxonomy.groups[(hit.lastindex or 0) - 1]
        i = bisect_right(starts, hit.start()) - 1
        start, end = clauses[i] if i >= 0 else (hit.start(), hit.end())
        if end < hit.end():  # the keyword is itself a clause boundary: it stands alone
            start, end = hit.start(), hit.end()
        mentions.append(
            AspectMention(
                topic=topic,
                keyword=keyword,
                term=text[hit.start() : hit.end()],
                start=hit.start(),
                end=hit.end(),
                clause=text[start:end],
                clause_start=start,
                clause_end=end,
            )
        )
    return mentions
