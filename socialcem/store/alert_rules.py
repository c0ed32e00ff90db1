"""The brand's alert rules in the store: add (names are unique per brand), list, remove."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, select

from socialcem.insights.rules import Rule, validate_rule
from socialcem.store.schema import alert_rules


def add_rule(conn: Connection, brand: int, rule: Rule) -> Rule:
    rule = validate_rule(rule)
    taken = conn.execute(
        select(alert_rules.c.id).where(
            alert_rules.c.brand_id == brand, alert_rules.c.name == rule.name
        )
    ).scalar()
    if taken is not None:
        raise ValueError(f"name: a rule called {rule.name!r} exists already")
    new_id = conn.execute(
        alert_rules.insert()
        .values(
            brand_id=brand,
            name=rule.name,
            kind=rule.kind,
            params=rule.params,
            severity=rule.severity,
            enabled=rule.enabled,
            created_at=datetime.now(UTC),
        )
        .returning(alert_rules.c.id)
    ).scalar_one()
    return Rule(rule.name, rule.kind, rule.params, rule.severity, int(new_id), rule.enabled)


def list_rules(conn: Connection, brand: int) -> list[Rule]:
    r = alert_rules.c
    rows = conn.execute(
        select(r.name, r.kind, r.params, r.severity, r.id, r.enabled)
        .where(r.brand_id == brand)
        .order_by(r.name)
    )
    return [Rule(n, k, dict(p), s, int(i), bool(e)) for n, k, p, s, i, e in rows]


def remove_rule(conn: Connection, brand: int, name: str) -> bool:
    r = alert_rules.c
    done = conn.execute(alert_rules.delete().where(r.brand_id == brand, r.name == name))
    return bool(done.rowcount)
