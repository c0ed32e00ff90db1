"""Reading taxonomies from TOML files, with errors that name the file, topic and field.

A taxonomy file holds one ``[topics.<name>]`` table per topic::

    description = "..."                  # optional
    ignore = ["can't wait"]              # optional: phrases that are no mention

    [topics.wait_time]
    label = "Wait time"                  # optional; defaults to the name
    keywords = ["wait", "queue", "took forever", "slow*"]
    examples = ["we waited 40 minutes"]  # optional; each must match the topic itself
    positive = ["quick*", "no wait"]     # optional opinion cues, same syntax as keywords
    negative = ["long", "forever"]

Users replace the default taxonomy with their own file, or extend it
(``extend_default=True``: their topics are added, same-named ones replaced).
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from socialcem.analysis.aspects.taxonomy import Taxonomy, TaxonomyError, Topic

DEFAULT_TAXONOMY = "default_taxonomy.toml"
_TOPIC_KEYS = ("label", "keywords", "examples", "positive", "negative")
_FILE_KEYS = ("description", "ignore", "topics")


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TaxonomyError(f"{where} must be a list of strings")
    return tuple(value)


def _topic(name: str, table: object) -> Topic:
    where = f"topic {name!r}"
    if not isinstance(table, dict):
        raise TaxonomyError(f"{where} must be a table ([topics.{name}])")
    if not table:
        raise TaxonomyError(f"{where} is empty: it needs 'keywords'")
    unknown = sorted(set(table) - set(_TOPIC_KEYS))
    if unknown:
        raise TaxonomyError(
            f"{where}: unknown key {unknown[0]!r} (expected one of {', '.join(_TOPIC_KEYS)})"
        )
    if "keywords" not in table:
        raise TaxonomyError(f"{where}: 'keywords' is missing")
    label = table.get("label", name.replace("_", " ").capitalize())
    if not isinstance(label, str) or not label.strip():
        raise TaxonomyError(f"{where}: 'label' must be a non-empty string")
    return Topic(
        name=name,
        label=label,
        keywords=_strings(table["keywords"], f"{where}: 'keywords'"),
        examples=_strings(table.get("examples", []), f"{where}: 'examples'"),
        positive=_strings(table.get("positive", []), f"{where}: 'positive'"),
        negative=_strings(table.get("negative", []), f"{where}: 'negative'"),
    )


def parse_taxonomy(data: dict[str, Any]) -> Taxonomy:
    """A taxonomy from parsed TOML (or any mapping of the same shape)."""
    unknown = sorted(set(data) - set(_FILE_KEYS))
    if unknown:
        raise TaxonomyError(
            f"unknown top-level key {unknown[0]!r} (expected [topics.<name>] tables)"
        )
    topics = data.get("topics")
    if not isinstance(topics, dict) or not topics:
        raise TaxonomyError("no topics: add at least one [topics.<name>] table")
    if not isinstance(data.get("description", ""), str):
        raise TaxonomyError("'description' must be a string")
    ignore = _strings(data.get("ignore", []), "'ignore'")
    return Taxonomy(tuple(_topic(name, table) for name, table in topics.items()), ignore)


def load_taxonomy(path: Path | None = None, *, extend_default: bool = False) -> Taxonomy:
    """Read a taxonomy file; ``None`` reads the default CX taxonomy shipped with socialcem."""
    if path is None:
        return _default()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        found = parse_taxonomy(data)
    except OSError as exc:
        raise TaxonomyError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TaxonomyError(f"{path}: not valid TOML: {exc}") from None
    except TaxonomyError as exc:
        raise TaxonomyError(f"{path}: {exc}") from None
    return _default().extended(found) if extend_default else found


@lru_cache(maxsize=1)
def _default() -> Taxonomy:
    """The shipped taxonomy, read and compiled once per process (it is immutable)."""
    source = files("socialcem.analysis.aspects").joinpath(DEFAULT_TAXONOMY)
    return parse_taxonomy(tomllib.loads(source.read_text(encoding="utf-8")))
