"""`socialcem export`: the API's export core from the command line, audited."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from helpers import item, write_jsonl
from typer.testing import CliRunner

from socialcem.accounts.audit import entries
from socialcem.cli.main import app
from socialcem.ingest.pipeline import IngestOptions, ingest_file
from socialcem.store import open_store
from socialcem.store.locations import brand_id

runner = CliRunner()


@pytest.fixture
def url(store_url: str, tmp_path: Path) -> str:
    rows = [item(i, text="=1+1 evil" if i == 0 else f"visit {i}") for i in range(9)]
    engine = open_store(store_url)
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    ingest_file(engine, path, IngestOptions(brand="acme", model=None, workers=0))
    engine.dispose()
    return store_url


def invoke(url: str, *args: str) -> tuple[int, str]:
    """Run the command through the real command line (it closes its own engines)."""
    result = runner.invoke(app, ["--db", url, *args])
    return result.exit_code, result.output


def export(url: str, *args: str) -> tuple[int, str]:
    return invoke(url, "export", "--brand", "acme", *args)


def test_each_format_writes_the_filtered_items_and_an_audit_entry(url: str, tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    code, text = export(url, "--out", str(out), "--location", "Store 0", "--json")
    assert code == 0, text
    summary = json.loads(text)
    assert summary["rows"] == 3 and summary["filters"] == {"location": "Store 0"}
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert [r["external_id"] for r in rows] == ["x6", "x3", "x0"]
    assert rows[-1]["text"] == "'=1+1 evil"  # neutralised for spreadsheets

    code, _ = export(url, "--format", "jsonl", "--out", str(tmp_path / "a.jsonl"))
    lines = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
    assert code == 0 and len(lines) == 9 and json.loads(lines[-1])["text"] == "=1+1 evil"

    parquet = str(tmp_path / "a.parquet")
    code, _ = export(url, "--format", "parquet", "--out", parquet, "--q", "VISIT")
    assert code == 0 and pq.read_table(tmp_path / "a.parquet").num_rows == 8
    assert not list(tmp_path.glob("*.part"))

    engine = open_store(url)
    with engine.connect() as conn:
        logged = entries(conn, brand_id(conn, "acme", create=False), action="export")
    engine.dispose()
    assert [e.detail and e.detail["format"] for e in logged] == ["parquet", "jsonl", "csv"]
    assert {e.actor for e in logged} == {"cli"}
    assert logged[0].detail == {"format": "parquet", "filters": {"q": "VISIT"}, "rows": 8}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--location", "Atlantis"], "location: no location named 'Atlantis'"),
        (["--since", "2026-03-09", "--until", "2026-03-01"], "since: 2026-03-09 is after"),
        (["--since", "March"], "'March' is not a date"),
        (["--format", "xlsx"], "xlsx"),
    ],
)
def test_bad_options_fail_naming_the_option(
    url: str, tmp_path: Path, args: list[str], message: str
) -> None:
    code, text = export(url, "--out", str(tmp_path / "x"), *args)
    assert code == 2 and message in " ".join(text.split())
    assert not (tmp_path / "x").exists()


def test_unknown_brand_and_unwritable_file(url: str, tmp_path: Path) -> None:
    code, text = invoke(url, "export", "--brand", "nope", "--out", "x.csv")
    assert code == 2 and "--brand: no brand named 'nope'" in text
    code, text = export(url, "--out", str(tmp_path / "missing" / "x.csv"))
    assert code == 2 and "--out: cannot write" in text
