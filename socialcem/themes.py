"""Candidate new themes: recent stored items that no taxonomy topic covers, clustered.

An analyst reads the labels and examples, then adds the themes worth tracking to the
taxonomy; nothing here changes the taxonomy by itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from socialcem.analysis.aspects import Taxonomy, discover_themes, load_taxonomy
from socialcem.store.locations import brand_id
from socialcem.store.schema import feedback


@dataclass(frozen=True, slots=True)
class CandidateTheme:
    label: str
    size: int
    cohesion: float
    examples: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "size": self.size,
            "cohesion": round(self.cohesion, 3),
            "examples": list(self.examples),
        }


def candidate_themes(
    engine: Engine,
    brand: str = "default",
    limit: int = 20_000,
    taxonomy: Taxonomy | None = None,
    examples: int = 3,
) -> tuple[int, list[CandidateTheme]]:
    """(items read, themes among those no topic matched), from the ``limit`` latest items."""
    taxonomy = taxonomy or load_taxonomy()
    with engine.connect() as conn:
        key = brand_id(conn, brand, create=False)
        if key is None:
            return 0, []
        texts = list(
            conn.execute(
                select(feedback.c.text)
                .where(feedback.c.brand_id == key)
                .order_by(feedback.c.created_at.desc(), feedback.c.id.desc())
                .limit(limit)
            ).scalars()
        )
    themes = discover_themes(texts, taxonomy=taxonomy)
    return len(texts), [
        CandidateTheme(t.label, t.size, t.cohesion, tuple(texts[i] for i in t.examples[:examples]))
        for t in themes
    ]
