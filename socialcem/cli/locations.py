"""`socialcem locations`: a brand's location tree, as GET /api/v1/locations lists it."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import typer
from rich.markup import escape
from rich.tree import Tree

from socialcem.accounts.principal import Principal
from socialcem.cli.app import app, fail, state
from socialcem.cli.render import console, print_json
from socialcem.cli.users import BrandOpt, brand_key
from socialcem.store.visibility import LocationNotFound, visible_locations, visible_subtree


@app.command("locations")
def locations(
    brand: BrandOpt,
    under: Annotated[
        str | None, typer.Option(help="Only this location and what lies below it.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """The brand's locations, each under its parent (regions, stores, franchisees...).

    Example: `socialcem locations --brand acme --under North`
    """
    engine = state.engine()
    with engine.connect() as conn:
        key = brand_key(conn, brand, create=False)
        everything = Principal.whole_brand(key, brand)
        try:
            ids = None if under is None else frozenset(visible_subtree(conn, everything, under))
        except LocationNotFound:
            fail(f"--under: no location named {under!r} in {brand!r}")
        seen = replace(everything, locations=ids, location=under)
        found = visible_locations(conn, seen)
    if json_out:
        print_json([{"name": x.name, "kind": x.kind, "parent": x.parent} for x in found])
        return
    if not found:
        console.print(f"no locations in {escape(brand)}")
        return
    root = Tree(f"[bold]{escape(brand)}[/bold]")
    nodes: dict[str, Tree] = {}
    for place in found:  # a parent comes before its children
        parent = nodes.get(place.parent, root) if place.parent is not None else root
        nodes[place.name] = parent.add(f"{escape(place.name)} [dim]{escape(place.kind)}[/dim]")
    console.print(root)
