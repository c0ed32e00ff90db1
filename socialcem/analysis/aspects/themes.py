"""Candidate new themes: clusters of the texts no topic matched, with readable labels.

What customers raise that the taxonomy does not cover yet (parking, a loyalty card,
opening hours) shows up as a group of texts sharing words. Texts become TF-IDF vectors,
spherical k-means groups them into more clusters than there are likely themes, clusters
whose centroids point the same way are merged back (a silhouette rewards splitting a big
theme into near-copies, so it is not used to pick k) and each cluster is named by its
most distinctive terms: frequent in the cluster, rarer outside it. Clusters too
small to act on, or too loose to name, are dropped; texts far from every centroid
belong to no theme. The result is a suggestion for a person to review, not a topic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from socialcem.analysis.aspects.kmeans import lloyd, merge_close, spherical_kmeans
from socialcem.analysis.aspects.taxonomy import Taxonomy
from socialcem.analysis.aspects.vectorise import Ints, TermMatrix, tfidf

LABEL_TERMS = 2
SHOWN_TERMS = 6
EXAMPLES = 3
OUTLIER_SHARE = 0.5  # members fit their centroid at least this share of the median fit
MIN_SHARE = 0.2  # a label term is in at least this share of the cluster's texts


@dataclass(frozen=True, slots=True)
class Theme:
    label: str
    """The top distinctive terms joined by " / ", e.g. "parking / car park"."""
    terms: tuple[str, ...]
    members: tuple[int, ...]
    """Indices into the texts given to ``discover_themes``."""
    size: int
    cohesion: float
    """Mean cosine similarity of the members to their centroid, 0 to 1."""
    examples: tuple[int, ...]
    """The most central members: the texts that read most like the theme."""


def _label_terms(m: TermMatrix, in_cluster: Ints) -> list[str]:
    """Distinctive terms of a cluster, best first, a bigram standing in for its unigram."""
    n, width = m.shape
    inside = np.zeros(n, dtype=bool)
    inside[in_cluster] = True
    mask = inside[m.row_ids()]
    weight_in = np.bincount(m.cols[mask], weights=m.vals[mask], minlength=width)
    weight_out = np.bincount(m.cols[~mask], weights=m.vals[~mask], minlength=width)
    share_in = np.bincount(m.cols[mask], minlength=width) / len(in_cluster)
    score = weight_in / len(in_cluster) - weight_out / max(1, n - len(in_cluster))
    chosen: list[int] = []
    for j in (int(j) for j in np.argsort(-score, kind="stable")):
        if score[j] <= 0 or len(chosen) == SHOWN_TERMS:
            break
        words = m.keys[j].split()
        if share_in[j] < MIN_SHARE or any(set(words) <= set(m.keys[c].split()) for c in chosen):
            continue  # rare in the cluster, or "car" once "car park" is shown
        # A bigram nearly as common as the words it holds replaces them: "loyalty card",
        # not "card / loyalty"; "parking" stays beside "car park".
        parts = [c for c in chosen if m.keys[c] in words and share_in[j] >= 0.8 * share_in[c]]
        if parts:
            chosen[chosen.index(parts[0])] = j
            chosen = [c for c in chosen if c not in parts[1:]]
        elif not any(set(words) & set(m.keys[c].split()) for c in chosen):
            chosen.append(j)  # "card stamps" adds nothing beside "loyalty card"
    return [m.terms[j] for j in chosen]


def discover_themes(
    texts: Sequence[str],
    k: int | None = None,
    *,
    taxonomy: Taxonomy | None = None,
    seed: int = 0,
    min_size: int | None = None,
    max_k: int = 12,
    merge_similarity: float = 0.2,
    min_similarity: float = 0.1,
    min_cohesion: float = 0.25,
) -> list[Theme]:
    """Themes among ``texts``, largest first; member indices refer to ``texts``.

    With a ``taxonomy``, texts that mention any of its topics are left out first (pass it,
    or pass only unmatched texts). k-means makes ``k`` clusters (by default one per
    ``min_size`` texts, at most ``max_k``), clusters whose centroids have a cosine of at
    least ``merge_similarity`` are merged, and a last k-means pass settles the members.
    A theme keeps members with a cosine of at least ``min_similarity`` to its centroid and
    at least half its members' median (outliers go), needs ``min_size`` of them (default:
    3, or 2% of the texts when that is more) and a mean cosine of ``min_cohesion`` (a
    catch-all cluster of loosely related texts is no theme).
    """
    if k is not None and k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    pool = [i for i, t in enumerate(texts) if taxonomy is None or not taxonomy.topics_in(t)]
    floor = min_size if min_size is not None else max(3, len(pool) // 50)
    whole = tfidf([texts[i] for i in pool])
    filled = np.flatnonzero(np.diff(whole.ptr) > 0)
    m = whole.subset(filled)
    n = m.shape[0]
    if n < max(2, floor):
        return []
    k = min(n, k if k is not None else max(1, min(max_k, n // floor)))
    labels, _, _ = spherical_kmeans(m, k, seed)
    labels, centres, sims = lloyd(m, merge_close(m, labels, k, merge_similarity))
    themes = []
    for c in range(len(centres)):
        fit = sims[:, c]
        assigned = labels == c
        if not assigned.any():
            continue
        # An outlier shares a word or two with the theme, far less than its typical member.
        floor_fit = max(min_similarity, OUTLIER_SHARE * float(np.median(fit[assigned])))
        members = np.flatnonzero(assigned & (fit >= floor_fit))
        cohesion = float(fit[members].mean()) if len(members) else 0.0
        if len(members) < floor or cohesion < min_cohesion:
            continue
        terms = _label_terms(m, members)
        if not terms:
            continue
        central = members[np.argsort(-fit[members], kind="stable")[:EXAMPLES]]
        themes.append(
            Theme(
                label=" / ".join(terms[:LABEL_TERMS]),
                terms=tuple(terms),
                members=tuple(int(pool[filled[i]]) for i in members),
                size=len(members),
                cohesion=cohesion,
                examples=tuple(int(pool[filled[i]]) for i in central),
            )
        )
    return sorted(themes, key=lambda t: (-t.size, t.label))
