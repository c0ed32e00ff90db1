"""The demo generator: deterministic, valid records, and planted effects a report can find."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from pathlib import Path

import pytest

from socialcem.demo import DemoBrand, generate_brand, write_csv, write_jsonl
from socialcem.demo.generator import FIELDS, SOURCES, TOUCHPOINTS, iter_feedback

START = date(2026, 6, 1)
SOCIAL = {"twitter", "facebook", "instagram", "reddit"}
REVIEWS = {"google_reviews", "yelp", "tripadvisor", "app_store"}


@pytest.fixture(scope="module")
def brand() -> DemoBrand:
    return generate_brand(7)


@pytest.fixture(scope="module")
def records(brand: DemoBrand) -> list[dict[str, str]]:
    return list(iter_feedback(brand, 20_000))


def survey_nps(records: list[dict[str, str]]) -> dict[str, float]:
    """Customer survey NPS per location: %promoters (9-10) - %detractors (0-6)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for rec in records:
        if rec["rating_scale"] == "nps_0_10" and rec["constituency"] == "customer":
            score = int(rec["rating"])
            category = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
            counts[rec["location"]][category] += 1
    return {loc: 100 * (c["promoter"] - c["detractor"]) / c.total() for loc, c in counts.items()}


def week_of(rec: dict[str, str]) -> int:
    return (datetime.fromisoformat(rec["created_at"]).date() - START).days // 7


# ---------------------------------------------------------------- determinism


def test_same_seed_same_output_and_other_seed_differs(brand: DemoBrand) -> None:
    first = list(iter_feedback(brand, 2_000, seed=7))
    assert list(iter_feedback(generate_brand(7), 2_000, seed=7)) == first
    assert list(iter_feedback(brand, 2_000, seed=8)) != first
    assert generate_brand(7) == brand


def test_prefix_does_not_depend_on_n(brand: DemoBrand) -> None:
    assert list(iter_feedback(brand, 300)) == list(islice(iter_feedback(brand, 3_000), 300))


def test_output_does_not_depend_on_hash_seed() -> None:
    code = (
        "import hashlib, json\n"
        "from socialcem.demo.generator import generate_brand, iter_feedback\n"
        "recs = list(iter_feedback(generate_brand(3), 300, seed=3))\n"
        "print(hashlib.sha256(json.dumps(recs).encode()).hexdigest())\n"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        digests.add(done.stdout.strip())
    recs = list(iter_feedback(generate_brand(3), 300, seed=3))
    assert digests == {hashlib.sha256(json.dumps(recs).encode()).hexdigest()}


def test_rejects_bad_arguments(brand: DemoBrand) -> None:
    with pytest.raises(ValueError, match="n >= 0"):
        iter_feedback(brand, -1)
    with pytest.raises(ValueError, match="weeks >= 1"):
        iter_feedback(brand, 10, weeks=0)
    assert list(iter_feedback(brand, 0)) == []


# ---------------------------------------------------------------- the brand


def test_brand_has_regions_and_mixed_leaves(brand: DemoBrand) -> None:
    regions = [loc.name for loc in brand.locations if loc.kind == "region"]
    assert len(regions) == 4
    assert brand.locations[: len(regions)] == [
        loc for loc in brand.locations if loc.kind == "region"
    ]  # parents come first, so loaders can insert in order
    leaves = brand.leaves
    assert 18 <= len(leaves) <= 22
    kinds = Counter(loc.kind for loc in leaves)
    assert kinds["store"] >= 5 and kinds["franchisee"] >= 3 and kinds["online"] == 1
    assert kinds["distributor"] + kinds["dealer"] == 1
    assert all(loc.parent in regions for loc in leaves if loc.kind != "online")
    assert len({loc.name for loc in brand.locations}) == len(brand.locations)


def test_planted_effects_are_described(brand: DemoBrand) -> None:
    planted = brand.planted
    problem = next(loc for loc in brand.leaves if loc.name == planted["service_problem_location"])
    assert problem.kind == "franchisee"
    assert planted["service_problem_topic"] == "staff_service"
    assert planted["spike_topic"] == "delivery"
    assert planted["spike_touchpoint"] in TOUCHPOINTS
    spike_start = date.fromisoformat(str(planted["spike_week_start"]))
    assert spike_start.weekday() == 0
    assert spike_start == START + timedelta(weeks=int(str(planted["spike_week"])) - 1)
    json.dumps(planted)  # the CLI prints it as JSON


# ---------------------------------------------------------------- records


def test_records_have_valid_keys_and_values(
    brand: DemoBrand, records: list[dict[str, str]]
) -> None:
    leaves = {loc.name for loc in brand.leaves}
    end = datetime(2026, 6, 1, tzinfo=UTC) + timedelta(weeks=12)
    ids: dict[str, set[str]] = defaultdict(set)
    for rec in records:
        assert tuple(rec) == FIELDS
        assert all(isinstance(value, str) for value in rec.values())
        source, scale, rating = rec["source"], rec["rating_scale"], rec["rating"]
        assert source in SOURCES
        assert rec["location"] in leaves
        assert rec["touchpoint"] in TOUCHPOINTS
        assert rec["constituency"] in ("customer", "employee", "partner")
        assert rec["text"] and rec["author"]
        created = datetime.fromisoformat(rec["created_at"])
        assert rec["created_at"].endswith("Z") and created.utcoffset() == timedelta(0)
        assert datetime(2026, 6, 1, tzinfo=UTC) <= created < end
        if scale == "nps_0_10":
            assert source == "survey" and 0 <= int(rating) <= 10
        elif scale == "stars_1_5":
            assert source in REVIEWS and 1 <= int(rating) <= 5
        else:
            assert scale == "" and rating == ""
        if rec["constituency"] == "employee":
            assert source == "survey" and scale == "nps_0_10"
        assert rec["reach"].isdigit() if source in SOCIAL else rec["reach"] == ""
        assert rec["url"] == "" or (
            rec["url"].startswith("https://") and ".example.com/" in rec["url"]
        )
        assert rec["id"] not in ids[source]
        ids[source].add(rec["id"])


def test_channel_mix_is_roughly_as_specified(records: list[dict[str, str]]) -> None:
    share = Counter[str]()
    for rec in records:
        source, group = rec["source"], rec["constituency"]
        if group != "customer":
            share[group] += 1
        elif source == "survey":
            share["survey"] += 1
        elif source in SOCIAL:
            share["social"] += 1
        elif source in REVIEWS:
            share["reviews"] += 1
        else:
            share["support"] += 1
    n = len(records)
    assert 0.22 < share["survey"] / n < 0.30
    assert 0.30 < share["social"] / n < 0.40
    assert 0.21 < share["reviews"] / n < 0.30
    assert 0.07 < share["support"] / n < 0.14
    assert 0.03 < share["employee"] / n < 0.07
    assert 0 < share["partner"] / n < 0.03


def test_authors_repeat_and_ratings_follow_polarity(records: list[dict[str, str]]) -> None:
    authors = Counter(rec["author"] for rec in records)
    assert authors.most_common(1)[0][1] >= 5
    assert len(authors) > len(records) / 5
    stars = [rec for rec in records if rec["rating_scale"] == "stars_1_5"]
    angry = [int(r["rating"]) for r in stars if "One star is generous" in r["text"]]
    happy = [int(r["rating"]) for r in stars if "Highly recommend" in r["text"]]
    assert angry and happy
    assert max(angry) <= 3 and sum(happy) / len(happy) > 4.3


def test_texts_are_mostly_unique(brand: DemoBrand) -> None:
    texts = [rec["text"] for rec in iter_feedback(brand, 50_000, seed=11)]
    assert len(set(texts)) / len(texts) > 0.9
    lengths = sorted(len(text.split()) for text in texts)
    assert 8 <= lengths[len(lengths) // 2] <= 40


# ---------------------------------------------------------------- planted effects


def test_service_problem_location_has_clearly_lowest_nps(
    brand: DemoBrand, records: list[dict[str, str]]
) -> None:
    scores = survey_nps(records)
    problem = str(brand.planted["service_problem_location"])
    others = sorted(score for loc, score in scores.items() if loc != problem)
    assert scores[problem] < 0 < others[0]
    assert others[0] - scores[problem] >= 25
    overall = [int(r["rating"]) for r in records if r["rating_scale"] == "nps_0_10"]
    prom, det = sum(s >= 9 for s in overall), sum(s <= 6 for s in overall)
    assert 15 <= 100 * (prom - det) / len(overall) <= 40


def test_service_problem_follows_the_planted_location(brand: DemoBrand) -> None:
    moved = next(
        loc.name
        for loc in brand.leaves
        if loc.kind == "franchisee" and loc.name != brand.planted["service_problem_location"]
    )
    other = replace(brand, planted={**brand.planted, "service_problem_location": moved})
    scores = survey_nps(list(iter_feedback(other, 12_000)))
    assert min(scores, key=scores.__getitem__) == moved


def test_delivery_spikes_in_the_planted_week(
    brand: DemoBrand, records: list[dict[str, str]]
) -> None:
    weeks = Counter(week_of(rec) for rec in records if rec["touchpoint"] == "delivery")
    spike = int(str(brand.planted["spike_week"])) - 1
    others = [weeks[w] for w in range(12) if w != spike]
    assert weeks[spike] >= 3 * sum(others) / len(others)
    assert max(others) < 1.5 * min(others)


# ---------------------------------------------------------------- files


def test_csv_and_jsonl_round_trip(brand: DemoBrand, tmp_path: Path) -> None:
    expected = list(iter_feedback(brand, 1_000))
    assert write_csv(tmp_path / "demo.csv", iter(expected)) == 1_000
    assert write_jsonl(tmp_path / "demo.jsonl", iter(expected)) == 1_000
    with (tmp_path / "demo.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == FIELDS
        assert list(reader) == expected
    with (tmp_path / "demo.jsonl").open(encoding="utf-8") as handle:
        assert [json.loads(line) for line in handle] == expected
    assert write_csv(str(tmp_path / "empty.csv"), []) == 0
