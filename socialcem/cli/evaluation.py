"""`socialcem eval`: a model's accuracy and NPS error on a labelled file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from socialcem.analysis.base import DEFAULT_MODEL, UnknownModelError, get_classifier
from socialcem.analysis.evaluate import LabelError, evaluate
from socialcem.analysis.labelled import read_labelled
from socialcem.cli.app import app, fail
from socialcem.cli.render import console, fmt_score, print_json
from socialcem.ingest.readers import UnsupportedFormatError


@app.command("eval")
def eval_cmd(
    file: Annotated[Path, typer.Argument(help="CSV, JSON Lines or Parquet with text and labels.")],
    text_col: Annotated[str, typer.Option(help="Column with the text.")] = "text",
    label_col: Annotated[str, typer.Option(help="Column with the label or rating.")] = "label",
    model: Annotated[str, typer.Option(help="Model to evaluate.")] = DEFAULT_MODEL,
    scale: Annotated[
        str | None,
        typer.Option(help="The label column holds ratings on this scale (e.g. stars_1_5)."),
    ] = None,
    scale_col: Annotated[
        str | None,
        typer.Option(help="The label column holds ratings; their scale is in this column."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Evaluate at most this many rows.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Accuracy, macro-recall, macro-F1, confusion matrix, true vs estimated NPS, items/s.

    Labels are sentiment (negative/neutral/positive) or NPS categories (detractor/passive/
    promoter), or ratings with --scale / --scale-col. For sentiment labels the "NPS"
    figures are the same formula over sentiment: %positive - %negative.

    Example: `socialcem eval reviews.csv --label-col rating --scale stars_1_5 --json`
    """
    if not file.is_file():
        fail(f"{file}: no such file", 1)
    try:
        data = read_labelled(file, text_col, label_col, scale, scale_col, limit)
        result = evaluate(get_classifier(model), data.texts, data.labels)
    except (LabelError, UnknownModelError, UnsupportedFormatError) as exc:
        fail(str(exc))
    if json_out:
        print_json({**result.as_dict(), "skipped": len(data.skipped)})
        return
    console.print(
        f"{escape(str(file))}: {result.n:,} items ({len(data.skipped):,} skipped), "
        f"task {result.task}, model {result.model}"
    )
    console.print(
        f"accuracy {result.accuracy:.3f} · macro-recall {result.macro_recall:.3f} · "
        f"macro-F1 {result.macro_f1:.3f} · {result.items_per_s:,.0f} items/s"
    )
    console.print(
        f"true NPS {fmt_score(result.true_nps)} · estimated {fmt_score(result.estimated_nps)} "
        f"· error {result.nps_error:+.1f} points · classify-and-count "
        f"{fmt_score(result.counted_nps)}"
        if result.nps_error is not None
        else "NPS: not enough data"
    )
    if result.unscored:
        console.print(f"{result.unscored:,} items in unsupported languages left out of the NPS")
    table = Table(title="confusion (rows: true, columns: predicted)", title_justify="left")
    table.add_column("")
    for name in result.labels:
        table.add_column(name, justify="right")
    table.add_column("recall", justify="right")
    for name, row in zip(result.labels, result.confusion, strict=True):
        recall = result.per_class[name]["recall"]
        table.add_row(name, *(f"{n:,}" for n in row), f"{recall:.3f}")
    console.print(table)
