"""Alerts as items arrive: per-item rules within a second, the week's evaluation debounced.

Reach and keyword rules are about single items: the items a request stored are tested
against them (item_alerts), under the same alert keys as insights.rule_alerts, so a later
full evaluation finds the same alerts and links nothing twice. Anomalies and NPS floors
are about weeks: evaluate_alerts over the newest week. A server process queues the work
in ArrivalAlerts, whose threads batch it per brand (Debouncer), so a burst of posts costs
one rules query a batch and one evaluation every 30 s, and no request waits for it.
Nothing here fails a request: errors are logged, and the week's next evaluation (its
rule_alerts covers reach and keyword rules too) catches up on what was missed.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Sequence

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from socialcem.ingest.live import retryable
from socialcem.ingest.outcomes import Arrived
from socialcem.insights.alert_messages import queue_alerts
from socialcem.insights.alerting import evaluate_alerts
from socialcem.insights.rule_alerts import keyword_alert, reach_alert
from socialcem.insights.rules import Rule, matcher
from socialcem.store.alert_rules import list_rules
from socialcem.store.alert_store import Raised, save_alerts

log = logging.getLogger(__name__)

ITEM_RULES = ("reach", "keyword")
DEFAULT_INTERVAL_S = 30.0
_SAVE_ATTEMPTS = 3


def _detractor(item: Arrived) -> bool:
    """Rated a detractor, or unrated and read as one: as store.alert_queries decides."""
    if item.rating_category is not None:
        return item.rating_category == "detractor"
    return item.inferred_category == "detractor"


def item_alerts(rules: Sequence[Rule], items: Sequence[Arrived]) -> list[Raised]:
    """The reach and keyword alerts that ``items`` raise (the same keys and titles as
    insights.rule_alerts gives over a window)."""
    out: list[Raised] = []
    active = [r for r in rules if r.enabled and r.kind in ITEM_RULES]
    for rule in (r for r in active if r.kind == "reach"):
        minimum = rule.params["min_reach"]
        out += [
            reach_alert(rule, it.id, it.location_id, it.day, it.reach, it.text)
            for it in items
            if it.reach is not None and it.reach >= minimum and _detractor(it)
        ]
    for rule in (r for r in active if r.kind == "keyword"):
        pattern = matcher(rule.params)
        by_day: dict[int, list[int]] = {}
        for it in items:
            if pattern.search(it.text):
                by_day.setdefault(it.day, []).append(it.id)
        out += [keyword_alert(rule, day, ids) for day, ids in sorted(by_day.items())]
    return out


def raise_item_alerts(engine: Engine, brand_id: int, items: Sequence[Arrived]) -> list[int]:
    """Test ``items`` against the brand's reach and keyword rules; store and queue what they
    raise. Returns the ids of new alerts. Two processes raising the same alert at once
    collide on its key: the loser replays and links its items to the winner's alert."""
    if not items:
        return []
    with engine.connect() as conn:
        rules = [r for r in list_rules(conn, brand_id) if r.enabled and r.kind in ITEM_RULES]
    raised = item_alerts(rules, items)
    if not raised:
        return []
    attempt = 0
    while True:
        try:
            with engine.begin() as conn:
                if conn.dialect.name == "sqlite":
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                new_ids = save_alerts(conn, brand_id, raised)
                if new_ids:
                    queue_alerts(conn, brand_id, new_ids)
                return new_ids
        except DBAPIError as exc:
            attempt += 1
            if attempt == _SAVE_ATTEMPTS or not (isinstance(exc, IntegrityError) or retryable(exc)):
                raise


def evaluate_newest_week(engine: Engine, brand: str, model: str | None = None) -> None:
    """The full evaluation (rules and anomalies) of the brand's newest week; logs errors."""
    try:
        evaluation = evaluate_alerts(engine, brand, weeks=1, model=model)
    except Exception:
        log.exception("alert evaluation on arrival failed for brand %r", brand)
        return
    if evaluation.new_ids:
        log.info("%d new alert(s) for brand %r on arrival", len(evaluation.new_ids), brand)


class Debouncer:
    """Runs ``run(brand)`` at most once every ``interval_s`` seconds per brand, after a
    notify: the first at once, later ones when the interval since the last has passed.

    The scheduling core (notify, take_due, run_due, flush) works without the thread, with
    any clock, so tests drive it directly; the thread only waits for the next due time.
    Runs never overlap within one Debouncer.
    """

    def __init__(
        self,
        run: Callable[[str], object],
        interval_s: float = DEFAULT_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
        background: bool = True,
    ) -> None:
        self._run = run
        self.interval_s = interval_s
        self._clock = clock
        self._background = background
        self._cond = threading.Condition()
        self._running = threading.Lock()
        self._due: dict[str, float] = {}
        self._last: dict[str, float] = {}
        self._thread: threading.Thread | None = None
        self._closed = False

    def notify(self, brand: str) -> None:
        with self._cond:
            if self._closed or brand in self._due:
                return
            self._due[brand] = max(
                self._clock(), self._last.get(brand, -math.inf) + self.interval_s
            )
            if self._background and self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name="socialcem-arrival-alerts", daemon=True
                )
                self._thread.start()
            self._cond.notify()

    def pending(self) -> dict[str, float]:
        """Brand -> when its evaluation is due (on the Debouncer's clock)."""
        with self._cond:
            return dict(self._due)

    def take_due(self, now: float | None = None) -> list[str]:
        """The brands due by ``now``, marked as run."""
        with self._cond:
            moment = self._clock() if now is None else now
            ready = sorted(b for b, due in self._due.items() if due <= moment)
            for brand in ready:
                del self._due[brand]
                self._last[brand] = moment
            return ready

    def run_due(self, now: float | None = None) -> list[str]:
        with self._running:
            ready = self.take_due(now)
            for brand in ready:
                self._safe_run(brand)
        return ready

    def flush(self) -> list[str]:
        """Run every pending evaluation now, in this thread, after any run in progress."""
        with self._running:
            with self._cond:
                ready = sorted(self._due)
                now = self._clock()
                for brand in ready:
                    del self._due[brand]
                    self._last[brand] = now
            for brand in ready:
                self._safe_run(brand)
        return ready

    def close(self, flush: bool = True, timeout_s: float = 30.0) -> None:
        """Stop the thread; with ``flush``, run what is still pending first."""
        with self._cond:
            self._closed = True
            self._cond.notify()
            thread = self._thread
        if thread is not None:
            thread.join(timeout_s)
        if flush:
            self.flush()

    def _safe_run(self, brand: str) -> None:
        try:
            self._run(brand)
        except Exception:
            log.exception("debounced run failed for brand %r", brand)

    def _loop(self) -> None:
        while True:
            with self._cond:
                if self._closed:
                    return
                now = self._clock()
                wait = min(self._due.values()) - now if self._due else None
                if wait is None or wait > 0:
                    self._cond.wait(wait)
                    continue
            self.run_due()


class ArrivalAlerts:
    """The alert work of one server process, off the request threads.

    ``add`` only queues (O(1), never raises). Per-item rules run for each brand's queued
    items in a batch, at most every ``item_interval_s`` (one rules query for many
    requests); the week's full evaluation at most every ``week_interval_s``. Items queued
    when the process dies are caught up by the next evaluation of their week.
    """

    MAX_QUEUED = 100_000
    """Items waiting per brand; beyond it they are left to the week's evaluation."""

    def __init__(
        self,
        engine: Engine,
        model: str | None = None,
        week_interval_s: float = DEFAULT_INTERVAL_S,
        item_interval_s: float = 0.5,
        background: bool = True,
    ) -> None:
        self.engine = engine
        self._queued: dict[str, tuple[int, list[Arrived]]] = {}
        self._lock = threading.Lock()
        self.items = Debouncer(self._drain, item_interval_s, background=background)
        self.weeks = Debouncer(
            lambda brand: evaluate_newest_week(engine, brand, model),
            week_interval_s,
            background=background,
        )

    def add(self, brand_id: int, brand: str, items: Sequence[Arrived]) -> None:
        if not items:
            return
        with self._lock:
            queue = self._queued.setdefault(brand, (brand_id, []))[1]
            room = self.MAX_QUEUED - len(queue)
            queue.extend(items[: max(room, 0)])
        if room < len(items):
            log.warning("alert queue of brand %r full: the week's evaluation will catch up", brand)
        self.items.notify(brand)
        self.weeks.notify(brand)

    def _drain(self, brand: str) -> None:
        with self._lock:
            brand_id, items = self._queued.pop(brand, (0, []))
        if items:
            raise_item_alerts(self.engine, brand_id, items)

    def flush(self) -> None:
        """Everything queued, now, in this thread: per-item rules first, then the weeks."""
        self.items.flush()
        self.weeks.flush()

    def close(self, flush: bool = True) -> None:
        """Stop the threads (at shutdown); ``flush`` checks the queued items first. The
        week's evaluation is left to the next start: it can take seconds on a large store."""
        self.items.close(flush)
        self.weeks.close(flush=False)
