"""`socialcem alerts`: evaluate rules and anomaly detection, list alerts, manage rules."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from socialcem.cli import options as opt
from socialcem.cli.app import app, fail, state
from socialcem.cli.render import console, print_json
from socialcem.insights.alerting import evaluate_alerts
from socialcem.insights.rules import Rule
from socialcem.insights.segment import date_of, day_of
from socialcem.store.alert_rules import add_rule, list_rules, remove_rule
from socialcem.store.alert_store import list_alerts
from socialcem.store.locations import brand_id

alerts_app = typer.Typer(help="Alerts: `socialcem alerts`, `socialcem alerts rule add ...`.")
rule_app = typer.Typer(help="Alert rules of a brand.", no_args_is_help=True)
alerts_app.add_typer(rule_app, name="rule")
app.add_typer(alerts_app, name="alerts")


@alerts_app.callback(invoke_without_command=True)
def alerts(
    ctx: typer.Context,
    weeks: Annotated[int, typer.Option(min=1, help="How many recent weeks to evaluate.")] = 1,
    as_of: opt.AsOf = None,
    evaluate: Annotated[
        bool, typer.Option("--evaluate/--no-evaluate", help="Evaluate before listing.")
    ] = True,
    limit: Annotated[int, typer.Option(min=1, help="How many alerts to list.")] = 50,
    brand: opt.Brand = "default",
    model: opt.Model = opt.DEFAULT,
    json_out: opt.Json = False,
) -> None:
    """Evaluate the brand's rules and anomaly detection, then list the window's alerts.

    Re-running is safe: an alert already raised is not raised again.

    Example: `socialcem alerts --brand demo --weeks 12`
    """
    if ctx.invoked_subcommand is not None:
        return
    engine = state.engine()
    day = opt.parse_day(as_of, "--as-of")
    try:
        result = evaluate_alerts(engine, brand, day, weeks, model) if evaluate else None
    except (LookupError, ValueError) as exc:
        fail(str(exc.args[0]))
    with engine.connect() as conn:
        key = brand_id(conn, brand, create=False)
        first = None if result is None or result.first_day is None else result.first_day
        since = None if first is None else day_of(first)
        found = [] if key is None else list_alerts(conn, key, since, limit)
    if json_out:
        print_json(
            {
                "evaluation": result and result.as_dict(),
                "alerts": [a.as_dict() for a in found],
            }
        )
        return
    if result is not None and result.first_day:
        console.print(
            f"evaluated {result.first_day} to {result.last_day}: "
            f"{result.raised} alert(s), {len(result.new_ids)} new"
        )
    table = Table(
        title=f"Alerts · brand {escape(brand)}", title_justify="left", header_style="bold"
    )
    for name in ("id", "severity", "alert", "items", "days"):
        table.add_column(name, justify="right" if name in ("id", "items") else "left")
    colour = {"critical": "red", "high": "red", "medium": "yellow", "low": "dim"}
    for a in found:
        span = date_of(a.first_day).isoformat()
        if a.last_day != a.first_day:
            span += f" – {date_of(a.last_day).isoformat()}"
        title = ("↳ " if a.detail.get("within") else "") + escape(a.title)
        table.add_row(
            str(a.id), f"[{colour[a.severity]}]{a.severity}[/]", title, str(a.items), span
        )
    console.print(table if found else "no alerts in this window")


@rule_app.command("add")
def rule_add(
    name: Annotated[str, typer.Argument(help="A name for the rule.")],
    kind: Annotated[str, typer.Option(help="reach, keyword or nps_below.")],
    min_reach: Annotated[int | None, typer.Option(help="reach: followers at least.")] = None,
    word: Annotated[
        list[str] | None,
        typer.Option(help="keyword: a word or phrase to watch, * for any ending (repeat)."),
    ] = None,
    threshold: Annotated[float | None, typer.Option(help="nps_below: the NPS floor.")] = None,
    min_responses: Annotated[int, typer.Option(help="nps_below: responses needed.")] = 30,
    severity: Annotated[str, typer.Option(help="low, medium, high or critical.")] = "medium",
    brand: opt.Brand = "default",
    json_out: opt.Json = False,
) -> None:
    """Add an alert rule.

    Example: `socialcem alerts rule add influencers --kind reach --min-reach 10000 --severity high`
    """
    presets: dict[str, dict[str, object]] = {
        "reach": {"min_reach": min_reach},
        "keyword": {"words": word or []},
        "nps_below": {"threshold": threshold, "min_responses": min_responses},
    }
    params = presets.get(kind, {})
    with state.engine().begin() as conn:
        key = brand_id(conn, brand)
        assert key is not None
        try:
            rule = add_rule(conn, key, Rule(name, kind, params, severity))
        except ValueError as exc:
            fail(str(exc))
    if json_out:
        print_json(rule.as_dict())
    else:
        console.print(f"rule {escape(rule.name)} added ({rule.kind}, {rule.severity})")


@rule_app.command("list")
def rule_list(brand: opt.Brand = "default", json_out: opt.Json = False) -> None:
    """List the brand's alert rules.

    Example: `socialcem alerts rule list --json`
    """
    with state.engine().connect() as conn:
        key = brand_id(conn, brand, create=False)
        rules = [] if key is None else list_rules(conn, key)
    if json_out:
        print_json([r.as_dict() for r in rules])
        return
    for r in rules:
        console.print(f"{escape(r.name)}: {r.kind} {escape(str(r.params))} ({r.severity})")
    if not rules:
        console.print("no rules yet: `socialcem alerts rule add --help`")


@rule_app.command("remove")
def rule_remove(name: str, brand: opt.Brand = "default") -> None:
    """Remove an alert rule; its alerts stay.

    Example: `socialcem alerts rule remove influencers`
    """
    with state.engine().begin() as conn:
        key = brand_id(conn, brand, create=False)
        if key is None or not remove_rule(conn, key, name):
            fail(f"no rule named {name!r} for brand {brand!r}")
    console.print(f"rule {escape(name)} removed")
