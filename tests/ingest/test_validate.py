"""Validation: one record -> a Feedback, or every Problem in it with field and reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialcem.ingest.mapping import ColumnMapping
from socialcem.ingest.validate import MAX_REACH, MAX_TEXT_CHARS, to_feedback
from socialcem.models import Constituency, Feedback, Problem, RatingScale

ALL_COLUMNS = {
    "id": "id",
    "text": "text",
    "created_at": "created_at",
    "author": "author",
    "source": "source",
    "location": "location",
    "touchpoint": "touchpoint",
    "constituency": "constituency",
    "rating": "rating",
    "rating_scale": "rating_scale",
    "reach": "reach",
    "url": "url",
}
MAPPING = ColumnMapping(ALL_COLUMNS)


def _mapping(date_format: str | None = None, **defaults: str) -> ColumnMapping:
    return ColumnMapping(ALL_COLUMNS, defaults, date_format)


def _record(**overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": "r-1",
        "text": "  The barista remembered my order  ",
        "created_at": "2024-03-01T10:30:00Z",
        "author": "ann",
        "source": "Twitter",
        "location": "Store 1",
        "touchpoint": "checkout",
        "constituency": "customer",
        "rating": "9",
        "rating_scale": "nps_0_10",
        "reach": "120",
        "url": "https://example.com/p/1",
    }
    record.update(overrides)
    return record


def _ok(record: dict[str, Any], mapping: ColumnMapping = MAPPING) -> Feedback:
    result = to_feedback(record, mapping, "in.csv", 7)
    assert isinstance(result, Feedback), result
    return result


def _problems(record: dict[str, Any], mapping: ColumnMapping = MAPPING) -> list[Problem]:
    result = to_feedback(record, mapping, "in.csv", 7)
    assert isinstance(result, list), result
    assert result, "a failed record has at least one problem"
    for problem in result:
        assert problem.file == "in.csv"
        assert problem.line == 7
        assert problem.reason
    return result


def _only(record: dict[str, Any], mapping: ColumnMapping = MAPPING) -> Problem:
    problems = _problems(record, mapping)
    assert len(problems) == 1, problems
    return problems[0]


# ---------------------------------------------------------------- good records


def test_good_record_fields_are_converted() -> None:
    f = _ok(_record())
    assert f.source == "twitter"
    assert f.external_id == "r-1"
    assert f.text == "The barista remembered my order"
    assert f.created_at == datetime(2024, 3, 1, 10, 30, tzinfo=UTC)
    assert f.author == "ann"
    assert f.location == "Store 1"
    assert f.touchpoint == "checkout"
    assert f.constituency is Constituency.CUSTOMER
    assert f.rating == 9.0
    assert f.rating_scale is RatingScale.NPS_0_10
    assert f.reach == 120
    assert f.url == "https://example.com/p/1"
    assert f.raw is None


def test_minimal_record_gets_defaults() -> None:
    mapping = ColumnMapping({"text": "text", "created_at": "created_at"})
    f = _ok({"text": "hi", "created_at": "2024-01-01"}, mapping)
    assert f.source == "unknown"
    assert f.author is None and f.location is None and f.reach is None and f.url is None
    assert f.constituency is Constituency.CUSTOMER
    assert f.rating is None and f.rating_scale is RatingScale.NONE
    assert f.external_id.startswith("h:")


def test_empty_optional_values_are_none() -> None:
    f = _ok(_record(author="", location="   ", source="", rating="", reach="", url=""))
    assert f.author is None and f.location is None
    assert f.source == "unknown"
    assert f.rating is None and f.rating_scale is RatingScale.NONE
    assert f.reach is None and f.url is None


def test_defaults_fill_missing_fields_and_source_is_lower_cased() -> None:
    mapping = ColumnMapping({"text": "text", "created_at": "created_at"}, {"source": "Survey"})
    assert _ok({"text": "x", "created_at": "2024-01-01"}, mapping).source == "survey"


def test_constituency_case_insensitive() -> None:
    assert _ok(_record(constituency="Employee")).constituency is Constituency.EMPLOYEE
    assert _ok(_record(constituency="PARTNER")).constituency is Constituency.PARTNER


def test_extra_columns_are_kept_as_strings() -> None:
    record = _record(order_total=12.5, note="", empty=None)
    result = to_feedback(record, MAPPING, "in.csv", 2, ("order_total", "note", "empty"))
    assert isinstance(result, Feedback)
    assert result.raw == {"order_total": "12.5"}


def test_content_hash_id_is_stable_and_content_sensitive() -> None:
    first = _ok(_record(id=""))
    again = _ok(_record(id=""))
    other_text = _ok(_record(id="", text="A different comment"))
    other_author = _ok(_record(id="", author="bob"))
    assert first.external_id.startswith("h:")
    assert first.external_id == again.external_id
    assert first.external_id != other_text.external_id
    assert first.external_id != other_author.external_id
    # Same instant written in another zone, and surrounding spaces: the same content.
    same = _ok(
        _record(
            id="", created_at="2024-03-01T12:30:00+02:00", text="The barista remembered my order"
        )
    )
    assert same.external_id == first.external_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-01T10:30:00", datetime(2024, 3, 1, 10, 30, tzinfo=UTC)),
        ("2024-03-01 10:30", datetime(2024, 3, 1, 10, 30, tzinfo=UTC)),
        ("2024-03-01", datetime(2024, 3, 1, tzinfo=UTC)),
        ("2024-03-01T10:30:00Z", datetime(2024, 3, 1, 10, 30, tzinfo=UTC)),
        ("2024-03-01T12:30:00+02:00", datetime(2024, 3, 1, 10, 30, tzinfo=UTC)),
        (
            "  2024-03-01T10:30:00.250000-05:00  ",
            datetime(2024, 3, 1, 15, 30, 0, 250000, tzinfo=UTC),
        ),
        ("1700000000", datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        ("1700000000.5", datetime(2023, 11, 14, 22, 13, 20, 500000, tzinfo=UTC)),
        ("1700000000000", datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        (1700000000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        (1700000000123, datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=UTC)),
        (1700000000.25, datetime(2023, 11, 14, 22, 13, 20, 250000, tzinfo=UTC)),
        (datetime(2024, 3, 1, 10, 30), datetime(2024, 3, 1, 10, 30, tzinfo=UTC)),
        (
            datetime(2024, 3, 1, 10, 30, tzinfo=timezone(timedelta(hours=-3))),
            datetime(2024, 3, 1, 13, 30, tzinfo=UTC),
        ),
    ],
)
def test_timestamps_become_utc(value: Any, expected: datetime) -> None:
    created = _ok(_record(created_at=value)).created_at
    assert created == expected
    assert created.tzinfo is UTC
    assert created.utcoffset() == timedelta(0)


def test_date_format_is_used() -> None:
    f = _ok(_record(created_at="01/03/2024 10:30"), _mapping("%d/%m/%Y %H:%M"))
    assert f.created_at == datetime(2024, 3, 1, 10, 30, tzinfo=UTC)
    g = _ok(
        _record(created_at="Fri Mar 01 10:30:00 +0100 2024"), _mapping("%a %b %d %H:%M:%S %z %Y")
    )
    assert g.created_at == datetime(2024, 3, 1, 9, 30, tzinfo=UTC)


def test_date_format_mismatch_names_the_format() -> None:
    problem = _only(_record(created_at="2024-03-01"), _mapping("%d/%m/%Y"))
    assert problem.field == "created_at"
    assert "unparseable date" in problem.reason
    assert "%d/%m/%Y" in problem.reason


def test_created_at_default() -> None:
    mapping = ColumnMapping({"text": "text"}, {"created_at": "2024-06-01T00:00:00Z"})
    assert _ok({"text": "x"}, mapping).created_at == datetime(2024, 6, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("scale", "low", "high"),
    [("nps_0_10", 0, 10), ("stars_1_5", 1, 5), ("csat_1_5", 1, 5), ("NPS_0_10", 0, 10)],
)
def test_ratings_at_the_bounds_are_accepted(scale: str, low: int, high: int) -> None:
    for value in (str(low), str(high), f"{(low + high) / 2}"):
        f = _ok(_record(rating=value, rating_scale=scale))
        assert f.rating == float(value)
        assert f.rating_scale is RatingScale(scale.lower())


def test_rating_scale_from_defaults() -> None:
    mapping = ColumnMapping(
        {"text": "text", "created_at": "created_at", "rating": "stars"},
        {"rating_scale": "stars_1_5"},
    )
    f = _ok({"text": "ok", "created_at": "2024-01-01", "stars": 5}, mapping)
    assert (f.rating, f.rating_scale) == (5.0, RatingScale.STARS_1_5)


def test_reach_numeric_forms() -> None:
    assert _ok(_record(reach="0")).reach == 0
    assert _ok(_record(reach=1500)).reach == 1500
    assert _ok(_record(reach="1500.0")).reach == 1500
    assert _ok(_record(reach=10**15)).reach == 10**15


def test_reach_beyond_any_audience_is_refused() -> None:
    problem = _only(_record(reach="1e20"))
    assert problem.field == "reach" and "not an audience size" in problem.reason


def test_lone_surrogates_become_replacement_characters() -> None:
    # json.loads('"\\ud800"') gives a string UTF-8 cannot encode; stored text must encode.
    record = _record(text="fine\ud800 service \U0001f600", author="\udfffx", note="a\ud800")
    f = to_feedback(record, MAPPING, "in.jsonl", 1, extra_columns=("note",))
    assert isinstance(f, Feedback)
    assert f.text == "fine\ufffd service \U0001f600" and f.author == "\ufffdx"
    assert f.raw == {"note": "a\ufffd"}  # unmapped columns too: they are stored as JSON
    f.text.encode("utf-8")


def test_limits_are_inclusive() -> None:
    f = _ok(_record(text="x" * MAX_TEXT_CHARS, author="a" * 200))
    assert len(f.text) == MAX_TEXT_CHARS
    assert len(f.author or "") == 200


# ---------------------------------------------------------------- bad records


@pytest.mark.parametrize("text", [None, "", "   ", "\n\t  \r\n"])
def test_missing_or_blank_text(text: str | None) -> None:
    record = _record(text=text)
    problem = _only(record)
    assert problem.field == "text"
    assert problem.reason == "missing text"
    assert "r-1" in problem.raw


def test_missing_text_key() -> None:
    record = _record()
    del record["text"]
    assert _only(record).field == "text"


@pytest.mark.parametrize(
    "value", ["yesterday", "2024-13-01", "01/03/2024", "2024-03-01T25:00", "20x4"]
)
def test_unparseable_date(value: str) -> None:
    problem = _only(_record(created_at=value))
    assert problem.field == "created_at"
    assert "unparseable date" in problem.reason
    assert value in problem.reason
    assert "ISO 8601" in problem.reason


def test_missing_date() -> None:
    problem = _only(_record(created_at=""))
    assert (problem.field, problem.reason) == ("created_at", "missing created_at")


def test_date_in_the_future() -> None:
    future = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    problem = _only(_record(created_at=future))
    assert problem.field == "created_at"
    assert "out of range" in problem.reason


def test_date_just_ahead_of_now_is_tolerated() -> None:
    # Clocks and time zones differ: up to a day ahead is accepted.
    soon = (datetime.now(UTC) + timedelta(hours=12)).isoformat()
    _ok(_record(created_at=soon))


@pytest.mark.parametrize(
    "value",
    ["1989-12-31T23:59:59Z", "1970-01-01", "0001-01-01", "1990-01-01T00:30:00+01:00", "86400"],
)
def test_date_before_1990(value: str) -> None:
    problem = _only(_record(created_at=value))
    assert problem.field == "created_at"
    assert "out of range" in problem.reason
    assert "1990" in problem.reason


def test_1990_itself_is_accepted() -> None:
    assert _ok(_record(created_at="1990-01-01T00:00:00Z")).created_at.year == 1990


@pytest.mark.parametrize("value", ["99999999999999999999", "1e400"])
def test_absurd_epoch_is_a_problem_not_a_crash(value: str) -> None:
    problem = _only(_record(created_at=value))
    assert problem.field == "created_at"


@pytest.mark.parametrize(
    ("scale", "value"),
    [
        ("nps_0_10", "11"),
        ("nps_0_10", "-1"),
        ("nps_0_10", "10.5"),
        ("stars_1_5", "0"),
        ("stars_1_5", "6"),
        ("csat_1_5", "0.5"),
        ("csat_1_5", "7"),
        ("nps_0_10", "nan"),
        ("nps_0_10", "inf"),
    ],
)
def test_rating_out_of_range_for_its_scale(scale: str, value: str) -> None:
    problem = _only(_record(rating=value, rating_scale=scale))
    assert problem.field == "rating"
    assert "out of range" in problem.reason
    assert scale in problem.reason


@pytest.mark.parametrize("value", ["ten", "9/10", "★★★"])
def test_rating_not_a_number(value: str) -> None:
    problem = _only(_record(rating=value))
    assert problem.field == "rating"
    assert "not a number" in problem.reason
    assert value in problem.reason


def test_unknown_rating_scale() -> None:
    problem = _only(_record(rating_scale="percent"))
    assert problem.field == "rating"
    assert "unknown rating scale" in problem.reason
    assert "percent" in problem.reason


def test_rating_without_any_scale() -> None:
    problem = _only(_record(rating_scale=""))
    assert problem.field == "rating"
    assert "unknown rating scale" in problem.reason


@pytest.mark.parametrize(("value", "needle"), [("-5", "negative"), ("lots", "not a number")])
def test_bad_reach(value: str, needle: str) -> None:
    problem = _only(_record(reach=value))
    assert problem.field == "reach"
    assert needle in problem.reason


def test_unknown_constituency() -> None:
    problem = _only(_record(constituency="investor"))
    assert problem.field == "constituency"
    assert "investor" in problem.reason
    assert "customer" in problem.reason


@pytest.mark.parametrize(
    ("field", "size"),
    [
        ("text", MAX_TEXT_CHARS + 1),
        ("author", 201),
        ("id", 201),
        ("source", 41),
        ("location", 201),
        ("touchpoint", 61),
        ("url", 2001),
    ],
)
def test_oversize_fields(field: str, size: int) -> None:
    problem = _only(_record(**{field: "y" * size}))
    assert problem.field == field
    assert "oversize" in problem.reason
    assert str(size) in problem.reason
    assert len(problem.raw) <= 501


def test_all_problems_in_a_row_are_reported() -> None:
    record = _record(
        text="  ",
        created_at="not a date",
        author="a" * 500,
        rating="12",
        reach="-1",
        constituency="robot",
    )
    problems = _problems(record)
    assert sorted(p.field for p in problems) == sorted(
        ["text", "created_at", "author", "rating", "reach", "constituency"]
    )


def test_oversize_text_is_not_also_missing() -> None:
    problems = _problems(_record(text="z" * (MAX_TEXT_CHARS + 10), reach="-3"))
    assert sorted(p.field for p in problems) == ["reach", "text"]
    assert "oversize" in next(p.reason for p in problems if p.field == "text")


def test_compact_iso_date() -> None:
    assert _ok(_record(created_at="20240301")).created_at == datetime(2024, 3, 1, tzinfo=UTC)


def test_nul_character_in_text_is_rejected_or_removed() -> None:
    result = to_feedback(_record(text="before\x00after"), MAPPING, "in.jsonl", 3)
    if isinstance(result, Feedback):
        assert "\x00" not in result.text
    else:
        assert [p.field for p in result] == ["text"]


# ---------------------------------------------------------------- round trip

_printable = st.characters(blacklist_categories=("Cs", "Cc"))


def _stripped_text(max_size: int, min_size: int = 1) -> st.SearchStrategy[str]:
    return st.text(_printable, min_size=min_size, max_size=max_size).filter(
        lambda s: s.strip() != ""
    )


_offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
_moments = st.builds(
    lambda naive, tz: naive.replace(tzinfo=tz),
    st.datetimes(min_value=datetime(1990, 1, 2), max_value=datetime(2025, 12, 30)),
    _offsets,
)
_scaled_ratings = st.sampled_from(
    [RatingScale.NPS_0_10, RatingScale.STARS_1_5, RatingScale.CSAT_1_5]
).flatmap(
    lambda scale: st.tuples(
        st.just(scale),
        st.floats(min_value=scale.bounds[0], max_value=scale.bounds[1], allow_nan=False),
    )
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ext_id=st.none() | _stripped_text(60),
    text=_stripped_text(300),
    moment=_moments,
    author=st.none() | _stripped_text(50),
    source=st.none() | st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True),
    location=st.none() | _stripped_text(50),
    constituency=st.sampled_from([c.value for c in Constituency]),
    scaled=st.none() | _scaled_ratings,
    reach=st.none() | st.integers(min_value=0, max_value=MAX_REACH),
    url=st.none() | st.from_regex(r"https://example\.com/[a-z0-9/]{0,40}", fullmatch=True),
)
def test_round_trip(
    ext_id: str | None,
    text: str,
    moment: datetime,
    author: str | None,
    source: str | None,
    location: str | None,
    constituency: str,
    scaled: tuple[RatingScale, float] | None,
    reach: int | None,
    url: str | None,
) -> None:
    record: dict[str, str] = {
        "text": text,
        "created_at": moment.isoformat(),
        "constituency": constituency.upper(),
    }
    optional = {"id": ext_id, "author": author, "source": source, "location": location, "url": url}
    record.update({k: v for k, v in optional.items() if v is not None})
    if reach is not None:
        record["reach"] = str(reach)
    if scaled is not None:
        record["rating"] = str(scaled[1])
        record["rating_scale"] = scaled[0].value

    f = _ok(record)

    assert f.text == text.strip()
    assert f.created_at == moment
    assert f.created_at.tzinfo is UTC
    assert f.external_id == (ext_id.strip() if ext_id is not None else f.external_id)
    assert ext_id is not None or f.external_id.startswith("h:")
    assert f.author == (author.strip() if author is not None else None)
    assert f.source == (source or "unknown")
    assert f.location == (location.strip() if location is not None else None)
    assert f.constituency == Constituency(constituency)
    assert f.reach == reach
    assert f.url == url
    if scaled is None:
        assert (f.rating, f.rating_scale) == (None, RatingScale.NONE)
    else:
        assert (f.rating_scale, f.rating) == scaled
