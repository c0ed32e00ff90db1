"""Reading labelled text for evaluation through the same readers as ingest."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from socialcem.analysis.evaluate import LabelError, label_from_rating
from socialcem.ingest.readers import reader_for
from socialcem.ingest.validate import lookup
from socialcem.models import Problem


@dataclass(slots=True)
class Labelled:
    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    """Rows without text or with an unreadable label: reported, never silently dropped."""


def read_labelled(
    path: Path,
    text_col: str = "text",
    label_col: str = "label",
    scale: str | None = None,
    scale_col: str | None = None,
    limit: int | None = None,
) -> Labelled:
    """Texts and labels; with ``scale`` or ``scale_col`` the label column holds ratings."""
    out = Labelled()
    name = str(path)
    for entry in reader_for(path)(path):
        if isinstance(entry, Problem):
            out.skipped.append(entry)
            continue
        line, record = entry
        text, label = lookup(record, text_col), lookup(record, label_col)
        if text is None or not str(text).strip():
            out.skipped.append(Problem(name, line, text_col, "missing text"))
            continue
        if label is None:
            out.skipped.append(Problem(name, line, label_col, "missing label"))
            continue
        row_scale = scale or (str(lookup(record, scale_col) or "") if scale_col else None)
        try:
            value = label_from_rating(str(label), row_scale) if row_scale else str(label).strip()
        except LabelError as exc:
            out.skipped.append(Problem(name, line, label_col, str(exc)))
            continue
        out.texts.append(str(text))
        out.labels.append(value.lower())
        if limit is not None and len(out.texts) >= limit:
            break
    return out
