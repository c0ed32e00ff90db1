"""Column mapping: standard names and aliases, presets, mapping files, --map pairs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from socialcem.ingest.mapping import (
    ALIASES,
    FIELDS,
    PRESETS,
    ColumnMapping,
    MappingError,
    load_mapping_file,
    load_preset,
    parse_pairs,
    resolve,
)
from socialcem.ingest.validate import lookup, to_feedback
from socialcem.models import Feedback, RatingScale

NO_MAPPING = ColumnMapping()

# ---------------------------------------------------------------- resolve()


def test_resolve_standard_names() -> None:
    header = ["id", "text", "created_at", "author", "source", "location", "url"]
    mapping = resolve(NO_MAPPING, header)
    assert mapping.columns == {name: name for name in header}
    assert mapping.defaults == {}


@pytest.mark.parametrize(
    ("header", "field", "column"),
    [
        (["Comment", "Date"], "text", "Comment"),
        (["BODY", "timestamp"], "text", "BODY"),
        (["review", "Submitted_At"], "created_at", "Submitted_At"),
        (["message", "TIME"], "created_at", "TIME"),
        (["feedback", "date", "Username"], "author", "Username"),
        (["feedback", "date", "Channel"], "source", "Channel"),
        (["feedback", "date", "Branch"], "location", "Branch"),
        (["feedback", "date", "Journey_Stage"], "touchpoint", "Journey_Stage"),
        (["feedback", "date", "Audience"], "constituency", "Audience"),
        (["feedback", "date", "Followers_Count"], "reach", "Followers_Count"),
        (["feedback", "date", "Permalink"], "url", "Permalink"),
        (["feedback", "date", "Response_ID"], "id", "Response_ID"),
    ],
)
def test_resolve_aliases_case_insensitively(header: list[str], field: str, column: str) -> None:
    mapping = resolve(NO_MAPPING, header)
    assert mapping.columns[field] == column


def test_resolve_prefers_the_best_alias() -> None:
    mapping = resolve(NO_MAPPING, ["feedback", "comment", "text", "date", "created_at"])
    assert mapping.columns["text"] == "text"
    assert mapping.columns["created_at"] == "created_at"


def test_resolve_keeps_the_header_spelling_for_lookup() -> None:
    mapping = resolve(NO_MAPPING, ["Comment", "Date"])
    record = {"Comment": "Lovely", "Date": "2024-05-01"}
    result = to_feedback(record, mapping, "f.csv", 2)
    assert isinstance(result, Feedback)
    assert result.text == "Lovely"


@pytest.mark.parametrize(
    ("column", "scale"),
    [
        ("score", RatingScale.NPS_0_10),
        ("Score", RatingScale.NPS_0_10),
        ("nps", RatingScale.NPS_0_10),
        ("ltr", RatingScale.NPS_0_10),
        ("stars", RatingScale.STARS_1_5),
        ("STARS", RatingScale.STARS_1_5),
        ("csat", RatingScale.CSAT_1_5),
    ],
)
def test_rating_column_name_implies_its_scale(column: str, scale: RatingScale) -> None:
    mapping = resolve(NO_MAPPING, ["text", "date", column])
    assert mapping.columns["rating"] == column
    assert mapping.defaults["rating_scale"] == scale.value


def test_explicit_scale_wins_over_the_implied_one() -> None:
    explicit = ColumnMapping(defaults={"rating_scale": "csat_1_5"})
    mapping = resolve(explicit, ["text", "date", "score"])
    assert mapping.defaults["rating_scale"] == "csat_1_5"


def test_rating_without_scale_names_the_scale_flag() -> None:
    with pytest.raises(MappingError) as info:
        resolve(NO_MAPPING, ["text", "date", "rating"])
    assert "--scale" in str(info.value)
    assert "rating" in str(info.value)


def test_rating_with_scale_flag_or_scale_column() -> None:
    with_flag = resolve(
        ColumnMapping(defaults={"rating_scale": "stars_1_5"}), ["text", "date", "Rating"]
    )
    assert with_flag.columns["rating"] == "Rating"
    with_column = resolve(NO_MAPPING, ["text", "date", "rating", "scale"])
    assert with_column.columns["rating_scale"] == "scale"


def test_unknown_scale_is_rejected() -> None:
    with pytest.raises(MappingError, match="unknown rating scale"):
        resolve(ColumnMapping(defaults={"rating_scale": "percent"}), ["text", "date", "rating"])


@pytest.mark.parametrize("header", [["id", "date", "author"], ["date"], []])
def test_missing_text_column(header: list[str]) -> None:
    with pytest.raises(MappingError) as info:
        resolve(NO_MAPPING, header)
    assert "text" in str(info.value)
    assert "--map text=" in str(info.value)


def test_missing_timestamp_column() -> None:
    with pytest.raises(MappingError, match="created_at"):
        resolve(NO_MAPPING, ["text", "author"])


def test_timestamp_default_is_enough() -> None:
    explicit = ColumnMapping(defaults={"created_at": "2024-01-01"})
    mapping = resolve(explicit, ["text"])
    assert "created_at" not in mapping.columns


def test_explicit_mapping_overrides_aliases() -> None:
    explicit = ColumnMapping({"text": "comment", "created_at": "survey_end"})
    mapping = resolve(explicit, ["text", "comment", "date", "survey_end"])
    assert mapping.columns["text"] == "comment"
    assert mapping.columns["created_at"] == "survey_end"
    record = {
        "text": "alias",
        "comment": "explicit",
        "date": "2020-01-01",
        "survey_end": "2021-02-03",
    }
    result = to_feedback(record, mapping, "f.csv", 2)
    assert isinstance(result, Feedback)
    assert result.text == "explicit"
    assert result.created_at == datetime(2021, 2, 3, tzinfo=UTC)


def test_explicit_rating_column_skips_implied_scale() -> None:
    explicit = ColumnMapping({"rating": "q1"}, {"rating_scale": "nps_0_10"})
    mapping = resolve(explicit, ["text", "date", "q1", "stars"])
    assert mapping.columns["rating"] == "q1"
    assert mapping.defaults["rating_scale"] == "nps_0_10"


@pytest.mark.parametrize("field", ["text", "created_at", "rating"])
def test_explicit_column_not_in_file(field: str) -> None:
    explicit = ColumnMapping({field: "nope"}, {"rating_scale": "nps_0_10"})
    with pytest.raises(MappingError) as info:
        resolve(explicit, ["text", "date", "score"])
    assert "'nope'" in str(info.value)
    assert "not in the file" in str(info.value)


def test_explicit_column_in_other_case_is_found_in_records() -> None:
    mapping = resolve(ColumnMapping({"text": "Comment"}), ["comment", "date"])
    result = to_feedback({"comment": "Nice", "date": "2024-01-01"}, mapping, "f.csv", 2)
    assert isinstance(result, Feedback), result
    assert result.text == "Nice"


def test_column_name_with_a_dot_can_be_mapped() -> None:
    mapping = resolve(ColumnMapping({"text": "Q1.comment"}), ["Q1.comment", "date"])
    result = to_feedback({"Q1.comment": "Fine", "date": "2024-01-01"}, mapping, "f.csv", 2)
    assert isinstance(result, Feedback), result
    assert result.text == "Fine"


def test_date_format_is_carried_through() -> None:
    mapping = resolve(ColumnMapping(date_format="%d/%m/%Y"), ["text", "date"])
    assert mapping.date_format == "%d/%m/%Y"


def test_merged_other_wins_field_by_field() -> None:
    base = ColumnMapping({"text": "a", "id": "b"}, {"source": "x"}, "%Y")
    other = ColumnMapping({"text": "c"}, {"rating_scale": "nps_0_10"})
    merged = base.merged(other)
    assert merged.columns == {"text": "c", "id": "b"}
    assert merged.defaults == {"source": "x", "rating_scale": "nps_0_10"}
    assert merged.date_format == "%Y"
    assert base.merged(ColumnMapping(date_format="%d")).date_format == "%d"


def test_aliases_only_name_known_fields() -> None:
    assert set(ALIASES) <= set(FIELDS)


# ---------------------------------------------------------------- presets


def test_survey_preset() -> None:
    preset = load_preset("survey")
    header = ["response_id", "comment", "submitted_at", "nps_score", "store"]
    mapping = resolve(preset, header)
    assert mapping.columns["text"] == "comment"
    assert mapping.columns["rating"] == "nps_score"
    assert mapping.columns["location"] == "store"
    assert mapping.defaults == {"source": "survey", "rating_scale": "nps_0_10"}
    record = {
        "response_id": "R_1",
        "comment": "Would recommend",
        "submitted_at": "2024-03-01 09:00:00",
        "nps_score": "9",
        "store": "Main St",
    }
    result = to_feedback(record, mapping, "survey.csv", 2)
    assert isinstance(result, Feedback)
    assert (result.source, result.external_id, result.rating) == ("survey", "R_1", 9.0)
    assert result.rating_scale is RatingScale.NPS_0_10
    assert result.location == "Main St"


def test_reviews_preset() -> None:
    mapping = resolve(
        load_preset("reviews"), ["review_id", "review_text", "review_date", "reviewer", "stars"]
    )
    record = {
        "review_id": "g-1",
        "review_text": "Slow but tasty",
        "review_date": "2024-02-02",
        "reviewer": "Sam",
        "stars": "4",
    }
    result = to_feedback(record, mapping, "reviews.csv", 2)
    assert isinstance(result, Feedback)
    assert result.source == "google_reviews"
    assert result.author == "Sam"
    assert (result.rating, result.rating_scale) == (4.0, RatingScale.STARS_1_5)


def _tweet(**overrides: object) -> dict[str, object]:
    tweet: dict[str, object] = {
        "id_str": "1050118621198921728",
        "full_text": "Best flat white in town @cafe",
        "text": "Best flat white in town",
        "created_at": "Wed Oct 10 20:19:24 +0000 2018",
        "user": {"screen_name": "latte_lover", "followers_count": 1234},
    }
    tweet.update(overrides)
    return tweet


def test_tweets_preset_with_nested_paths_and_alternatives() -> None:
    preset = load_preset("tweets")
    assert preset.columns["author"] == "user.screen_name"
    assert preset.columns["text"] == "full_text|text"
    mapping = resolve(preset, _tweet().keys())
    result = to_feedback(_tweet(), mapping, "tweets.jsonl", 1)
    assert isinstance(result, Feedback)
    assert result.source == "twitter"
    assert result.external_id == "1050118621198921728"
    assert result.text == "Best flat white in town @cafe"
    assert result.author == "latte_lover"
    assert result.reach == 1234
    assert result.created_at == datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)


def test_tweets_preset_falls_back_to_text() -> None:
    mapping = resolve(load_preset("tweets"), _tweet().keys())
    for tweet in (_tweet(full_text=""), _tweet(full_text=None)):
        result = to_feedback(tweet, mapping, "tweets.jsonl", 1)
        assert isinstance(result, Feedback)
        assert result.text == "Best flat white in town"


def test_tweets_preset_resolves_with_only_text() -> None:
    tweet = _tweet()
    del tweet["full_text"]
    mapping = resolve(load_preset("tweets"), tweet.keys())
    assert mapping.columns["text"] == "full_text|text"


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_loads_and_names_known_fields(name: str) -> None:
    preset = load_preset(name)
    assert preset.columns
    assert set(preset.columns) | set(preset.defaults) <= set(FIELDS)


def test_unknown_preset() -> None:
    with pytest.raises(MappingError) as info:
        load_preset("facebook")
    assert "'facebook'" in str(info.value)
    assert "survey" in str(info.value)


# ---------------------------------------------------------------- mapping files


def test_mapping_file(tmp_path: Path) -> None:
    path = tmp_path / "map.toml"
    path.write_text(
        'date_format = "%d.%m.%Y"\n'
        "[columns]\n"
        'text = "Kommentar"\n'
        'created_at = "Datum"\n'
        "[defaults]\n"
        'source = "email"\n',
        encoding="utf-8",
    )
    mapping = load_mapping_file(path)
    assert mapping == ColumnMapping(
        {"text": "Kommentar", "created_at": "Datum"}, {"source": "email"}, "%d.%m.%Y"
    )
    resolved = resolve(mapping, ["Kommentar", "Datum"])
    result = to_feedback({"Kommentar": "Gut", "Datum": "24.12.2023"}, resolved, "x.csv", 2)
    assert isinstance(result, Feedback)
    assert result.created_at == datetime(2023, 12, 24, tzinfo=UTC)
    assert result.source == "email"


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('[columns]\ntext = "c"\nsentiment = "s"\n', "unknown field 'sentiment'"),
        ('[defaults]\nbrand = "acme"\n', "unknown field 'brand'"),
        ('[columns\ntext = "c"\n', "cannot read mapping"),
        ('[columns]\ntext = "unterminated\n', "cannot read mapping"),
        ('columns = "text"\n', "must be tables"),
        ("date_format = 5\n", "date_format"),
    ],
)
def test_bad_mapping_file_names_the_file(tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "my-mapping.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(MappingError) as info:
        load_mapping_file(path)
    assert str(path) in str(info.value)
    assert needle in str(info.value)


def test_missing_or_binary_mapping_file(tmp_path: Path) -> None:
    missing = tmp_path / "absent.toml"
    with pytest.raises(MappingError, match=r"absent\.toml"):
        load_mapping_file(missing)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00junk")
    with pytest.raises(MappingError, match=r"binary\.toml"):
        load_mapping_file(binary)


# ---------------------------------------------------------------- parse_pairs


def test_parse_pairs_good() -> None:
    pairs = ["text=Comment", " created_at = Submitted At ", "author=user.screen_name", "id=a=b"]
    assert parse_pairs(pairs) == {
        "text": "Comment",
        "created_at": "Submitted At",
        "author": "user.screen_name",
        "id": "a=b",
    }
    assert parse_pairs([]) == {}


@pytest.mark.parametrize("pair", ["text", "text=", "=comment", "sentiment=x", "Text=comment", ""])
def test_parse_pairs_bad(pair: str) -> None:
    with pytest.raises(MappingError) as info:
        parse_pairs([pair])
    assert "--map" in str(info.value)
    assert "FIELD=COLUMN" in str(info.value)


def test_parse_pairs_whitespace_only_column() -> None:
    with pytest.raises(MappingError):
        parse_pairs(["text=  "])


# ---------------------------------------------------------------- lookup


def test_lookup_paths_and_alternatives() -> None:
    record = {"a": "", "b": "bee", "user": {"screen_name": "ann", "n": 0}, "flat": "x"}
    assert lookup(record, "flat") == "x"
    assert lookup(record, "a|b") == "bee"
    assert lookup(record, "missing|b") == "bee"
    assert lookup(record, "b|a") == "bee"
    assert lookup(record, "user.screen_name") == "ann"
    assert lookup(record, "user.n") == 0
    assert lookup(record, "nope|user.screen_name") == "ann"
    assert lookup(record, "user.missing") is None
    assert lookup(record, "flat.deeper") is None
    assert lookup(record, "a") is None
    assert lookup(record, "missing") is None
