"""JSON Lines: one object per line; nested fields are reached by dotted mapping paths."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from socialcem.ingest.readers import Record, clip
from socialcem.models import Problem


def read(path: Path) -> Iterator[Record | Problem]:
    name = str(path)
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield Problem(name, number, "*", "undecodable bytes (not UTF-8)")
                continue
            try:
                value = json.loads(line)
            except ValueError as exc:
                yield Problem(name, number, "*", f"broken line: invalid JSON ({exc})", clip(line))
                continue
            if not isinstance(value, dict):
                kind = type(value).__name__
                yield Problem(name, number, "*", f"broken line: a JSON {kind}, not an object")
                continue
            yield number, value
