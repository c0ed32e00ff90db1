"""Re-scoring stored items with a model: the items that have no analysis by it yet.

Items are read in id order in pages (keyset pagination), so the work can be stopped and
resumed at any time and memory stays flat.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from sqlalchemy import Engine, and_, exists, func, select

from socialcem.analysis.base import DEFAULT_MODEL, loaded_classifier, model_version
from socialcem.models import Analysis
from socialcem.parallel import ordered_map
from socialcem.store.locations import brand_id
from socialcem.store.rollups import add_votes
from socialcem.store.schema import analyses, feedback
from socialcem.store.topics import add_topic_counts
from socialcem.store.writer import write_analyses

Page = list[tuple[int, str]]


def _score(model: str, page: Page) -> list[Analysis]:
    return loaded_classifier(model).analyse([text for _, text in page])


def _missing(model_name: str, brand: int):  # type: ignore[no-untyped-def]
    return and_(
        feedback.c.brand_id == brand,
        ~exists().where(analyses.c.feedback_id == feedback.c.id, analyses.c.model == model_name),
    )


def count_unscored(engine: Engine, model: str | None = None, brand: str = "default") -> int:
    with engine.connect() as conn:
        brand_key = brand_id(conn, brand, create=False)
        if brand_key is None:
            return 0
        stmt = (
            select(func.count())
            .select_from(feedback)
            .where(_missing(model_version(model), brand_key))
        )
        return int(conn.execute(stmt).scalar_one())


def _pages(engine: Engine, model_name: str, brand: int, size: int) -> Iterator[Page]:
    last = 0
    while True:
        with engine.connect() as conn:
            page: Page = [
                (i, t)
                for i, t in conn.execute(
                    select(feedback.c.id, feedback.c.text)
                    .where(_missing(model_name, brand), feedback.c.id > last)
                    .order_by(feedback.c.id)
                    .limit(size)
                )
            ]
        if not page:
            return
        last = page[-1][0]
        yield page


def rescore(
    engine: Engine,
    model: str | None = None,
    brand: str = "default",
    workers: int = 0,
    page_size: int = 2_000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Score every item of ``brand`` that lacks an analysis by ``model``; returns the count."""
    name = model or DEFAULT_MODEL
    model_name = model_version(name)
    with engine.connect() as conn:
        brand_key = brand_id(conn, brand, create=False)
    if brand_key is None:
        return 0
    done = 0
    for page, results in ordered_map(
        partial(_score, name), _pages(engine, model_name, brand_key, page_size), workers
    ):
        with engine.begin() as conn:
            write_analyses(conn, [(fid, a) for (fid, _), a in zip(page, results, strict=True)])
            in_page = and_(
                feedback.c.brand_id == brand_key, feedback.c.id.between(page[0][0], page[-1][0])
            )
            add_votes(conn, in_page, model_name)
            # Additive counts: only this page's items, not older analyses in the id range.
            add_topic_counts(conn, feedback.c.id.in_([fid for fid, _ in page]), model_name)
        done += len(page)
        if progress:
            progress(len(page))
    return done
