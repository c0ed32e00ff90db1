"""Commands that move data in: ingest, analyse; and look at it: stats, errors."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from socialcem.analysis.base import (
    DEFAULT_MODEL,
    UnknownModelError,
    available_models,
    model_version,
)
from socialcem.analysis.rescore import count_unscored, rescore
from socialcem.cli.app import app, fail, state
from socialcem.cli.render import console, errors, print_json, progress_bar
from socialcem.ingest.mapping import MappingError, build_mapping
from socialcem.ingest.pipeline import DEFAULT_COMMIT_SIZE, IngestOptions, estimate_rows, ingest_file
from socialcem.ingest.readers import UnsupportedFormatError
from socialcem.ingest.runs import RunCounts
from socialcem.insights.alerting import evaluate_alerts
from socialcem.store.inspect import quarantined, store_stats

JsonFlag = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
BrandOpt = Annotated[str, typer.Option("--brand", help="Brand (tenant) the items belong to.")]


@app.command()
def ingest(
    files: Annotated[
        list[Path], typer.Argument(help="CSV, JSON Lines or Parquet files.", show_default=False)
    ],
    brand: BrandOpt = "default",
    preset: Annotated[
        str | None, typer.Option(help="Column preset: survey, reviews or tweets.")
    ] = None,
    mapping_file: Annotated[
        Path | None, typer.Option("--mapping", help="TOML mapping file ([columns], [defaults]).")
    ] = None,
    map_: Annotated[
        list[str], typer.Option("--map", help="FIELD=COLUMN, repeatable, e.g. --map text=comment.")
    ] = [],  # noqa: B006
    source: Annotated[
        str | None, typer.Option(help="Channel for rows that do not name one, e.g. survey.")
    ] = None,
    scale: Annotated[
        str | None,
        typer.Option(help="Scale of the rating column: nps_0_10, stars_1_5 or csat_1_5."),
    ] = None,
    date_format: Annotated[
        str | None, typer.Option(help="strptime format of the timestamp column.")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="csv, jsonl or parquet (default: from the suffix)."),
    ] = None,
    model: Annotated[
        str,
        typer.Option(
            help=f"Model to analyse new items with ({', '.join(available_models())}) or 'none'."
        ),
    ] = DEFAULT_MODEL,
    workers: Annotated[
        int | None,
        typer.Option(help="Worker processes (default: one per core for large files; 0 = none)."),
    ] = None,
    commit_size: Annotated[
        int,
        typer.Option(
            min=1, help="Items written per transaction (a crash redoes at most this many)."
        ),
    ] = DEFAULT_COMMIT_SIZE,
    alerts: Annotated[
        bool,
        typer.Option(
            "--alerts/--no-alerts",
            help="Evaluate alert rules and anomalies on the newest week afterwards.",
        ),
    ] = True,
    json_out: JsonFlag = False,
) -> None:
    """Store and analyse new items from files; bad rows go to quarantine (`socialcem errors`).

    Importing the same file again stores nothing new. New alerts are queued for notification,
    never sent from here: a slow or dead receiver cannot hold up an import.

    Example: `socialcem ingest reviews.csv --preset reviews --source yelp`
    """
    try:
        options = IngestOptions(
            brand=brand,
            mapping=build_mapping(preset, mapping_file, map_, source, scale, date_format),
            fmt=fmt,
            model=None if model == "none" else model,
            workers=workers,
            commit_size=commit_size,
        )
        if options.model:
            model_version(options.model)
    except (MappingError, UnknownModelError) as exc:
        fail(str(exc))
    engine = state.engine()
    results: list[RunCounts] = []
    failed: list[str] = []
    for path in files:
        try:
            if not path.is_file():
                raise FileNotFoundError(f"{path}: no such file")
            rows = estimate_rows(path)
            with progress_bar(f"ingest {path.name}", rows, quiet=json_out) as advance:
                results.append(ingest_file(engine, path, options, advance, rows))
        except (
            MappingError,
            UnsupportedFormatError,
            FileNotFoundError,
            PermissionError,
            IsADirectoryError,
        ) as exc:
            failed.append(str(path))
            errors.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
    evaluation = None
    if alerts and options.model and any(r.ingested for r in results):
        try:
            evaluation = evaluate_alerts(engine, brand, model=options.model)
        except Exception as exc:  # the items are stored; a failed evaluation must not hide that
            errors.print(
                f"[yellow]warning:[/yellow] alerts not evaluated: {escape(str(exc))}",
                highlight=False,
            )
    if json_out:
        print_json(
            {
                "files": [asdict(r) for r in results],
                "failed": failed,
                "alerts": evaluation and evaluation.as_dict(),
            }
        )
    else:
        for r in results:
            console.print(
                f"{escape(r.file)}: [green]{r.ingested:,} ingested[/green], "
                f"{r.duplicates:,} duplicates, "
                f"[{'yellow' if r.quarantined else 'green'}]{r.quarantined:,} quarantined[/]"
            )
        if any(r.quarantined for r in results):
            console.print("see the quarantined rows with: socialcem errors")
        if evaluation is not None and evaluation.new_ids:
            console.print(
                f"{len(evaluation.new_ids)} new alert(s): socialcem alerts --brand {brand}"
            )
    if not results:
        raise typer.Exit(1)


@app.command()
def analyse(
    brand: BrandOpt = "default",
    model: Annotated[
        str, typer.Option(help=f"Model: {', '.join(available_models())}.")
    ] = DEFAULT_MODEL,
    workers: Annotated[int, typer.Option(help="Worker processes (0 = score in this process).")] = 0,
    json_out: JsonFlag = False,
) -> None:
    """Score stored items that have no analysis by MODEL yet (resumable at any point).

    Example: `socialcem analyse --model lexicon --workers 2`
    """
    try:
        version = model_version(model)
    except UnknownModelError as exc:
        fail(str(exc))
    engine = state.engine()
    todo = count_unscored(engine, model, brand)
    with progress_bar(f"analyse ({version})", todo, quiet=json_out) as advance:
        done = rescore(engine, model, brand, workers=workers, progress=advance)
    if json_out:
        print_json({"model": version, "analysed": done})
    else:
        console.print(f"{done:,} items analysed with {version}")


@app.command()
def stats(json_out: JsonFlag = False) -> None:
    """Totals of the store: items by channel and constituency, analyses by model, problems.

    Example: `socialcem stats --json`
    """
    with state.engine().connect() as conn:
        result = store_stats(conn)
    if json_out:
        print_json(result.as_dict())
        return
    table = Table(title="socialcem store", show_header=False, title_justify="left")
    for key in (
        "brands",
        "locations",
        "feedback",
        "quarantined",
        "imports",
        "first_item",
        "last_item",
    ):
        value = getattr(result, key)
        table.add_row(key, f"{value:,}" if isinstance(value, int) else str(value or "–"))
    for group in ("by_source", "by_constituency", "analysed_by_model"):
        for name, count in sorted(getattr(result, group).items()):
            table.add_row(f"{group.replace('_', ' ')}: {name}", f"{count:,}")
    console.print(table)


@app.command("errors")
def errors_cmd(
    file: Annotated[
        str | None, typer.Option(help="Only problems of this file (as given to ingest).")
    ] = None,
    limit: Annotated[int, typer.Option(help="Most rows to show.")] = 100,
    json_out: JsonFlag = False,
) -> None:
    """Quarantined rows with file, line, field and reason, to fix at the source.

    Example: `socialcem errors --file survey.csv`
    """
    with state.engine().connect() as conn:
        rows, total = quarantined(conn, file, limit)
    if json_out:
        print_json({"total": total, "rows": [asdict(r) for r in rows]})
        return
    if not total:
        console.print("no quarantined rows")
        return
    table = Table(
        title=f"{total:,} quarantined rows" + (f" (first {limit})" if total > limit else ""),
        title_justify="left",
    )
    for column in ("file", "line", "field", "reason"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(escape(r.file), str(r.line), escape(r.field), escape(r.reason))
    console.print(table)
