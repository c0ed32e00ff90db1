"""Seeded synthetic feedback for a demo brand, with planted effects to rediscover.

The generator lets the whole pipeline (ingest, analysis, NPS report) be shown and tested
on realistic data without shipping any real customer text.  Two effects are planted so a
report can be checked against ground truth: one franchisee with a persistent
``staff_service`` problem (clearly the lowest NPS), and one week in which delivery
complaints spike across all locations.  Output depends only on ``(seed, n)`` and the
arguments, never on hash seeds or wall-clock time, and records stream in constant memory.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import random
from bisect import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter
from typing import TypeVar

from . import mix
from .mix import TOUCHPOINTS
from .templates import ONLINE, PHYSICAL, TOPICS, WHOLESALE, TextComposer
from .templates_vocab import Authors

__all__ = [
    "FIELDS",
    "SOURCES",
    "TOUCHPOINTS",
    "DemoBrand",
    "DemoLocation",
    "generate_brand",
    "iter_feedback",
    "write_csv",
    "write_jsonl",
]

FIELDS = (
    "id", "source", "author", "text", "created_at", "location", "touchpoint", "constituency",
    "rating", "rating_scale", "reach", "url",
)  # fmt: skip
SOURCES = (
    "twitter", "facebook", "instagram", "reddit", "google_reviews", "yelp", "tripadvisor",
    "app_store", "survey", "support_ticket", "chat", "email",
)  # fmt: skip
DEFAULT_START = "2026-06-01"
DEFAULT_WEEKS = 12
BRAND_NAME = "Copperleaf Coffee & Bakery"


@dataclass(frozen=True)
class DemoLocation:
    """One node of the brand hierarchy; ``kind`` is one of ``socialcem.models.LOCATION_KINDS``."""

    name: str
    parent: str | None
    kind: str


@dataclass
class DemoBrand:
    """The demo brand: regions first, then leaves, and the ground truth of planted effects."""

    name: str
    locations: list[DemoLocation]
    planted: dict[str, object]

    @property
    def leaves(self) -> list[DemoLocation]:
        """Locations that feedback is attached to (everything but regions)."""
        return [loc for loc in self.locations if loc.kind != "region"]


_REGIONS: dict[str, str] = {
    "Pacific Northwest": "Seattle Pike Street:store|Seattle Capitol Hill:store"
    "|Portland Pearl District:store|Tacoma Stadium District:franchisee"
    "|Spokane Riverfront:franchisee|Cascade Bean Distributors:distributor",
    "California": "San Francisco Mission:store|Oakland Temescal:store|San Jose Willow Glen:store"
    "|Sacramento Midtown:franchisee|Fresno Tower District:franchisee",
    "Mountain West": "Denver LoDo:store|Boulder Pearl Street:store"
    "|Salt Lake Sugar House:franchisee|Boise North End:franchisee",
    "Southwest": "Phoenix Roosevelt Row:store|Albuquerque Nob Hill:store"
    "|Las Vegas Arts District:store|Tucson Fourth Avenue:franchisee",
}


def generate_brand(seed: int = 7, *, start: str = DEFAULT_START) -> DemoBrand:
    """A coffee and bakery chain: 4 regions, 20 leaves (stores, franchisees, a distributor
    and an online shop); the seed picks which franchisee carries the service problem.

    ``start`` only dates ``planted["spike_week_start"]``; pass the same one to
    :func:`iter_feedback`.
    """
    rng = random.Random(f"socialcem-demo-brand:{seed}")
    locations = [DemoLocation(region, None, "region") for region in _REGIONS]
    for region, spec in _REGIONS.items():
        for entry in spec.split("|"):
            name, kind = entry.split(":")
            locations.append(DemoLocation(name, region, kind))
    locations.append(DemoLocation(f"{BRAND_NAME.split()[0]} Online Shop", None, "online"))
    problem = rng.choice([loc for loc in locations if loc.kind == "franchisee"])
    spike_week = 8
    week_start = date.fromisoformat(start) + timedelta(weeks=spike_week - 1)
    planted: dict[str, object] = {
        "service_problem_location": problem.name,
        "service_problem_region": problem.parent,
        "service_problem_topic": "staff_service",
        "service_problem_nps_target": -30,
        "baseline_nps_range": [20, 40],
        "spike_topic": "delivery",
        "spike_touchpoint": "delivery",
        "spike_week": spike_week,
        "spike_week_start": week_start.isoformat(),
        "spike_multiplier": 4.0,
    }
    return DemoBrand(BRAND_NAME, locations, planted)


_T = TypeVar("_T")
_PREFIX = dict(
    zip(
        SOURCES,
        ("tw", "fb", "ig", "rd", "gr", "yp", "ta", "as", "sv", "tk", "ch", "em"),
        strict=True,
    )
)
_URL = {  # URL heads; {b} brand slug, {slug} location slug, {h} author handle
    "twitter": "https://x.example.com/{h}/status/",
    "instagram": "https://instagram.example.com/p/",
    "facebook": "https://facebook.example.com/{b}/posts/",
    "reddit": "https://reddit.example.com/r/coffee/comments/",
    "google_reviews": "https://maps.example.com/place/{b}-{slug}/reviews/",
    "yelp": "https://yelp.example.com/biz/{b}-{slug}?hrid=",
    "tripadvisor": "https://tripadvisor.example.com/ShowUserReviews-{slug}-r",
    "app_store": "https://apps.example.com/app/{b}/reviews/",
}
_SCORES = tuple(str(i) for i in range(11))
_NPS = [  # score 0..10 given the text's polarity: positive, mixed, negative
    mix.draw_table(w, _SCORES)
    for w in (
        (0,) * 7 + (3, 12, 40, 45),
        (0,) * 5 + (5, 12, 40, 35, 8, 0),
        (8, 6, 10, 14, 16, 20, 20, 6, 0, 0, 0),
    )
]
_STARS = [
    mix.draw_table(w, _SCORES[1:6])
    for w in ((0, 0, 3, 22, 75), (0, 15, 45, 40, 0), (50, 35, 15, 0, 0))
]
_MMSS = [f"{m:02d}:{s:02d}Z" for m in range(60) for s in range(60)]


def _planted(brand: DemoBrand, key: str, kind: type[_T]) -> _T:
    value = brand.planted.get(key)
    if not isinstance(value, kind):
        raise ValueError(f"brand.planted[{key!r}] must be a {kind.__name__}, got {value!r}")
    return value


def _number(brand: DemoBrand, key: str) -> float:
    value = brand.planted.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"brand.planted[{key!r}] must be a number, got {value!r}")
    return float(value)


def iter_feedback(
    brand: DemoBrand,
    n: int,
    seed: int = 7,
    start: str = DEFAULT_START,
    weeks: int = DEFAULT_WEEKS,
) -> Iterator[dict[str, str]]:
    """Yield ``n`` feedback records: dicts of strings with exactly the keys in ``FIELDS``.

    Records come in random time order over ``weeks`` weeks from ``start``.  The stream is
    a pure function of the arguments and its first ``k`` records do not depend on ``n``.
    The spike applies when ``planted["spike_week"]`` falls within ``weeks``: extra
    complaints make that week's volume at the spike touchpoint ``spike_multiplier``
    times an ordinary week's.
    """
    if n < 0 or weeks < 1:
        raise ValueError(f"need n >= 0 and weeks >= 1, got n={n}, weeks={weeks}")
    leaves = brand.leaves
    problem = (
        _planted(brand, "service_problem_location", str),
        _planted(brand, "service_problem_topic", str),
    )
    spike = (
        _planted(brand, "spike_week", int),
        _planted(brand, "spike_topic", str),
        _planted(brand, "spike_touchpoint", str),
        _number(brand, "spike_multiplier"),
    )
    kinds, names = tuple(loc.kind for loc in leaves), tuple(loc.name for loc in leaves)
    if problem[0] not in names or problem[1] not in TOPICS or spike[1] not in TOPICS:
        raise ValueError(f"planted effects must name a leaf location and topics {TOPICS}")
    if spike[2] not in TOUCHPOINTS:
        raise ValueError(f"planted spike_touchpoint must be one of {TOUCHPOINTS}")
    day0 = date.fromisoformat(start)
    entries, top = mix.build(kinds, names, seed, day0, weeks, problem, spike)
    return _records(brand, n, seed, entries, top)


def _fixed(draw: mix.Draw[str]) -> mix.Draw[str] | str:
    """The touchpoint itself when a draw has a single outcome, so the loop can skip it."""
    table = draw[0]
    only = table[0]
    return only if only is not None and table.count(only) == len(table) else draw


def _records(
    brand: DemoBrand, n: int, seed: int, entries: list[mix.Entry], top: mix.Draw[int]
) -> Iterator[dict[str, str]]:
    rng = random.Random(f"socialcem-demo-feedback:{seed}")
    r, g = rng.random, rng.getrandbits
    composer = TextComposer(rng, brand.name)
    brand_slug = "-".join(brand.name.lower().replace("&", " ").split())
    venue_topics = {
        PHYSICAL: TOPICS,
        ONLINE: tuple(mix.weights(mix.TOPIC_MIX["online"])),
        WHOLESALE: tuple(mix.weights(mix.TOPIC_MIX["distributor"])),
    }
    books = {e.channel: Authors(e.channel.group, e.channel.source) for e in entries}
    counters = {source: itertools.count(1) for source in SOURCES}  # ids count per source
    plans = []  # one flat tuple per entry: the loop unpacks instead of chasing attributes
    for e in entries:
        ch, loc, people = e.channel, brand.leaves[e.li], books[e.channel]
        venue = {"online": ONLINE, "distributor": WHOLESALE, "dealer": WHOLESALE}.get(
            loc.kind, PHYSICAL
        )
        head = ""
        if ch.group in ("social", "review"):
            slug = loc.name.lower().replace(" ", "-")
            head = _URL[ch.source].format(b=brand_slug, slug=slug, h="{h}")
        label = "online shop" if venue == ONLINE else loc.name
        ratings = (_STARS if ch.scale == "stars_1_5" else _NPS) if ch.scale else None
        plans.append(
            (*e.outcome, [_fixed(d) for d in e.touch], e.times.table, e.times.cum,
             e.times.stamps, e.times.context, people.cache, people.make, people.skew,
             people.offset + e.li * people.stride, counters[ch.source], head, loc.name,
             composer.writer(ch.kind, venue, venue_topics[venue], label), ch.source,
             f"{_PREFIX[ch.source]}-", ch.constituency, ch.scale, ratings,
             ch.source == "email" and ch.group == "support")
        )  # fmt: skip
    top_cum = top[1]
    top_plans = [None if j is None else plans[j] for j in top[0]]

    # Weighted draws: g(bits) picks a slot of a lookup table; None means the slot straddles
    # a boundary and a bisect inside the slot decides (see mix.lookup).
    for _ in range(n):
        i = g(16)
        plan = top_plans[i]
        if plan is None:
            plan = plans[bisect(top_cum, (i + r()) / 65536)]
        (outcome_table, outcome_cum, outcomes, touch, time_table, time_cum, stamps, when, cache,
         make, skew, aid0, counter, head, location, write, source, prefix,
         constituency, scale, ratings, signed) = plan  # fmt: skip
        i = g(10)
        outcome = outcome_table[i]
        if outcome is None:
            outcome = outcomes[bisect(outcome_cum, (i + r()) / 1024)]
        topic, ti, pol = outcome
        i = g(16)
        k = time_table[i]
        if k is None:
            k = bisect(time_cum, (i + r()) / 65536)
        touchpoint = touch[ti]
        if not isinstance(touchpoint, str):  # several touchpoints possible: draw one
            i = g(8)
            drawn = touchpoint[0][i]
            touchpoint = drawn or touchpoint[2][bisect(touchpoint[1], (i + r()) / 256)]
        rating = ""
        if ratings:
            i = g(10)
            rating_table, rating_cum, values = ratings[pol]
            rating = rating_table[i] or values[bisect(rating_cum, (i + r()) / 1024)]
        serial = next(counter)
        aid = aid0 + skew[g(14)]
        person = cache.get(aid)
        if person is None:
            person = cache[aid] = make(aid)
        author, reach, url = person
        if head:
            url = (url or head) + str(1_790_000_000_000_000_000 + serial * 7919)
        first = author.partition(" ")[0] if signed else ""
        yield {
            "id": prefix + str(serial).zfill(6),
            "source": source,
            "author": author,
            "text": write(topic, pol, when[k], first),
            "created_at": stamps[k] + _MMSS[g(24) % 3600],
            "location": location,
            "touchpoint": touchpoint,
            "constituency": constituency,
            "rating": rating,
            "rating_scale": scale,
            "reach": reach,
            "url": url,
        }


def write_csv(path: str | os.PathLike[str], records: Iterable[dict[str, str]]) -> int:
    """Stream records to a UTF-8 CSV with a header in ``FIELDS`` order; returns the count."""
    row = itemgetter(*FIELDS)
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(FIELDS)
        for record in records:
            writer.writerow(row(record))
            count += 1
    return count


def write_jsonl(path: str | os.PathLike[str], records: Iterable[dict[str, str]]) -> int:
    """Stream records as JSON Lines (one object per line); returns the count."""
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count
