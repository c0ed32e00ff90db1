"""CSV (and TSV) with a header row; decoding is checked line by line.

A file that is mostly good must not fail whole because of one line with bytes that
are not UTF-8, so each physical line is decoded on its own and bad ones are reported.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

from socialcem.ingest.readers import Record, clip
from socialcem.models import Problem

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _decoded_lines(raw_lines: Iterator[bytes], bad: set[int]) -> Iterator[str]:
    for number, raw in enumerate(raw_lines, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            bad.add(number)
            yield raw.decode("utf-8", errors="replace")


def read(path: Path) -> Iterator[Record | Problem]:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    name = str(path)
    bad: set[int] = set()
    with path.open("rb") as handle:
        # strict: an unterminated quote is an error, not a field that swallows the file
        rows = csv.reader(_decoded_lines(iter(handle), bad), delimiter=delimiter, strict=True)
        try:
            header = [h.strip() for h in next(rows)]
        except StopIteration:
            return
        except csv.Error as exc:
            yield Problem(name, 1, "*", f"unreadable header: {exc}")
            return
        width = len(header)
        while True:
            start = rows.line_num + 1
            try:
                row = next(rows)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Problem(name, start, "*", f"broken line: {exc}")
                continue
            end = rows.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if any(n in bad for n in range(start, end + 1)):
                yield Problem(
                    name, start, "*", "undecodable bytes (not UTF-8)", clip(",".join(row))
                )
                continue
            if len(row) != width:
                yield Problem(
                    name,
                    start,
                    "*",
                    f"broken line: {len(row)} fields where the header has {width}",
                    clip(delimiter.join(row)),
                )
                continue
            yield start, dict(zip(header, row, strict=True))
