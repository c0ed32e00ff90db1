"""The command line: thin commands, JSON for scripts, exit codes, help with examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import item, write_csv
from typer.testing import CliRunner

from socialcem.cli.main import app
from socialcem.store.migrate import HEAD

runner = CliRunner()


def invoke(url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", url, *args])
    return result.exit_code, result.output


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_ingest_report_stats_errors_round_trip(url: str, tmp_path: Path) -> None:
    rows = [item(i, score=str(i % 11)) for i in range(30)] + [item(99, created_at="soon")]
    path = write_csv(tmp_path / "in.csv", rows)
    code, out = invoke(url, "ingest", str(path), "--json")
    assert code == 0
    [summary] = json.loads(out)["files"]
    assert (summary["ingested"], summary["quarantined"]) == (30, 1)

    code, out = invoke(url, "report", "--by", "location", "--json")
    assert code == 0
    rows_out = json.loads(out)["rows"]
    assert {r["segment"] for r in rows_out} == {"Store 0", "Store 1", "Store 2"}
    assert sum(r["items"] for r in rows_out) == 30
    assert all({"value", "low", "high", "n"} <= r["nps"].keys() for r in rows_out)

    code, out = invoke(url, "stats", "--json")
    assert json.loads(out)["feedback"] == 30

    code, out = invoke(url, "errors", "--json")
    problems = json.loads(out)
    assert problems["total"] == 1
    assert problems["rows"][0]["line"] == 32 and problems["rows"][0]["field"] == "created_at"


def test_report_writes_csv(url: str, tmp_path: Path) -> None:
    invoke(url, "ingest", str(write_csv(tmp_path / "in.csv", [item(i) for i in range(5)])))
    out_csv = tmp_path / "report.csv"
    code, _ = invoke(url, "report", "--period", "month", "--out", str(out_csv))
    assert code == 0
    header, *lines = out_csv.read_text().splitlines()
    assert header.startswith("period,segment,items,nps_value")
    assert lines and lines[0].startswith("2026-03,all,5,")


def test_quarantined_rows_do_not_fail_the_command(url: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", [item(1, text=""), item(2, created_at="x")])
    code, out = invoke(url, "ingest", str(path))
    assert code == 0
    assert "2 quarantined" in out


def test_nothing_processed_exits_non_zero(url: str, tmp_path: Path) -> None:
    code, out = invoke(url, "ingest", str(tmp_path / "missing.csv"))
    assert code == 1
    assert "no such file" in out
    (tmp_path / "notes.xlsx").write_text("x")
    code, out = invoke(url, "ingest", str(tmp_path / "notes.xlsx"))
    assert code == 1 and "--format" in out


def test_a_rating_without_scale_is_refused_clearly(url: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [item(1, rating="4")])
    code, out = invoke(url, "ingest", str(path))
    assert code == 1 and "--scale" in out
    code, out = invoke(url, "ingest", str(path), "--scale", "stars_1_5", "--json")
    assert code == 0 and json.loads(out)["files"][0]["ingested"] == 1


def test_analyse_scores_items_stored_without_a_model(url: str, tmp_path: Path) -> None:
    invoke(url, "ingest", str(write_csv(tmp_path / "in.csv", [item(i) for i in range(7)])),
           "--model", "none")  # fmt: skip
    code, out = invoke(url, "analyse", "--json")
    assert code == 0 and json.loads(out) == {"model": "linear-cx@1", "analysed": 7}
    code, out = invoke(url, "analyse", "--json")
    assert json.loads(out)["analysed"] == 0


def test_unknown_model_is_a_clear_error(url: str) -> None:
    code, out = invoke(url, "analyse", "--model", "gpt")
    assert code == 2 and "available: lexicon, linear, minilm" in out


def test_db_upgrade(url: str) -> None:
    code, out = invoke(url, "db", "upgrade", "--json")
    assert code == 0 and json.loads(out)["to"] == HEAD


def test_bad_database_url(tmp_path: Path) -> None:
    code, out = invoke(f"sqlite:///{tmp_path}/no/such/folder/x.db", "stats")
    assert code == 2 and "does not exist" in out
    code, out = invoke("nonsense://", "stats")
    assert code == 2


@pytest.mark.parametrize(
    "command", ["ingest", "analyse", "report", "stats", "errors", "demo", "eval", "db upgrade"]
)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = runner.invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def test_demo_loads_and_reports(url: str) -> None:
    code, out = invoke(url, "demo", "--items", "2000", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["import"]["ingested"] == 2000
    assert len(data["rows"]) >= 20


def test_user_text_is_printed_literally_not_as_markup(url: str, tmp_path: Path) -> None:
    rows = [item(1, location="[bold]Pier [/] 9"), item(2, created_at="[red]soon[/red]")]
    path = write_csv(tmp_path / "[x].csv", rows)
    code, out = invoke(url, "ingest", str(path))
    assert code == 0 and "[x].csv" in out
    code, out = invoke(url, "report", "--by", "location")
    assert code == 0 and "[bold]Pier [/] 9" in out
    code, out = invoke(url, "errors")
    assert code == 0 and "[red]soon[/red]" in out.replace("\n", "")


def test_a_database_that_is_not_a_socialcem_store(tmp_path: Path) -> None:
    import sqlite3
    import subprocess
    import sys

    from socialcem.store.migrate import HEAD

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE alembic_version (version_num TEXT)")
        con.execute(f"INSERT INTO alembic_version VALUES ('{HEAD}')")
    done = subprocess.run(
        [sys.executable, "-m", "socialcem", "--db", f"sqlite:///{path}", "report"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "database: no such table" in done.stderr
    assert "Traceback" not in done.stderr


def test_themes_lists_clusters_outside_the_taxonomy(url: str, tmp_path: Path) -> None:
    texts = [f"They let my dog come in with me, dog treats too, visit {n}" for n in range(15)]
    texts += [
        f"Please bring back the pumpkin muffin, pumpkin season {n} is here" for n in range(15)
    ]
    texts += ["hello there", "just saw this", "what a day", "see you tomorrow"]
    rows = [
        {"id": f"t{i}", "text": text, "created_at": "2026-03-02T09:00:00Z", "source": "twitter"}
        for i, text in enumerate(texts)
    ]
    write_csv(tmp_path / "posts.csv", rows)
    assert invoke(url, "ingest", str(tmp_path / "posts.csv"), "--model", "lexicon")[0] == 0
    code, out = invoke(url, "themes", "--json")
    data = json.loads(out)
    assert code == 0 and data["items_read"] == len(texts)
    labels = " ".join(t["label"] for t in data["themes"])
    assert "dog" in labels and "pumpkin" in labels


def test_model_info_reports_the_training_figures(url: str) -> None:
    code, out = invoke(url, "model", "info", "--json")
    data = json.loads(out)
    assert code == 0 and data["version"] == "linear-cx@1"
    assert data["holdout_domain"] == "restaurant" and data["languages"] == ["en"]
    assert data["metrics"]["tweets_en_val"]["macro_recall"] >= 0.66


def test_model_calibrate_needs_rated_items(url: str, tmp_path: Path) -> None:
    code, out = invoke(url, "model", "calibrate", "--brand", "nobody")
    assert code == 2 and "no brand named 'nobody'" in out
    rows = [item(i, score="") for i in range(5)]
    assert invoke(url, "ingest", str(write_csv(tmp_path / "in.csv", rows)))[0] == 0
    code, out = invoke(url, "model", "calibrate")
    assert code == 2 and "no rated items" in out
