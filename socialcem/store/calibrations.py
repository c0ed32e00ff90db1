"""Reading labelled predictions for calibration, and keeping a brand's calibration."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from socialcem.analysis.prevalence import Confusion
from socialcem.store.schema import analyses, calibrations, feedback


def labelled_predictions(conn: Connection, brand: int, model: str) -> tuple[list[str], list[str]]:
    """(true category, predicted category) of the brand's rated items the model scored.

    A rated item carries the customer's own score and, since text is required, a comment:
    exactly the pairs that show how the model reads this brand's customers.
    """
    stmt = (
        select(feedback.c.rating_category, analyses.c.nps_category)
        .join(analyses, analyses.c.feedback_id == feedback.c.id)
        .where(
            feedback.c.brand_id == brand,
            feedback.c.rating_category.is_not(None),
            feedback.c.constituency != "employee",
            analyses.c.model == model,
            analyses.c.scored,
        )
        .order_by(feedback.c.id)
    )
    truth, predicted = [], []
    for true, pred in conn.execute(stmt):
        truth.append(str(true))
        predicted.append(str(pred))
    return truth, predicted


def save_calibration(
    conn: Connection,
    brand: int,
    model: str,
    confusion: Confusion,
    items: int,
    metrics: dict[str, Any],
) -> None:
    conn.execute(
        delete(calibrations).where(calibrations.c.brand_id == brand, calibrations.c.model == model)
    )
    conn.execute(
        insert(calibrations).values(
            brand_id=brand,
            model=model,
            created_at=datetime.now(UTC),
            items=items,
            params={"confusion": confusion.as_dict()},
            metrics=metrics,
        )
    )


def load_calibration(conn: Connection, brand: int, model: str) -> Confusion | None:
    params = conn.execute(
        select(calibrations.c.params).where(
            calibrations.c.brand_id == brand, calibrations.c.model == model
        )
    ).scalar_one_or_none()
    return Confusion.from_dict(params["confusion"]) if params else None
