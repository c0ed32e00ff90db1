"""The probability model behind the demo generator, compiled into flat draw tables.

Everything the generator draws per record (channel and location, topic and polarity,
touchpoint, day and hour) is precomputed here as lookup tables indexed by random bits, so
the hot loop costs a handful of C calls per record.  The planted effects live here too:
the problem location's topic mix and mood, and the spike week's extra complaints.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Sequence
from datetime import date, timedelta
from itertools import accumulate
from typing import TypeVar

from .templates import DAYPARTS, TOPICS, WEEKDAYS

_T = TypeVar("_T")
TOUCHPOINTS = ("discovery", "purchase", "in_store", "delivery", "support", "billing", "app")


def weights(spec: str) -> dict[str, float]:
    """Parse ``"a:1 b:2.5"``; repeated keys add up."""
    out: dict[str, float] = {}
    for item in spec.split():
        key, value = item.split(":")
        out[key] = out.get(key, 0.0) + float(value)
    return out


def cumulative(values: Sequence[float]) -> list[float]:
    """Normalised cumulative weights for ``bisect``; zero weights are never drawn."""
    total = sum(values)
    cum = [w / total for w in accumulate(values)]
    cum[-1] = 1.0
    return cum


def lookup(cum: Sequence[float], bits: int, values: Sequence[_T]) -> list[_T | None]:
    """Slot table for drawing ``values`` (weights ``cum``) with one ``getrandbits(bits)``.

    Slot ``i`` covers uniforms in ``[i, i + 1) / 2**bits``; it holds the value when no
    boundary falls inside, else None and the caller bisects within the slot, so draws stay
    exactly distributed while nearly all of them skip the bisect.
    """
    size, table, j = 1 << bits, [], 0
    for i in range(size):
        low, high = i / size, (i + 1) / size
        while cum[j] <= low:
            j += 1
        table.append(values[j] if cum[j] >= high else None)
    return table


Draw = tuple[list[_T | None], list[float], Sequence[_T]]
"""A lookup table, the cumulative weights it was built from, and the values drawn."""


def draw_table(weights: Sequence[float], values: Sequence[_T], bits: int = 10) -> Draw[_T]:
    """Everything needed to draw ``values`` with ``weights`` (see :func:`lookup`)."""
    cum = cumulative(weights)
    return lookup(cum, bits, values), cum, values


def _probs(cum: Sequence[float]) -> list[float]:
    return [b - a for a, b in zip((0.0, *cum[:-1]), cum, strict=True)]


# (group, source, percent of all items); the group decides constituency, rating and voice.
CHANNELS = (
    ("survey", "survey", 25.0), ("social", "twitter", 14.0), ("social", "facebook", 7.7),
    ("social", "instagram", 8.75), ("social", "reddit", 4.55),
    ("review", "google_reviews", 11.25), ("review", "yelp", 6.25),
    ("review", "tripadvisor", 3.0), ("review", "app_store", 4.5),
    ("support", "support_ticket", 4.05), ("support", "chat", 3.15), ("support", "email", 1.8),
    ("pulse", "survey", 5.0), ("partner", "email", 0.6), ("partner", "survey", 0.4),
)  # fmt: skip
_KIND_FACTOR = {  # location kind -> relative volume, per group
    "survey": weights("store:1 franchisee:1 distributor:0.3 online:2"),
    "social": weights("store:1 franchisee:1 distributor:0.1 online:2.5"),
    "review": weights("store:1 franchisee:1 distributor:0 online:0"),
    "support": weights("store:0.5 franchisee:0.5 distributor:0.6 online:4"),
    "pulse": weights("store:1 franchisee:1 distributor:1.5 online:1"),
    "partner": weights("store:0 franchisee:1 distributor:1 online:0"),
}
TOPIC_MIX = {
    "base": "staff_service:16 wait_time:13 price_value:12 product_quality:18 cleanliness:8"
    " delivery:8 billing:6 app_website:9 communication:10",
    "review": "staff_service:19 wait_time:14 price_value:13 product_quality:22 cleanliness:10"
    " delivery:6 billing:3 app_website:4 communication:6",
    "online": "delivery:30 app_website:25 billing:12 product_quality:15 communication:10"
    " price_value:8",
    "distributor": "delivery:30 billing:20 communication:20 product_quality:20 price_value:10",
    "app_store": "app_website:45 delivery:20 billing:15 price_value:8 communication:7"
    " product_quality:5",
    "support": "billing:15 delivery:10 app_website:12 communication:20 product_quality:15"
    " staff_service:18 wait_time:5 price_value:5",
    "pulse": "staff_service:25 wait_time:10 communication:20 app_website:10 product_quality:10"
    " cleanliness:5 billing:8 price_value:12 delivery:5",
    "partner": "delivery:30 billing:22 communication:25 app_website:13 price_value:10"
    " product_quality:10",
}
_TOPIC_SHIFT = weights(  # added to P(positive); delivery and billing attract complaints
    "staff_service:0.04 wait_time:-0.08 price_value:-0.05 product_quality:0.08"
    " cleanliness:0.02 delivery:-0.1 billing:-0.12 app_website:-0.05 communication:-0.06"
)
_GROUP_SHIFT = weights("survey:0 social:-0.06 review:0 support:-0.35 pulse:-0.05 partner:-0.1")
_TOUCH = {  # customer touchpoints per topic
    "staff_service": "in_store:85 purchase:15",
    "wait_time": "in_store:75 purchase:25",
    "price_value": "purchase:70 discovery:30",
    "product_quality": "purchase:45 in_store:45 delivery:10",
    "cleanliness": "in_store:1",
    "delivery": "delivery:92 support:8",
    "billing": "billing:90 support:10",
    "app_website": "app:85 discovery:15",
    "communication": "support:60 discovery:40",
}
_STAFF_TOUCH = {"delivery": "delivery", "billing": "billing", "app_website": "app"}
_DOW = (  # Monday..Sunday volume: visits (surveys, reviews), social posts, office hours
    (1, 1, 1, 1.05, 1.15, 1.35, 1.25), (1, 1, 1, 1.05, 1.1, 1.2, 1.15),
    (1.2, 1.15, 1.1, 1.1, 1, 0.35, 0.25),
)  # fmt: skip
_HOURS = (  # UTC hour of day, same three families
    (1, .5, .3, .2, .2, .4, 1.5, 3, 4, 4, 3.5, 3.5, 4, 3.5, 3, 3, 3, 3.5, 4, 4, 3.5, 3, 2, 1.5),
    (2, 1.2, .6, .4, .3, .5, 1.2, 2.5, 3.5, 3.5, 3, 3, 4, 3.5, 3, 3, 3.2, 3.5, 4, 4.5, 5, 5, 4, 3),
    (.2, .1, .1, .1, .1, .3, .8, 2, 4, 5, 5, 5, 4, 5, 5, 5, 4.5, 3, 1.5, 1, .8, .6, .4, .3),
)  # fmt: skip
_FAMILY = {"survey": 0, "review": 0, "social": 1, "support": 2, "pulse": 2, "partner": 2}


class Channel:
    """A (group, source) pair and what follows from it: constituency, scale, id prefix."""

    __slots__ = ("constituency", "group", "kind", "scale", "source", "weight")

    def __init__(self, group: str, source: str, weight: float) -> None:
        self.group, self.source, self.weight = group, source, weight
        self.kind = group if group in ("pulse", "partner") else source
        self.constituency = {"pulse": "employee", "partner": "partner"}.get(group, "customer")
        self.scale = "nps_0_10" if source == "survey" else "stars_1_5" if group == "review" else ""


class Times:
    """Joint day-and-hour table: ``stamps[i]`` is ``YYYY-MM-DDTHH:``, ``context[i]`` the
    (weekday, daypart) pair for the text slots."""

    __slots__ = ("context", "cum", "stamps", "table")

    def __init__(self, day0: date, first_day: int, days: int, family: int) -> None:
        wd0, dow, hours = day0.weekday(), _DOW[family], _HOURS[family]
        self.cum = cumulative(
            [dow[(wd0 + d) % 7] * h for d in range(first_day, first_day + days) for h in hours]
        )
        self.table = lookup(self.cum, 16, range(len(self.cum)))
        self.stamps: list[str] = []
        self.context: list[tuple[str, str]] = []
        for d in range(first_day, first_day + days):
            day = (day0 + timedelta(days=d)).isoformat()
            for hour in range(24):
                self.stamps.append(f"{day}T{hour:02d}:")
                self.context.append((WEEKDAYS[(wd0 + d) % 7], DAYPARTS[hour]))


class Entry:
    """One outcome of the first draw: a channel at a location, normal or spike."""

    __slots__ = ("channel", "li", "outcome", "times", "touch", "weight")

    def __init__(self, channel: Channel, li: int, weight: float, times: Times) -> None:
        self.channel, self.li, self.weight, self.times = channel, li, weight, times
        self.outcome: Draw[tuple[str, int, int]] = ([], [], ())  # topic, its index, polarity
        self.touch: list[Draw[str]] = []  # per topic index


def _topic_mix(group: str, source: str, kind: str) -> dict[str, float]:
    key = "base"
    if group in ("pulse", "partner"):
        key = group
    elif source == "app_store":
        key = "app_store"
    elif kind in ("online", "distributor"):
        key = kind
    elif group in ("support", "review"):
        key = group
    return weights(TOPIC_MIX[key])


def _polarity(group: str, topic: str, mood: tuple[float, float], problem: int) -> list[float]:
    """P(positive), P(mixed), P(negative) for one group, topic and location mood."""
    shift = _TOPIC_SHIFT[topic] + _GROUP_SHIFT[group]
    pos, neg = mood[0] + shift, mood[1] - 0.8 * shift
    if problem == 2:  # the planted problem topic at the planted location
        pos, neg = 0.06, 0.8
    elif problem == 1:
        pos, neg = pos - 0.1, neg + 0.08
    pos, neg = min(max(pos, 0.03), 0.92), min(max(neg, 0.03), 0.92)
    if pos + neg > 0.97:
        pos, neg = pos * 0.97 / (pos + neg), neg * 0.97 / (pos + neg)
    return [pos, 1.0 - pos - neg, neg]


@functools.lru_cache(maxsize=512)
def _touch(group: str, kind: str, topic: str) -> Draw[str]:
    if group in ("pulse", "partner"):
        fallback = "in_store" if group == "pulse" else "support"
        spec = f"{_STAFF_TOUCH.get(topic, fallback)}:1"
    elif group == "support" and topic not in ("delivery", "billing", "app_website"):
        spec = "support:1"
    else:
        spec = _TOUCH[topic]
        if kind not in ("store", "franchisee"):
            spec = spec.replace("in_store", "delivery")
    w = weights(spec)
    return draw_table([w.get(tp, 0.0) for tp in TOUCHPOINTS], TOUCHPOINTS, 8)


@functools.lru_cache(maxsize=8)
def build(
    kinds: tuple[str, ...],
    names: tuple[str, ...],
    seed: int,
    day0: date,
    weeks: int,
    problem: tuple[str, str],
    spike: tuple[int, str, str, float],
) -> tuple[list[Entry], Draw[int]]:
    """All first-draw entries and their lookup table; cached, so callers must not mutate.

    ``kinds``/``names`` describe the leaf locations, ``problem`` is (location, topic),
    ``spike`` is (week number, topic, touchpoint, multiplier).  Spike entries add extra
    complaints so that the spike week's volume at the spike touchpoint is ``multiplier``
    times an ordinary week's, computed exactly from the normal entries' tables.
    """
    kinds = tuple("distributor" if k == "dealer" else k for k in kinds)
    times = [Times(day0, 0, weeks * 7, family) for family in range(3)]
    entries: list[Entry] = []
    profiles = []  # per location: mood (0..1, shifts polarity) and relative volume
    for name in names:
        rng = random.Random(f"{name}|{seed}")
        mood, volume = rng.random(), 0.7 + 0.7 * rng.random()
        profiles.append((mood, max(volume, 1.0) if name == problem[0] else volume))
    for group, source, share in CHANNELS:
        channel = Channel(group, source, share)
        made = []
        for li, (kind, name) in enumerate(zip(kinds, names, strict=True)):
            mood, volume = profiles[li]
            factor = _KIND_FACTOR[group].get(kind, 0.0)
            if source == "app_store":
                factor = float(kind == "online")
            if factor == 0:
                continue
            entry = Entry(channel, li, factor * volume, times[_FAMILY[group]])
            here = name == problem[0] and group != "partner"
            mix = _topic_mix(group, source, kind)
            if here and problem[1] in mix:
                mix[problem[1]] *= 4.5
            base = (0.56 + 0.1 * mood, 0.19 - 0.07 * mood)
            odds, outcomes = [], []
            for topic, w in mix.items():
                flag = (2 if topic == problem[1] else 1) if here else 0
                for pol, p in enumerate(_polarity(group, topic, base, flag)):
                    outcomes.append((topic, TOPICS.index(topic), pol))
                    odds.append(w * p)
            entry.outcome = draw_table(odds, tuple(outcomes))
            entry.touch = [_touch(group, kind, topic) for topic in TOPICS]
            made.append(entry)
        channel_total = sum(e.weight for e in made)
        for entry in made:  # the channel keeps its share, split by location volume
            entry.weight *= share / channel_total
        entries += made
    total = sum(e.weight for e in entries)
    entries += _spike_entries(entries, total, day0, weeks, spike)
    return entries, draw_table([e.weight for e in entries], range(len(entries)), 16)


def _spike_entries(
    normal: list[Entry], total: float, day0: date, weeks: int, spike: tuple[int, str, str, float]
) -> list[Entry]:
    week, topic, touchpoint, multiplier = spike
    if not 1 <= week <= weeks or multiplier <= 1:
        return []
    tp = TOUCHPOINTS.index(touchpoint)
    rate = 0.0  # share of normal items at the spike touchpoint, from the tables
    for e in normal:
        for (_, ti, _), p in zip(e.outcome[2], _probs(e.outcome[1]), strict=True):
            rate += e.weight / total * p * _probs(e.touch[ti][1])[tp]
    extra = (multiplier - 1) * rate * total / weeks  # weight, like the normal entries'
    customer = [e for e in normal if e.channel.constituency == "customer"]
    customer_total = sum(e.weight for e in customer)
    forced = draw_table([float(i == tp) for i in range(len(TOUCHPOINTS))], TOUCHPOINTS, 8)
    week_times = [Times(day0, (week - 1) * 7, 7, family) for family in range(3)]
    out = []
    for e in customer:
        times = week_times[_FAMILY[e.channel.group]]
        s = Entry(e.channel, e.li, extra * e.weight / customer_total, times)
        ti = TOPICS.index(topic)
        s.outcome = draw_table([0.85, 0.15], ((topic, ti, 2), (topic, ti, 1)))
        s.touch = [forced] * len(TOPICS)
        out.append(s)
    return out
