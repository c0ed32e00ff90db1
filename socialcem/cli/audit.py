"""`socialcem audit`: who did what, when, in a brand; the same trail as GET /api/v1/audit."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from socialcem.accounts.audit import entries
from socialcem.cli.app import app, state
from socialcem.cli.render import console, print_json
from socialcem.cli.users import BrandOpt, brand_key


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(map(str, value))
    return value if isinstance(value, str) else json.dumps(value)


@app.command("audit")
def audit(
    brand: BrandOpt,
    action: Annotated[
        str | None, typer.Option(help="Only this action, e.g. login, export, role.grant.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="Newest entries shown.")] = 50,
    before_id: Annotated[
        int | None, typer.Option(min=1, help="Entries older than this id (paging back).")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Logins, token and role changes, exports, erasures and retention runs, newest first.

    Example: `socialcem audit --brand acme --action export --limit 20`
    """
    engine = state.engine()
    with engine.connect() as conn:
        found = entries(conn, brand_key(conn, brand, create=False), limit, action, before_id)
    if json_out:
        print_json([entry.as_dict() for entry in found])
        return
    table = Table("id", "at (UTC)", "actor", "action", "target", "detail", "from")
    for entry in found:
        detail = " ".join(f"{k}={_plain(v)}" for k, v in sorted((entry.detail or {}).items()))
        table.add_row(
            str(entry.id),
            entry.at.strftime("%Y-%m-%d %H:%M:%S"),
            escape(entry.actor),
            escape(entry.action),
            escape(entry.target or ""),
            escape(detail),
            escape(entry.ip or ""),
        )
    console.print(table if found else "no audit entries")
