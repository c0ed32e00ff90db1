"""Calibrating a model for one brand, and choosing the correction Social NPS uses.

Social NPS for a brand uses, in order: the brand's own calibration of the model, the
model's out-of-domain confusion measured in training, or (a model without one, such as
the lexicon) plain classify-and-count.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from socialcem.analysis.base import (
    DEFAULT_MODEL,
    loaded_classifier,
    model_class,
    model_version,
)
from socialcem.analysis.calibration import (
    CalibrationError,
    CrossValidation,
    calibrated_confusion,
    cross_validate,
)
from socialcem.analysis.prevalence import Confusion
from socialcem.store.calibrations import labelled_predictions, load_calibration, save_calibration
from socialcem.store.locations import brand_id


@dataclass(frozen=True, slots=True)
class Calibration:
    brand: str
    model: str
    confusion: Confusion
    cv: CrossValidation

    def as_dict(self) -> dict[str, object]:
        return {
            "brand": self.brand,
            "model": self.model,
            "confusion": self.confusion.as_dict(),
            "cross_validation": self.cv.as_dict(),
        }


def model_confusion(model: str | None) -> Confusion | None:
    """The out-of-domain confusion shipped with a model, if it has one."""
    cheap = getattr(model_class(model or DEFAULT_MODEL), "packaged_confusion", None)
    if cheap is not None:
        found = cheap()
    else:
        found = getattr(loaded_classifier(model or DEFAULT_MODEL), "confusion", None)
    return found if isinstance(found, Confusion) else None


def calibrate_brand(
    engine: Engine, brand: str = "default", model: str | None = None
) -> Calibration:
    """Learn the brand's correction from its rated, commented feedback and store it."""
    name = model_version(model)
    with engine.begin() as conn:
        key = brand_id(conn, brand, create=False)
        if key is None:
            raise CalibrationError(f"no brand named {brand!r}")
        truth, predicted = labelled_predictions(conn, key, name)
        if not truth:
            raise CalibrationError(
                f"brand {brand!r} has no rated items analysed by {name}: ingest surveys with a "
                "0-10 score and a comment, or run "
                f"`socialcem analyse --model {model or DEFAULT_MODEL}`"
            )
        prior = model_confusion(model)
        cv = cross_validate(truth, predicted, prior)
        confusion = calibrated_confusion(truth, predicted, prior)
        save_calibration(conn, key, name, confusion, len(truth), cv.as_dict())
    return Calibration(brand, name, confusion, cv)


def social_confusion(conn: Connection, brand: int, model: str | None) -> Confusion | None:
    return load_calibration(conn, brand, model_version(model)) or model_confusion(model)


def correction_kind(conn: Connection, brand: int, model: str | None) -> str:
    """How Social NPS is corrected for the model's errors: "brand calibration", "model
    default" or "none" (reports and the API say which)."""
    if load_calibration(conn, brand, model_version(model)) is not None:
        return "brand calibration"
    return "model default" if model_confusion(model) is not None else "none"
