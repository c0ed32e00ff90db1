"""`socialcem model train | calibrate | info`: the models behind Social NPS."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from socialcem.analysis.base import DEFAULT_MODEL, UnknownModelError, model_version
from socialcem.analysis.calibration import CalibrationError
from socialcem.cli.app import app, fail, state
from socialcem.cli.render import console, errors, print_json

model_app = typer.Typer(
    help="Train, calibrate and inspect models: `socialcem model calibrate --brand acme`.",
    no_args_is_help=True,
)
app.add_typer(model_app, name="model")


@model_app.command("train")
def train(
    data: Annotated[
        Path, typer.Option(help="Directory of the labelled corpora (tweets/, rated/).")
    ] = Path("../shared/data"),
    out: Annotated[
        Path | None,
        typer.Option(help="Where to write the model (default: the packaged model directory)."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
) -> None:
    """Retrain the default linear model from the labelled corpora and print its metrics.

    Needs the `train` extra (scikit-learn). Deterministic: the same data gives the same
    weights. Example: `socialcem model train --data ../shared/data --out /tmp/linear`
    """
    try:
        from socialcem.analysis.linear import packaged_model_dir
        from socialcem.analysis.training.data import DataError
        from socialcem.analysis.training.linear import train_linear
    except ImportError as exc:  # pragma: no cover - depends on the install
        fail(f"training needs the train extra: pip install 'socialcem[train]' ({exc})")
    target = out or packaged_model_dir()
    try:
        with console.status("training") as status:
            metrics = train_linear(data, target, step=lambda s: status.update(f"training: {s}"))
    except DataError as exc:
        fail(str(exc))
    if json_out:
        print_json(metrics)
        return
    val = metrics["tweets_en_val"]
    console.print(f"model written to {target}")
    console.print(f"tweets en_val: macro-recall {val['macro_recall']:.3f}")
    for row in metrics["leave_one_domain_out"]:
        console.print(
            f"  {row['domain']:<20} macro-recall {row['macro_recall']:.3f} · NPS true "
            f"{row['true_nps']:+.1f}, adjusted {row['adjusted_nps']:+.1f}"
        )


@model_app.command("calibrate")
def calibrate(
    brand: Annotated[str, typer.Option(help="Brand (tenant) to calibrate for.")] = "default",
    model: Annotated[str, typer.Option(help="Model to calibrate.")] = DEFAULT_MODEL,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Calibrate Social NPS on the brand's surveys that carry a comment and a score.

    Learns how the model reads this brand's customers, reports the cross-validated NPS
    error, and makes Social NPS for the brand use the calibration from then on.
    Example: `socialcem model calibrate --brand acme --json`
    """
    from socialcem.calibrate import calibrate_brand

    try:
        result = calibrate_brand(state.engine(), brand, model)
    except (CalibrationError, UnknownModelError) as exc:
        fail(str(exc))
    if json_out:
        print_json(result.as_dict())
        return
    cv = result.cv
    console.print(f"calibrated {result.model} for brand {brand!r} on {cv.items:,} rated items")
    uncalibrated = (
        "" if cv.uncalibrated_mae is None else f" · uncalibrated {cv.uncalibrated_mae:.1f}"
    )
    console.print(
        f"{cv.folds}-fold cross-validated NPS error (mean absolute, points): "
        f"calibrated {cv.calibrated_mae:.1f}{uncalibrated} · "
        f"classify-and-count {cv.counted_mae:.1f}"
    )
    errors.print(
        f"[dim]each fold holds about {cv.items // cv.folds} items, so these errors include "
        "the sampling noise of the fold's own NPS.[/dim]"
    )


@model_app.command("info")
def info(
    model: Annotated[str, typer.Option(help="Model to describe.")] = DEFAULT_MODEL,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """The model's version, languages and the figures measured when it was trained.

    Example: `socialcem model info --json`
    """
    from socialcem.analysis.base import loaded_classifier

    try:
        classifier = loaded_classifier(model)
    except UnknownModelError as exc:
        fail(str(exc))
    inner = getattr(classifier, "model", None)
    meta = dict(getattr(inner, "meta", {}))
    meta.pop("heads", None)
    data = {"model": model, "version": model_version(model), **meta}
    if json_out:
        print_json(data)
        return
    console.print(f"{model}: {data['version']}")
    for key in ("languages", "holdout_domain", "training"):
        if key in data:
            console.print(f"  {key}: {data[key]}")
