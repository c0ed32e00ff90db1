"""`socialcem demo`: a realistic synthetic brand, ingested, analysed and reported."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from socialcem.cli.app import app, state
from socialcem.cli.render import console, print_json, progress_bar, report_table
from socialcem.insights.alerting import evaluate_alerts
from socialcem.report import build_report


@app.command()
def demo(
    items: Annotated[
        int, typer.Option(min=100, max=5_000_000, help="How many feedback items to generate.")
    ] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same brand.")] = 7,
    brand: Annotated[str, typer.Option(help="Brand name to load the demo into.")] = "demo",
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the import and report as JSON.")
    ] = False,
) -> None:
    """Generate a coffee chain's feedback (20 locations, 12 channels, surveys, reviews,
    social posts, an employee pulse), ingest and analyse it, and print the NPS report.

    Example: `socialcem demo --items 50000`, then
    `socialcem report --brand demo --by location --period week`
    """
    # The generator's templates load only when asked.
    from socialcem.demo.generator import DEFAULT_WEEKS
    from socialcem.demo.load import load_demo

    engine = state.engine()
    with progress_bar("demo data", items, quiet=json_out) as advance:
        generated, counts = load_demo(engine, brand, items, seed, progress=advance)
    rows = build_report(engine, brand, by="location")
    # Every week of the demo is evaluated, so the planted spike is found wherever it falls.
    alerts = evaluate_alerts(engine, brand, weeks=DEFAULT_WEEKS + 1)
    if json_out:
        print_json(
            {
                "import": asdict(counts),
                "planted": generated.planted,
                "rows": [r.as_dict() for r in rows],
                "alerts": alerts.as_dict(),
            }
        )
        return
    console.print(
        f"{counts.file}: {counts.ingested:,} ingested, {counts.duplicates:,} duplicates, "
        f"{counts.quarantined:,} quarantined"
    )
    console.print(report_table(rows, "location", f"NPS report · brand {brand} · by location"))
    console.print(f"{alerts.raised} alerts raised over the demo's weeks")
    where = generated.planted["service_problem_location"]
    console.print(
        f"next: socialcem alerts --brand {brand} --weeks {DEFAULT_WEEKS + 1} · "
        f'socialcem drivers --brand {brand} --location "{where}" · '
        f"socialcem trends --brand {brand} --metric mentions --topic delivery"
    )
    console.print(
        f"serve it: socialcem users add admin --brand {brand} --role admin --password-stdin, "
        f"then socialcem tokens issue --user admin --brand {brand} --name api and "
        "socialcem serve (the README shows the rest)"
    )
