"""Erasure of one author's data on request.

An author is matched exactly (same characters, same case) within one brand: erasing
"jane" leaves "Jane" alone, because a looser match would delete other people's data. The
author's items go with every row that hangs off them (analyses, votes, intent tags, alert
links); the rollups are decremented first, so every metric afterwards is what a fresh count
of the remaining items gives. Copies of their words elsewhere go too: quarantined rows that
name the author are deleted, and alert titles and queued or sent notifications that quote
their items or name them are rewritten with ``[erased]`` in place of the words. So are
audit entries that name the author (an export filtered by author, say): the entry and what
was done stay on record, only the name goes. Mentions of the author in other people's texts
are those people's data and are kept.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, String, cast, delete, func, or_, select

from socialcem.accounts.audit import MAX_TARGET_CHARS, record
from socialcem.privacy.deletion import CHUNK, alert_links, delete_items
from socialcem.store.schema import alerts, audit_log, feedback, notifications, quarantine

ERASED = "[erased]"
MIN_FRAGMENT = 4
"""Shorter pieces of an item's text are not searched for: they would match common words."""


@dataclass(frozen=True, slots=True)
class ErasureResult:
    items: int
    """The author's items that were erased."""
    deleted: dict[str, int] = field(default_factory=dict)
    """Rows deleted, per table."""
    scrubbed: dict[str, int] = field(default_factory=dict)
    """Rows rewritten without the author's words, per table."""

    def as_dict(self) -> dict[str, Any]:
        return {"items": self.items, "deleted": self.deleted, "scrubbed": self.scrubbed}


def author_items(conn: Connection, brand_id: int, author: str) -> int:
    """How many items an erasure of ``author`` would delete (to confirm before acting)."""
    query = select(func.count()).where(feedback.c.brand_id == brand_id, feedback.c.author == author)
    return int(conn.execute(query).scalar_one())


def erase_author(
    target: Engine | Connection,
    brand_id: int,
    author: str,
    actor: str = "cli",
    ip: str | None = None,
) -> ErasureResult:
    """Erase everything the brand holds from ``author``, in one transaction (the caller's
    when given a connection), with an audit entry that does not name them."""
    if not author or "\x00" in author:  # ingest strips NUL: no stored name holds one
        raise ValueError("author: give the author's name exactly as stored")
    if isinstance(target, Engine):
        with target.begin() as conn:
            return _erase(conn, brand_id, author, actor, ip)
    return _erase(target, brand_id, author, actor, ip)


def _erase(conn: Connection, brand: int, author: str, actor: str, ip: str | None) -> ErasureResult:
    rows = conn.execute(
        select(feedback.c.id, feedback.c.text).where(
            feedback.c.brand_id == brand, feedback.c.author == author
        )
    ).all()
    texts = {int(fid): text for fid, text in rows}
    links = alert_links(conn, list(texts))
    deleted = delete_items(conn, brand, list(texts))
    name = _author_pattern(author)
    deleted["quarantine"] = _delete_quarantined(conn, brand, author, name)
    scrubbed = _scrub_alerts(conn, brand, author, name, texts, links)
    scrubbed["audit_log"] = _scrub_audit(conn, brand, author, name)
    result = ErasureResult(len(texts), _nonzero(deleted), _nonzero(scrubbed))
    # Counts only: a hash of a name is no protection (names are few enough to try them
    # all), and the trail must not become the one place that still says who asked.
    record(conn, brand, actor, "erasure", None, result.as_dict(), ip)
    return result


def _author_pattern(author: str) -> re.Pattern[str]:
    """The name as a whole token, as written, JSON-escaped or repr-escaped."""
    forms = {author, json.dumps(author)[1:-1], repr(author)[1:-1], html.escape(author)}
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _text_pattern(texts: Iterable[str]) -> re.Pattern[str] | None:
    """The pieces of items' texts that alerts and digests quote: whole, flattened, cut at
    the lengths they use, and HTML-escaped."""
    pieces: set[str] = set()
    for text in texts:
        flat = " ".join(text.split())
        for piece in (text, text[:100], flat, flat[:280], flat[:100], flat[:79]):
            pieces.update((piece, html.escape(piece)))
    pieces = {p for p in pieces if len(p) >= MIN_FRAGMENT}
    if not pieces:
        return None
    return re.compile("|".join(re.escape(p) for p in sorted(pieces, key=len, reverse=True)))


def _like_author(column: Any, author: str) -> Any:
    """A cheap SQL pre-filter (the exact test is in Python): the name or its JSON form."""
    text = cast(column, String)
    forms = {author, json.dumps(author)[1:-1]}
    return or_(*(text.contains(f, autoescape=True) for f in forms))


def _delete_quarantined(conn: Connection, brand: int, author: str, name: re.Pattern[str]) -> int:
    rows = conn.execute(
        select(quarantine.c.id, quarantine.c.raw).where(
            quarantine.c.brand_id == brand, _like_author(quarantine.c.raw, author)
        )
    ).all()
    ids = [int(qid) for qid, raw in rows if name.search(raw)]
    for start in range(0, len(ids), CHUNK):
        conn.execute(delete(quarantine).where(quarantine.c.id.in_(ids[start : start + CHUNK])))
    return len(ids)


def _scrub_alerts(
    conn: Connection,
    brand: int,
    author: str,
    name: re.Pattern[str],
    texts: dict[int, str],
    links: dict[int, list[int]],
) -> Counter[str]:
    """Rewrite alerts and notifications that quote the erased items or name the author."""
    erased = set(texts)
    quoted = {a: _text_pattern(texts[f] for f in fids) for a, fids in links.items()}
    counts: Counter[str] = Counter()
    a = alerts.c
    rows = conn.execute(
        select(a.id, a.title, a.detail).where(
            a.brand_id == brand,
            or_(
                a.id.in_(list(links)), _like_author(a.title, author), _like_author(a.detail, author)
            ),
        )
    )
    for alert_id, title, detail in rows.all():
        patterns = [name, quoted.get(alert_id)]
        new_title = _scrub(title, patterns, erased)[:300]  # the column's width
        new_detail = _scrub(detail, patterns, erased)
        if (new_title, new_detail) != (title, detail):
            conn.execute(
                alerts.update().where(a.id == alert_id).values(title=new_title, detail=new_detail)
            )
            counts["alerts"] += 1
    counts["notifications"] = _scrub_notifications(conn, brand, author, name, texts, quoted)
    return counts


def _scrub_audit(conn: Connection, brand: int, author: str, name: re.Pattern[str]) -> int:
    log = audit_log.c
    rows = conn.execute(
        select(log.id, log.target, log.detail).where(
            log.brand_id == brand,
            or_(_like_author(log.target, author), _like_author(log.detail, author)),
        )
    )
    changed = 0
    for entry_id, target, detail in rows.all():
        new_target = None if target is None else _scrub(target, [name], set())[:MAX_TARGET_CHARS]
        new_detail = _scrub(detail, [name], set())
        if (new_target, new_detail) != (target, detail):
            query = audit_log.update().where(log.id == entry_id)
            conn.execute(query.values(target=new_target, detail=new_detail))
            changed += 1
    return changed


def _scrub_notifications(
    conn: Connection,
    brand: int,
    author: str,
    name: re.Pattern[str],
    texts: dict[int, str],
    quoted: dict[int, re.Pattern[str] | None],
) -> int:
    """Alert messages quote their alert's items; digests list items with author and text."""
    erased = set(texts)
    n = notifications.c
    rows = conn.execute(
        select(n.id, n.alert_id, n.kind, n.payload).where(
            n.brand_id == brand,
            or_(n.alert_id.in_(list(quoted)), n.kind == "digest", _like_author(n.payload, author)),
        )
    )
    changed = 0
    for note_id, alert_id, kind, payload in rows.all():
        patterns = [name, quoted.get(alert_id)]
        if kind == "digest":  # it lists items, and alerts whose titles may quote them
            listed = _listed_items(payload) & erased
            patterns.append(_text_pattern(texts[f] for f in listed))
            patterns += [quoted.get(a) for a in _digest_alerts(payload)]
        new_payload = _scrub(payload, patterns, erased)
        if new_payload != payload:
            conn.execute(notifications.update().where(n.id == note_id).values(payload=new_payload))
            changed += 1
    return changed


def _digest_alerts(payload: Any) -> list[int]:
    listed = (payload.get("data") or {}).get("alerts") if isinstance(payload, dict) else None
    return [a["id"] for a in listed or () if isinstance(a, dict) and isinstance(a.get("id"), int)]


def _listed_items(value: Any) -> set[int]:
    """Item ids a JSON document lists as ``feedback_id`` (a digest's risks and leads)."""
    if isinstance(value, dict):
        out = {value["feedback_id"]} if isinstance(value.get("feedback_id"), int) else set()
        for v in value.values():
            out |= _listed_items(v)
        return out
    if isinstance(value, list):
        return set().union(*(_listed_items(v) for v in value)) if value else set()
    return set()


def _scrub(value: Any, patterns: Sequence[re.Pattern[str] | None], erased: set[int]) -> Any:
    """``value`` with the patterns' matches replaced and erased items dropped from lists
    (entries with an erased ``feedback_id``, erased ids in ``feedback_ids``)."""
    if isinstance(value, str):
        for pattern in patterns:
            if pattern is not None:
                value = pattern.sub(ERASED, value)
        return value
    if isinstance(value, list):
        return [
            _scrub(v, patterns, erased)
            for v in value
            if not (isinstance(v, dict) and v.get("feedback_id") in erased)
        ]
    if isinstance(value, dict):
        return {
            k: [i for i in v if i not in erased]
            if k == "feedback_ids" and isinstance(v, list)
            else _scrub(v, patterns, erased)
            for k, v in value.items()
        }
    return value


def _nonzero(counts: Counter[str]) -> dict[str, int]:
    return {table: n for table, n in sorted(counts.items()) if n}
