"""Readers: numbered records, or one Problem per unreadable line that names that line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from helpers import write_csv, write_jsonl

from socialcem.ingest.mapping import ColumnMapping
from socialcem.ingest.readers import (
    Record,
    UnsupportedFormatError,
    clip,
    csv_reader,
    jsonl_reader,
    parquet_reader,
    reader_for,
)
from socialcem.ingest.validate import to_feedback
from socialcem.models import Feedback, Problem


def _read(path: Path) -> tuple[list[Record], list[Problem]]:
    items = list(reader_for(path)(path))
    records = [i for i in items if not isinstance(i, Problem)]
    problems = [i for i in items if isinstance(i, Problem)]
    return records, problems


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- CSV


def test_csv_quoted_commas_and_embedded_newlines_keep_physical_line_numbers(
    tmp_path: Path,
) -> None:
    data = (
        b"id,text,date\n"  # 1
        b'1,"Great coffee, friendly staff",2024-01-01\n'  # 2
        b'2,"first line\nsecond line\nthird line",2024-01-02\n'  # 3-5
        b'3,"he said ""hi"", then left",2024-01-03\n'  # 6
        b'4,"two\n\nparagraphs",2024-01-04\n'  # 7-9
        b"5,plain,2024-01-05\n"  # 10
    )
    records, problems = _read(_write(tmp_path, "in.csv", data))
    assert problems == []
    assert [line for line, _ in records] == [2, 3, 6, 7, 10]
    by_id = {r["id"]: r for _, r in records}
    assert by_id["1"]["text"] == "Great coffee, friendly staff"
    assert by_id["2"]["text"] == "first line\nsecond line\nthird line"
    assert by_id["3"]["text"] == 'he said "hi", then left'
    assert by_id["4"]["text"] == "two\n\nparagraphs"
    assert by_id["5"] == {"id": "5", "text": "plain", "date": "2024-01-05"}


def test_csv_written_by_helper_with_crlf_and_multiline(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "text": "one, two", "created_at": "2024-01-01"},
        {"id": "b", "text": "multi\r\nline", "created_at": "2024-01-02"},
        {"id": "c", "text": "last", "created_at": "2024-01-03"},
    ]
    path = write_csv(tmp_path / "in.csv", rows)
    records, problems = _read(path)
    assert problems == []
    assert [line for line, _ in records] == [2, 3, 5]
    assert [r for _, r in records] == rows


def test_csv_utf8_bom_is_not_part_of_the_first_column(tmp_path: Path) -> None:
    data = "\ufeffid,text\n1,Caf\u00e9 au lait\n".encode()
    records, problems = _read(_write(tmp_path, "bom.csv", data))
    assert problems == []
    assert records == [(2, {"id": "1", "text": "Café au lait"})]


def test_csv_header_names_are_stripped(tmp_path: Path) -> None:
    records, _ = _read(_write(tmp_path, "in.csv", b" id , text \n1,hello\n"))
    assert records == [(2, {"id": "1", "text": "hello"})]


def test_csv_invalid_utf8_only_that_record_is_a_problem(tmp_path: Path) -> None:
    data = (
        b"id,text\n"  # 1
        b"1,before\n"  # 2
        b'2,"multi\nline"\n'  # 3-4
        b"3,caf\xe9 latin-1 bytes\n"  # 5
        b"4,after \xc3\xa9\n"  # 6 (valid UTF-8 e-acute)
    )
    path = _write(tmp_path, "bad.csv", data)
    records, problems = _read(path)
    assert [line for line, _ in records] == [2, 3, 6]
    assert [r["id"] for _, r in records] == ["1", "2", "4"]
    assert records[-1][1]["text"] == "after é"
    assert len(problems) == 1
    problem = problems[0]
    assert problem.line == 5
    assert problem.file == str(path)
    assert problem.field == "*"
    assert "UTF-8" in problem.reason
    assert "latin-1 bytes" in problem.raw


def test_csv_invalid_utf8_inside_a_multiline_record_names_its_first_line(tmp_path: Path) -> None:
    data = b'id,text\n1,ok\n2,"multi\nli\xffne"\n3,ok too\n'
    records, problems = _read(_write(tmp_path, "bad.csv", data))
    assert [(line, r["id"]) for line, r in records] == [(2, "1"), (5, "3")]
    assert [(p.line, p.field) for p in problems] == [(3, "*")]


@pytest.mark.parametrize(
    ("row", "fields"),
    [(b"2,too,many,fields\n", 4), (b"2\n", 1), (b"2,a,b,c,d,e\n", 6)],
)
def test_csv_wrong_field_count_is_a_broken_line(tmp_path: Path, row: bytes, fields: int) -> None:
    data = b"id,text,date\n1,good,2024-01-01\n" + row + b"3,also good,2024-01-03\n"
    records, problems = _read(_write(tmp_path, "in.csv", data))
    assert [line for line, _ in records] == [2, 4]
    assert len(problems) == 1
    assert problems[0].line == 3
    assert problems[0].reason.startswith("broken line")
    assert f"{fields} fields" in problems[0].reason
    assert "3" in problems[0].reason  # the header width
    assert problems[0].raw.startswith("2")


def test_csv_blank_lines_are_skipped_and_do_not_shift_numbers(tmp_path: Path) -> None:
    data = b"id,text\n\n1,a\n\n\n2,b\n   \n\r\n3,c\n\n"
    records, problems = _read(_write(tmp_path, "in.csv", data))
    assert problems == []
    assert [(line, r["id"]) for line, r in records] == [(3, "1"), (6, "2"), (9, "3")]


def test_csv_bare_carriage_return_is_a_problem_and_reading_goes_on(tmp_path: Path) -> None:
    data = b"id,text\n1,a\rb\n2,c\n"
    records, problems = _read(_write(tmp_path, "in.csv", data))
    assert records == [(3, {"id": "2", "text": "c"})]
    assert [(p.line, p.reason.startswith("broken line")) for p in problems] == [(2, True)]


def test_csv_nul_byte_line_does_not_stop_the_file(tmp_path: Path) -> None:
    data = b"id,text\n1,before\n2,nul\x00inside\n\x00\x00\x00\n3,after\n"
    items = list(reader_for(tmp_path / "x.csv")(_write(tmp_path, "x.csv", data)))
    records = [i for i in items if not isinstance(i, Problem)]
    problems = [i for i in items if isinstance(i, Problem)]
    assert (2, {"id": "1", "text": "before"}) in records
    assert (5, {"id": "3", "text": "after"}) in records
    # A line of only NUL bytes has the wrong width: reported at its own line.
    assert 4 in {p.line for p in problems}
    assert all(line != 4 for line, _ in records)


def test_csv_nul_byte_in_a_field_never_reaches_a_feedback(tmp_path: Path) -> None:
    data = b"id,text,created_at\n1,before,2024-01-01\n2,nul\x00inside,2024-01-01\n"
    path = _write(tmp_path, "x.csv", data)
    mapping = ColumnMapping({"id": "id", "text": "text", "created_at": "created_at"})
    outcome: list[Feedback | Problem] = []
    for item in reader_for(path)(path):
        if isinstance(item, Problem):
            outcome.append(item)
            continue
        result = to_feedback(item[1], mapping, str(path), item[0])
        outcome.extend([result] if isinstance(result, Feedback) else result)
    feedback = [o for o in outcome if isinstance(o, Feedback)]
    assert all("\x00" not in f.text for f in feedback)
    # Either stripped or reported at line 3; the neighbour survives either way.
    assert any(f.external_id == "1" for f in feedback)
    assert any(isinstance(o, Problem) and o.line == 3 for o in outcome) or any(
        f.external_id == "2" for f in feedback
    )


def test_tsv_by_suffix_uses_tabs(tmp_path: Path) -> None:
    data = b"id\ttext\tdate\n1\tcommas, are, fine here\t2024-01-01\n2\tsecond\t2024-01-02\n"
    path = _write(tmp_path, "in.TSV", data)
    assert reader_for(path) is csv_reader.read
    records, problems = _read(path)
    assert problems == []
    assert records == [
        (2, {"id": "1", "text": "commas, are, fine here", "date": "2024-01-01"}),
        (3, {"id": "2", "text": "second", "date": "2024-01-02"}),
    ]


def test_tsv_wrong_width_raw_uses_tabs(tmp_path: Path) -> None:
    records, problems = _read(_write(tmp_path, "in.tsv", b"id\ttext\n1\ta\tb\n"))
    assert records == []
    assert problems[0].raw == "1\ta\tb"


def test_csv_empty_file_and_header_only(tmp_path: Path) -> None:
    assert _read(_write(tmp_path, "empty.csv", b"")) == ([], [])
    assert _read(_write(tmp_path, "header.csv", b"id,text\n")) == ([], [])


def test_csv_long_raw_is_clipped(tmp_path: Path) -> None:
    data = b"id,text\n1," + b"x" * 2000 + b",extra\n"
    _, problems = _read(_write(tmp_path, "in.csv", data))
    assert len(problems) == 1
    assert len(problems[0].raw) <= 501
    assert problems[0].raw.endswith("…")


def test_clip() -> None:
    assert clip("short") == "short"
    assert clip("x" * 10, limit=4) == "xxxx…"


# ---------------------------------------------------------------- JSONL


def test_jsonl_valid_objects_keep_nesting_and_types(tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [
        {"id": 1, "text": "hello", "user": {"screen_name": "ana", "followers_count": 10}},
        {"id": 2, "text": "multi\nline, with comma", "rating": 9.5, "tags": ["a"]},
    ]
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    records, problems = _read(path)
    assert problems == []
    assert records == [(1, rows[0]), (2, rows[1])]


def test_jsonl_bad_lines_are_problems_on_their_own_line(tmp_path: Path) -> None:
    data = (
        b'{"id": "1", "text": "first"}\n'  # 1
        b"\n"  # 2 blank
        b'{"id": "2", "text": broken}\n'  # 3 invalid JSON
        b'[{"id": "3"}]\n'  # 4 array
        b'"just a string"\n'  # 5 string
        b'{"id": "6", "text": "caf\xe9"}\n'  # 6 invalid UTF-8
        b"   \t \n"  # 7 whitespace only
        b'{"id": "8", "text": "last \xc3\xa9"}\r\n'  # 8 valid, CRLF
    )
    path = _write(tmp_path, "in.jsonl", data)
    records, problems = _read(path)
    assert records == [(1, {"id": "1", "text": "first"}), (8, {"id": "8", "text": "last é"})]
    by_line = {p.line: p for p in problems}
    assert sorted(by_line) == [3, 4, 5, 6]
    assert all(p.file == str(path) and p.field == "*" for p in problems)
    assert "invalid JSON" in by_line[3].reason
    assert "broken" in by_line[3].raw
    assert "list" in by_line[4].reason and "not an object" in by_line[4].reason
    assert "str" in by_line[5].reason and "not an object" in by_line[5].reason
    assert "UTF-8" in by_line[6].reason


def test_jsonl_bom_on_first_line(tmp_path: Path) -> None:
    data = b'\xef\xbb\xbf{"id": "1", "text": "x"}\n{"id": "2", "text": "y"}\n'
    records, problems = _read(_write(tmp_path, "in.ndjson", data))
    assert problems == []
    assert [line for line, _ in records] == [1, 2]


def test_jsonl_no_trailing_newline(tmp_path: Path) -> None:
    records, _ = _read(_write(tmp_path, "in.jsonl", b'{"a": 1}\n{"a": 2}'))
    assert records == [(1, {"a": 1}), (2, {"a": 2})]


def test_jsonl_unicode_escapes(tmp_path: Path) -> None:
    line = json.dumps({"text": "emoji \U0001f600 and caf\u00e9"}, ensure_ascii=True)
    records, _ = _read(_write(tmp_path, "in.jsonl", line.encode() + b"\n"))
    assert records == [(1, {"text": "emoji 😀 and café"})]


# ---------------------------------------------------------------- Parquet


def _table() -> pa.Table:
    return pa.table(
        {
            "id": [f"r{i}" for i in range(5)],
            "text": [f"row {i}, with a comma" for i in range(5)],
            "rating": [0, 3, None, 9, 10],
        }
    )


def test_parquet_rows_are_numbered_from_one(tmp_path: Path) -> None:
    path = tmp_path / "in.parquet"
    pq.write_table(_table(), path)
    records, problems = _read(path)
    assert problems == []
    assert [line for line, _ in records] == [1, 2, 3, 4, 5]
    assert records[0][1] == {"id": "r0", "text": "row 0, with a comma", "rating": 0}
    assert records[2][1]["rating"] is None


def test_parquet_numbering_continues_across_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parquet_reader, "BATCH_ROWS", 2)
    path = tmp_path / "in.pq"
    pq.write_table(_table(), path, row_group_size=3)
    records, _ = _read(path)
    assert [(line, r["id"]) for line, r in records] == [(i + 1, f"r{i}") for i in range(5)]


@pytest.mark.parametrize(
    "content", [b"", b"PAR1 this is not parquet at all", b"id,text\n1,csv in disguise\n"]
)
def test_parquet_unreadable_file_is_one_problem(tmp_path: Path, content: bytes) -> None:
    path = _write(tmp_path, "bad.parquet", content)
    items = list(reader_for(path)(path))
    assert len(items) == 1
    problem = items[0]
    assert isinstance(problem, Problem)
    assert problem.file == str(path)
    assert problem.field == "*"
    assert "Parquet" in problem.reason


def test_parquet_truncated_file_is_one_problem(tmp_path: Path) -> None:
    good = tmp_path / "good.parquet"
    pq.write_table(_table(), good)
    path = _write(tmp_path, "cut.parquet", good.read_bytes()[:60])
    items = list(reader_for(path)(path))
    assert len(items) == 1 and isinstance(items[0], Problem)


def test_parquet_corrupt_data_pages_give_a_problem_not_an_exception(tmp_path: Path) -> None:
    good = tmp_path / "good.parquet"
    pq.write_table(_table(), good)
    data = bytearray(good.read_bytes())
    data[4:60] = b"\xff" * 56  # the first page header, just after the leading magic
    path = _write(tmp_path, "corrupt.parquet", bytes(data))
    items = list(reader_for(path)(path))
    problems = [i for i in items if isinstance(i, Problem)]
    assert len(problems) == 1
    assert problems[0].file == str(path)


# ---------------------------------------------------------------- reader_for


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("a.csv", csv_reader),
        ("a.CSV", csv_reader),
        ("a.tsv", csv_reader),
        ("a.jsonl", jsonl_reader),
        ("a.ndjson", jsonl_reader),
        ("a.json", jsonl_reader),
        ("a.parquet", parquet_reader),
        ("a.pq", parquet_reader),
    ],
)
def test_reader_for_by_suffix(name: str, module: Any) -> None:
    assert reader_for(Path(name)) is module.read


@pytest.mark.parametrize(
    ("fmt", "module"),
    [("csv", csv_reader), ("jsonl", jsonl_reader), ("parquet", parquet_reader)],
)
def test_reader_for_by_format_overrides_suffix(fmt: str, module: Any) -> None:
    assert reader_for(Path("export.txt"), fmt) is module.read
    assert reader_for(Path("data.csv"), fmt) is module.read


def test_format_flag_reads_a_file_with_an_odd_suffix(tmp_path: Path) -> None:
    path = _write(tmp_path, "export.dat", b'{"text": "hi"}\n')
    assert list(reader_for(path, "jsonl")(path)) == [(1, {"text": "hi"})]


@pytest.mark.parametrize("name", ["report.xlsx", "noext", "a.txt"])
def test_reader_for_unknown_suffix(name: str) -> None:
    with pytest.raises(UnsupportedFormatError) as info:
        reader_for(Path(name))
    assert "--format" in str(info.value)
    assert "csv" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_reader_for_unknown_format_name() -> None:
    with pytest.raises(UnsupportedFormatError, match="--format"):
        reader_for(Path("a.csv"), "xlsx")
