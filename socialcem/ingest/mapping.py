"""Which input column feeds which Feedback field: standard names, presets, mapping files.

A mapping file (TOML) has a ``[columns]`` table (field = "column" or "nested.path") and a
``[defaults]`` table (field = constant, e.g. source = "survey"); a preset is such a file
shipped with the package. Explicit entries win over recognised standard column names.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from socialcem.models import RatingScale

FIELDS = (
    "id",
    "text",
    "created_at",
    "author",
    "source",
    "location",
    "touchpoint",
    "constituency",
    "rating",
    "rating_scale",
    "reach",
    "url",
)

# Recognised column names (case-insensitive) for each field, best first.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "external_id", "feedback_id", "response_id", "review_id", "id_str"),
    "text": ("text", "comment", "comments", "body", "message", "content", "review", "feedback"),
    "created_at": ("created_at", "timestamp", "date", "datetime", "time", "submitted_at"),
    "author": ("author", "username", "user", "reviewer", "customer", "name"),
    "source": ("source", "channel", "platform"),
    "location": ("location", "store", "branch", "site"),
    "touchpoint": ("touchpoint", "journey_stage", "stage"),
    "constituency": ("constituency", "audience"),
    "rating_scale": ("rating_scale", "scale"),
    "reach": ("reach", "followers", "followers_count"),
    "url": ("url", "link", "permalink"),
}
# Rating columns whose name says the scale.
RATING_COLUMNS: dict[str, RatingScale | None] = {
    "rating": None,
    "score": RatingScale.NPS_0_10,
    "nps": RatingScale.NPS_0_10,
    "ltr": RatingScale.NPS_0_10,
    "stars": RatingScale.STARS_1_5,
    "csat": RatingScale.CSAT_1_5,
}
PRESETS = ("survey", "reviews", "tweets")


class MappingError(ValueError):
    """The mapping cannot work for this input: raised before any row is read."""


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """A resolved mapping: field -> column path, plus constants and parsing options."""

    columns: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    date_format: str | None = None

    def merged(self, other: ColumnMapping) -> ColumnMapping:
        """``other`` overrides self, field by field."""
        return ColumnMapping(
            {**self.columns, **other.columns},
            {**self.defaults, **other.defaults},
            other.date_format or self.date_format,
        )


def _from_toml(data: Mapping[str, object], origin: str) -> ColumnMapping:
    columns = data.get("columns", {})
    defaults = data.get("defaults", {})
    if not isinstance(columns, dict) or not isinstance(defaults, dict):
        raise MappingError(f"{origin}: [columns] and [defaults] must be tables")
    for name in (*columns, *defaults):
        if name not in FIELDS:
            raise MappingError(f"{origin}: unknown field {name!r}; fields: {', '.join(FIELDS)}")
    date_format = data.get("date_format")
    if date_format is not None and not isinstance(date_format, str):
        raise MappingError(f"{origin}: date_format must be a string")
    return ColumnMapping(
        {k: str(v) for k, v in columns.items()},
        {k: str(v) for k, v in defaults.items()},
        date_format,
    )


def load_mapping_file(path: Path) -> ColumnMapping:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(f"{path}: cannot read mapping: {exc}") from exc
    return _from_toml(data, str(path))


def load_preset(name: str) -> ColumnMapping:
    if name not in PRESETS:
        raise MappingError(f"unknown preset {name!r}; presets: {', '.join(PRESETS)}")
    text = resources.files("socialcem.ingest").joinpath(f"presets/{name}.toml").read_text("utf-8")
    return _from_toml(tomllib.loads(text), f"preset {name}")


def resolve(explicit: ColumnMapping, columns: Iterable[str]) -> ColumnMapping:
    """Complete an explicit mapping with the standard names found among ``columns``."""
    by_lower = {c.lower().strip(): c for c in columns}
    found: dict[str, str] = {}
    defaults = dict(explicit.defaults)
    for name, aliases in ALIASES.items():
        if name in explicit.columns:
            continue
        hit = next((by_lower[a] for a in aliases if a in by_lower), None)
        if hit is not None:
            found[name] = hit
    if "rating" not in explicit.columns:
        for column, scale in RATING_COLUMNS.items():
            if column in by_lower:
                found["rating"] = by_lower[column]
                if scale is not None and "rating_scale" not in explicit.columns:
                    defaults.setdefault("rating_scale", scale.value)
                break
    explicit_columns = {k: _spelled(v, by_lower) for k, v in explicit.columns.items()}
    if "rating_scale" in defaults:
        defaults["rating_scale"] = defaults["rating_scale"].lower()
    mapping = ColumnMapping({**found, **explicit_columns}, defaults, explicit.date_format)
    _check(mapping, by_lower)
    return mapping


def _spelled(spec: str, by_lower: dict[str, str]) -> str:
    """A mapped column as the file spells it: names match whatever their case."""
    out = []
    for path in spec.split("|"):
        if path.lower() in by_lower:
            out.append(by_lower[path.lower()])
            continue
        top, dot, rest = path.partition(".")
        out.append(by_lower.get(top.lower(), top) + dot + rest)
    return "|".join(out)


def _check(mapping: ColumnMapping, by_lower: dict[str, str]) -> None:
    for name in ("text", "created_at", "rating"):
        spec = mapping.columns.get(name)
        paths = (spec or "").split("|")
        tops = {p.lower() for p in paths} | {p.split(".")[0].lower() for p in paths}
        if spec and not tops & by_lower.keys():
            raise MappingError(
                f"the {name} column {spec!r} is not in the file; "
                f"columns: {sorted(by_lower.values())}"
            )
    if "text" not in mapping.columns:
        raise MappingError(
            f"no text column among {sorted(by_lower.values())}; "
            "name one with --map text=COLUMN or a mapping file"
        )
    if "created_at" not in mapping.columns and "created_at" not in mapping.defaults:
        raise MappingError(
            "no timestamp column (created_at, date, timestamp, ...); "
            "name one with --map created_at=COLUMN"
        )
    has_scale = "rating_scale" in mapping.columns or "rating_scale" in mapping.defaults
    if "rating" in mapping.columns and not has_scale:
        raise MappingError(
            f"column {mapping.columns['rating']!r} holds ratings but their scale is unknown; "
            "pass --scale nps_0_10|stars_1_5|csat_1_5"
        )
    scale = mapping.defaults.get("rating_scale")
    if scale is not None and scale not in set(RatingScale):
        raise MappingError(
            f"unknown rating scale {scale!r}; scales: {', '.join(s.value for s in RatingScale)}"
        )


def parse_pairs(pairs: Iterable[str]) -> dict[str, str]:
    """``field=column`` flags into a dict, with a clear error for a malformed one."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        value = value.strip()
        if not sep or not value or name not in FIELDS:
            raise MappingError(f"--map {pair!r}: expected FIELD=COLUMN with FIELD in {FIELDS}")
        out[name] = value
    return out


def build_mapping(
    preset: str | None = None,
    mapping_file: Path | None = None,
    pairs: Iterable[str] = (),
    source: str | None = None,
    scale: str | None = None,
    date_format: str | None = None,
) -> ColumnMapping:
    """Preset, then mapping file, then explicit flags: each later one wins field by field."""
    mapping = load_preset(preset) if preset else ColumnMapping()
    if mapping_file:
        mapping = mapping.merged(load_mapping_file(mapping_file))
    defaults = {k: v for k, v in (("source", source), ("rating_scale", scale)) if v}
    return mapping.merged(ColumnMapping(parse_pairs(pairs), defaults, date_format))
