"""The text composer that turns (channel, topic, polarity) into one plausible comment.

Texts are assembled from fragments (context, opener, core sentence, detail, follow-up
sentence, closer, emojis and hashtags) whose slots are filled from prebuilt random draws,
so a million items are mostly distinct strings while each still reads like one comment.
Phrase tables live in ``templates_customer``, ``templates_channels``,
``templates_workforce`` and ``templates_vocab``; everything is original demo text.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Sequence

from . import templates_channels as ch
from . import templates_workforce as wf
from .templates_customer import CUSTOMER_PHRASES, Phrases
from .templates_vocab import (
    DAYPARTS,
    DEVICES,
    DRINKS,
    FIRST_NAMES,
    FOODS,
    ITEMS,
    STAFF_NAMES,
    WEEKDAYS,
)

__all__ = ["DAYPARTS", "TOPICS", "WEEKDAYS", "TextComposer"]

TOPICS: tuple[str, ...] = tuple(CUSTOMER_PHRASES)
POLARITIES = ("positive", "mixed", "negative")
PHYSICAL, ONLINE, WHOLESALE = 0, 1, 2
"""Venue of a location: picks context sentences and the topics that make sense there."""

Frames = dict[str, tuple[tuple[str, ...], ...]]
"""Per topic and polarity, every opener already joined to every core clause."""


def _join(opener: str, clause: str) -> str:
    """Opener then clause; the clause starts a sentence unless the opener runs on."""
    if not opener:
        return clause[0].upper() + clause[1:]
    if opener[-1] in ".!?":
        return f"{opener} {clause[0].upper()}{clause[1:]}"
    return f"{opener} {clause}"


def _frames(openers: ch.Tri | tuple[str, ...], table: dict[str, Phrases], end: str) -> Frames:
    """Precompute opener x clause so the hot path picks one string instead of joining."""
    per_pol = openers if isinstance(openers[0], tuple) else (openers,) * 3
    return {
        topic: tuple(
            tuple(_join(o, c) + end for o in per_pol[pol] for c in phrases[pol]) for pol in range(3)
        )
        for topic, phrases in table.items()
    }


PLAIN, TWEET, INSTAGRAM, REDDIT, FACEBOOK, EMAIL = range(6)
Kind = tuple[
    Frames, Sequence[Sequence[str]], float, float, float, ch.Tri, int, tuple[Frames, Frames]
]
"""Frames, context sentences per venue, P(context), P(detail), P(follow-up), closers, mode,
follow-up frames (same polarity, contrasting)."""
_C, _E, _P = CUSTOMER_PHRASES, wf.EMPLOYEE_PHRASES, wf.PARTNER_PHRASES
_PLAIN = _frames(("",), _C, ".")
_FOLLOW = {  # follow-up sentences: (same polarity, contrasting polarity)
    name: (_frames(ch.SAME_CONNECTORS, table, "."), _frames(ch.CONTRAST_CONNECTORS, table, "."))
    for name, table in (("customer", _C), ("pulse", _E), ("partner", _P))
}
_FOLLOW_TOPICS = {"pulse": tuple(_E), "partner": tuple(_P)}
_NONE: ch.Tri = (("",), ("",), ("",))


def _kind(
    frames: Frames,
    p_context: float,
    p_detail: float,
    p_follow: float,
    closers: ch.Tri,
    mode: int = PLAIN,
    contexts: Sequence[Sequence[str]] = ch.CONTEXTS,
    follow: str = "customer",
) -> Kind:
    return frames, contexts, p_context, p_detail, p_follow, closers, mode, _FOLLOW[follow]


_TRAVEL, _APP = (ch.TRAVEL_CONTEXTS,) * 3, (ch.APP_CONTEXTS,) * 3
_PARTNER = (wf.PARTNER_CONTEXTS,) * 3
_KINDS: dict[str, Kind] = {  # frames, P(context), P(detail), P(follow-up), closers, ...
    "survey": _kind(_frames(ch.SURVEY_OPENERS, _C, "."), 0.35, 0.3, 0.4, ch.SURVEY_CLOSERS),
    "twitter": _kind(_frames(ch.TWEET_PREFIXES, _C, ""), 0, 0, 0, ch.TWEET_SUFFIXES, TWEET),
    "instagram": _kind(_frames(ch.INSTAGRAM_PREFIXES, _C, ""), 0, 0, 0, _NONE, INSTAGRAM),
    "facebook": _kind(_PLAIN, 0.35, 0.25, 0.4, ch.SURVEY_CLOSERS, FACEBOOK),
    "reddit": _kind(_frames(ch.REDDIT_OPENERS, _C, ""), 0.35, 0.25, 0.5, ch.REDDIT_CLOSERS, REDDIT),
    "google_reviews": _kind(_PLAIN, 0.6, 0.3, 0.45, ch.REVIEW_CLOSERS),
    "yelp": _kind(_PLAIN, 0.6, 0.3, 0.45, ch.REVIEW_CLOSERS),
    "tripadvisor": _kind(_PLAIN, 0.75, 0.3, 0.45, ch.REVIEW_CLOSERS, contexts=_TRAVEL),
    "app_store": _kind(_frames(ch.APP_OPENERS, _C, "."), 0.5, 0, 0.4, ch.APP_CLOSERS, 0, _APP),
    "support_ticket": _kind(_frames(ch.TICKET_OPENERS, _C, "."), 0.3, 0.4, 0, ch.SUPPORT_ASKS),
    "chat": _kind(_frames(ch.CHAT_OPENERS, _C, "."), 0, 0.3, 0, ch.CHAT_ASKS),
    "email": _kind(_PLAIN, 0.35, 0.3, 0.4, ch.SUPPORT_ASKS, EMAIL),
    "pulse": _kind(
        _frames(wf.PULSE_OPENERS, _E, "."), 0.5, 0, 0.35, wf.PULSE_CLOSERS, 0,
        wf.PULSE_CONTEXTS, "pulse",
    ),
    "partner": _kind(
        _frames(wf.PARTNER_OPENERS, _P, "."), 0.4, 0, 0.3, wf.PARTNER_CLOSERS, 0, _PARTNER,
        "partner",
    ),
}  # fmt: skip
_RANGES = {
    "minutes": (8, 38), "quick": (2, 4), "days": (3, 19), "weeks": (2, 7), "years": (2, 9),
}  # fmt: skip
_RECORD_SLOTS = ("loc", "weekday", "daypart", "first", "order")


Writer = Callable[[str, int, tuple[str, str], str], str]
"""Writes one text from (topic, polarity, (weekday, daypart), first name)."""
Decorations = list[list[dict[str, tuple[str, ...]]]]
"""Emoji-and-hashtag tails per (instagram?, polarity, topic)."""


@functools.lru_cache(maxsize=8)
def _assets(brand: str) -> tuple[list[dict[str, str]], Decorations]:
    """Per-brand slot banks and decorations, drawn once from a fixed seed and cached.

    A bank is one joint draw of every slot; texts pick one of 1,024 at random, so filling
    slots is a single C-level ``format_map`` instead of a Python call per placeholder.
    """
    rng = random.Random(f"socialcem-demo-assets:{brand}")
    g = rng.getrandbits
    words = brand.split()
    short = words[0]
    handles = (f"@{''.join(words[:2])}", f"@{short.lower()}cafe", f"@{short}Help")
    banks = []
    for _ in range(1024):
        item, cents, hour = g(24) % 40, 300 + g(24) % 900, 6 + g(24) % 15
        bank = {
            "item": ITEMS[item],
            "item2": ITEMS[(item + 1 + g(24) % 39) % 40],  # never the same as item
            "food": FOODS[g(24) % len(FOODS)],
            "drink": DRINKS[g(24) % len(DRINKS)],
            "staff": STAFF_NAMES[g(24) % len(STAFF_NAMES)],
            "handle": handles[g(24) % 3],
            "price": f"${cents // 100}.{cents % 100:02d}",
            "clock": f"{(hour - 1) % 12 + 1}:{5 * (g(24) % 12):02d} "
            + ("am" if hour < 12 else "pm"),
            "version": f"{4 + g(24) % 3}.{g(24) % 12}.{g(24) % 6}",
            "device": DEVICES[g(24) % len(DEVICES)],
            "brand": short,
            **{key: str(low + g(24) % span) for key, (low, span) in _RANGES.items()},
            **{key: f"{{{key}}}" for key in _RECORD_SLOTS},  # filled per record later
        }
        for key in ("drink", "food", "item", "item2"):
            word = bank[key]
            bank[f"a_{key}"] = ("an " if word[0] in "aeiou" else "a ") + word
        banks.append(bank)
    tags = (f"#{short}", f"#{''.join(words[:2])}", f"#{short}Love")
    decorations: Decorations = []
    for more in (0, 1):
        per_pol = []
        for pol in range(3):
            emojis, per_topic = ch.EMOJIS[pol], {}
            for topic, topic_tags in ch.TOPIC_TAGS.items():
                pools = (ch.HASHTAGS[pol], topic_tags, tags)
                variants = []
                for _ in range(256):
                    bits = ["".join(rng.choice(emojis) for _ in range(more + rng.randrange(3)))]
                    bits += [rng.choice(pools[i % 3]) for i in range(2 * more + rng.randrange(3))]
                    variants.append(" ".join(filter(None, bits)))
                per_topic[topic] = tuple(variants)
            per_pol.append(per_topic)
        decorations.append(per_pol)
    return banks, decorations


class TextComposer:
    """Builds one comment per call from precomputed frames, drawing only from ``rng``.

    Same draw sequence, same text.  ``compose`` is one method with inline draws because it
    runs millions of times; ``rng.getrandbits(24) % len(seq)`` is the uniform pick (bias
    below 1e-5) since it is about twice as fast as ``int(random() * len(seq))``.
    """

    def __init__(self, rng: random.Random, brand: str) -> None:
        self._r, self._g = rng.random, rng.getrandbits
        self._banks, self._decorations = _assets(brand)
        self._writers: dict[tuple[str, int, tuple[str, ...], str], Writer] = {}

    def compose(
        self,
        kind: str,
        topic: str,
        pol: int,
        venue: int,
        topics: Sequence[str],
        loc: str,
        when: tuple[str, str],
        first: str = "",
    ) -> str:
        """Text for one item.

        ``kind`` is a source name, ``"pulse"`` or ``"partner"``; ``pol`` 0/1/2 is
        positive/mixed/negative; ``venue`` picks context sentences and details; ``topics``
        are those a follow-up may use.  ``loc``, ``when`` (weekday, daypart) and ``first``
        (the author's first name, or "" for a random one) fill the matching slots.
        """
        return self.writer(kind, venue, tuple(topics), loc)(topic, pol, when, first)

    def writer(self, kind: str, venue: int, topics: tuple[str, ...], loc: str) -> Writer:
        """:meth:`compose` with kind, venue, follow-up topics and location bound (cached):
        hot loops call it directly, so per-record calls pass only what changes."""
        key = (kind, venue, topics, loc)
        found = self._writers.get(key)
        if found is None:
            found = self._writers[key] = self._make_writer(kind, venue, topics, loc)
        return found

    def _make_writer(self, kind: str, venue: int, topics: tuple[str, ...], loc: str) -> Writer:
        r, g, banks, dress = self._r, self._g, self._banks, self._dress
        frames, contexts, p_context, p_detail, p_follow, closers, mode, follow = _KINDS[kind]
        decorations = self._decorations[mode == INSTAGRAM]
        pool = _FOLLOW_TOPICS.get(kind, topics)
        lead_ins, details, physical = contexts[venue], ch.DETAILS[venue], venue == PHYSICAL

        def write(topic: str, pol: int, when: tuple[str, str], first: str = "") -> str:
            seq: Sequence[str] = frames[topic][pol]
            frame = seq[g(24) % len(seq)]
            lead = second = ""
            if p_context:
                x = r()
                if x < p_context:
                    lead = lead_ins[int(x / p_context * len(lead_ins))]
            if p_follow:
                x = r()
                if x < p_follow:  # another topic, same polarity 60% of the time
                    u = x / p_follow
                    other = pol if u < 0.6 else int((u - 0.6) * 7.5)
                    pick = g(24) % len(pool)
                    if pool[pick] == topic:  # never repeat the main topic
                        pick = (pick + 1) % len(pool)
                    seq = follow[other != pol][pool[pick]][other]
                    second = seq[g(24) % len(seq)]
            seq = closers[pol]
            closer = seq[g(24) % len(seq)]
            if TWEET <= mode <= INSTAGRAM:  # the most common dressing, kept inline
                x = r()
                if physical and x < 0.3:
                    frame += " at {loc}"
                seq = decorations[pol][topic]
                tail = seq[g(24) % len(seq)]
                closer = f"{closer} {tail}" if closer and tail else closer or tail
            elif mode:
                closer, frame, lead = dress(mode, pol, physical, closer, frame, lead)
            if p_detail:
                x = r()
                if x < p_detail:
                    frame = f"{frame} {details[int(x / p_detail * len(details))]}"
            text = f"{lead} {frame}" if lead else frame  # plain concatenation: 3x a join
            if second:
                text = f"{text} {second}"
            if closer:
                text = f"{text} {closer}"
            if "{" not in text:
                return text
            # Slots come from one of 1,024 prebuilt joint draws (a C-level lookup per slot);
            # the record's own context goes in a second, rarer pass.
            text = text.format_map(banks[g(10)])
            if "{" not in text:
                return text
            return text.format_map(
                {
                    "loc": loc,
                    "weekday": when[0],
                    "daypart": when[1],
                    "first": first or FIRST_NAMES[g(6)],
                    "order": f"#{100000 + g(24) % 900000}",
                }
            )

        return write

    def _dress(
        self, mode: int, pol: int, physical: bool, closer: str, frame: str, lead: str
    ) -> tuple[str, str, str]:
        """Reddit, Facebook and email touches: where-tags, an emoji, greeting and sign-off."""
        r, g = self._r, self._g
        if mode == REDDIT:
            frame += " at the {loc} location." if physical and r() < 0.5 else "."
        elif mode == FACEBOOK:
            if r() < 0.4:
                seq = ch.EMOJIS[pol]
                emoji = seq[g(24) % len(seq)]
                closer = f"{closer} {emoji}" if closer else emoji
        elif mode == EMAIL:
            greeting, signoff = ch.EMAIL_GREETINGS, ch.EMAIL_SIGNOFFS
            lead = f"{greeting[g(24) % len(greeting)]} {lead}".rstrip()
            closer = f"{closer} {signoff[g(24) % len(signoff)]}"
        return closer, frame, lead
