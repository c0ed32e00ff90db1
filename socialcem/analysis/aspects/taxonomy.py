"""Aspect taxonomies: named topics with keywords, checked and compiled when built.

Keyword syntax is described in ``keywords``. A keyword belongs to one topic only, so every
mention reads as exactly one topic. A topic's examples must be found by its own keywords,
which catches a broken keyword when the taxonomy is loaded rather than in production.
Cues say how a topic went where a general sentiment model reads nothing ("the wait was
long" is neutral to VADER, negative for a wait); they are per topic and need not be
unique. ``ignore`` phrases are no mention ("can't wait" says nothing about a wait).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from socialcem.analysis.aspects.keywords import (
    KeywordError,
    fold,
    keyword_pattern,
    keyword_regex,
)
from socialcem.analysis.base import MAX_ANALYSED_CHARS

_NAME = re.compile(r"[a-z][a-z0-9_]*")


class TaxonomyError(ValueError):
    """A taxonomy that cannot be used; the message names the file, topic and field."""


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    label: str
    keywords: tuple[str, ...]
    examples: tuple[str, ...] = ()
    positive: tuple[str, ...] = ()
    """Opinion cues for this topic ("quick" for a wait), read when the model sees none."""
    negative: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """Topics in a fixed order, checked and compiled to one pattern when built."""

    topics: tuple[Topic, ...]
    ignore: tuple[str, ...] = ()
    """Phrases that hide the keywords inside them: "can't wait" is no wait."""
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)
    """Every keyword, matched on ``keywords.fold(text)``."""
    groups: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)
    """(topic name, keyword) for each group of ``pattern``, group 1 first; the topic is
    "" for an ``ignore`` phrase."""

    def __post_init__(self) -> None:
        if not self.topics:
            raise TaxonomyError("a taxonomy needs at least one topic")
        for topic in self.topics:
            _check_topic(topic)
        _check_unique(self.topics, self.ignore)
        flat = [(t.name, k) for t in self.topics for k in t.keywords]
        flat += [("", phrase) for phrase in self.ignore]
        pattern, order = keyword_pattern([k for _, k in flat])
        object.__setattr__(self, "pattern", pattern)
        object.__setattr__(self, "groups", tuple(flat[i] for i in order))
        for topic in self.topics:
            for example in topic.examples:
                if topic.name not in self.topics_in(example):
                    raise TaxonomyError(
                        f"topic {topic.name!r}: example {example!r} matches none of its keywords"
                    )

    def topics_in(self, text: str) -> set[str]:
        """The names of the topics whose keywords occur in ``text``."""
        found = self.pattern.finditer(fold(text[:MAX_ANALYSED_CHARS]))
        return {self.groups[m.lastindex - 1][0] for m in found if m.lastindex} - {""}

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.topics)

    def topic(self, name: str) -> Topic:
        for t in self.topics:
            if t.name == name:
                return t
        raise KeyError(name)

    def extended(self, other: Taxonomy) -> Taxonomy:
        """This taxonomy with ``other``'s topics added; a same-named topic is replaced."""
        theirs = {t.name: t for t in other.topics}
        kept = tuple(theirs.pop(t.name, t) for t in self.topics)
        ignore = tuple(dict.fromkeys((*self.ignore, *other.ignore)))
        return Taxonomy(kept + tuple(theirs.values()), ignore)


def _syntax(phrases: Sequence[str], where: str) -> None:
    try:
        for phrase in phrases:
            keyword_regex(phrase)
    except KeywordError as exc:
        raise TaxonomyError(f"{where}: {exc}") from None


def _check_unique(topics: Sequence[Topic], ignore: Sequence[str]) -> None:
    """One topic per name and per keyword, and no keyword ignored."""
    owner: dict[str, str] = {}
    for topic in topics:
        if sum(t.name == topic.name for t in topics) > 1:
            raise TaxonomyError(f"topic {topic.name!r} is defined twice")
        for keyword in topic.keywords:
            key = " ".join(keyword.lower().split())
            if owner.setdefault(key, topic.name) != topic.name:
                raise TaxonomyError(
                    f"keyword {keyword!r} is in both {owner[key]!r} and {topic.name!r}"
                )
    _syntax(ignore, "'ignore'")
    for phrase in ignore:
        key = " ".join(phrase.lower().split())
        if key in owner:
            raise TaxonomyError(f"ignored phrase {phrase!r} is a keyword of {owner[key]!r}")


def _check_topic(topic: Topic) -> None:
    where = f"topic {topic.name!r}"
    if not _NAME.fullmatch(topic.name):
        raise TaxonomyError(f"{where}: a name is lower-case letters, digits and _")
    if not topic.keywords:
        raise TaxonomyError(f"{where}: 'keywords' is empty")
    _syntax((*topic.keywords, *topic.positive, *topic.negative), where)
