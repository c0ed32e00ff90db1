"""Empirical-Bayes shrinkage of location and segment scores toward their parent.

A raw NPS from 8 responses is so noisy that it tops or tails a raw ranking by chance; pulling
each child toward its parent as far as its own data is weak makes rankings follow evidence.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from socialcem.nps import EMPTY, Z95, Score, csat, nps

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Posterior:
    """Shrunk estimate; `weight` is B = tau2 / (tau2 + v), the share the child's data gets."""

    mean: float
    variance: float
    weight: float
    prior: float


def shrink(
    values: Sequence[float],
    variances: Sequence[float],
    prior_mean: float | None = None,
    prior_variance: float = 0.0,
) -> list[Posterior]:
    """Shrink estimates with known sampling variances toward a common mean.

    tau2 is the DerSimonian-Laird moment estimate truncated at 0 (with a given `prior_mean`, its
    known-mean form (Q - k) / W); when the estimates agree within noise tau2 = 0 and all shrink
    fully to the mean. The posterior variance B v adds (1 - B)^2 Var(mu): that of the
    precision-weighted mean, or `prior_variance` (the parent's own sampling error) when given.
    """
    finite = all(math.isfinite(x) for x in values) and all(0 < v < math.inf for v in variances)
    if not finite or len(values) != len(variances):
        raise ValueError("need one finite value per finite, positive variance")
    if not values:
        return []
    w = [1 / v for v in variances]
    sum_w, wx = math.fsum(w), list(zip(w, values, strict=True))
    if prior_mean is None:  # k - 1 and this denominator account for estimating the centre
        centre = math.fsum(wi * x for wi, x in wx) / sum_w
        denominator, df = math.fsum(wi * (sum_w - wi) for wi in w) / sum_w, len(w) - 1
    else:
        centre, denominator, df = prior_mean, sum_w, len(w)
    q = math.fsum(wi * (x - centre) ** 2 for wi, x in wx)
    tau2 = max(0.0, (q - df) / denominator) if df > 0 and denominator > 0 else 0.0
    mu, mu_var = prior_mean, prior_variance
    if mu is None:
        w_star = [1 / (v + tau2) for v in variances]
        mu_var = 1 / math.fsum(w_star)
        mu = math.fsum(ws * x for ws, x in zip(w_star, values, strict=True)) * mu_var
    bs = [tau2 / (tau2 + v) for v in variances]
    return [
        Posterior(mu + b * (x - mu), b * v + (1 - b) ** 2 * mu_var, b, mu)
        for b, x, v in zip(bs, values, variances, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class Shrunk:
    """Raw and shrunk score side by side with the prior (parent) they were pulled toward.

    `lean` = (x - mu) / v, the order of shrunk values as tau2 -> 0, breaks the ties of tau2 = 0.
    """

    raw: Score
    shrunk: Score
    weight: float
    prior: float | None
    lean: float = 0.0

    @property
    def distinct(self) -> bool:
        """Whether the child is distinguishable: its shrunk interval excludes the prior."""
        low, high, p = self.shrunk.low, self.shrunk.high, self.prior
        return low is not None and high is not None and p is not None and not low <= p <= high

    def as_dict(self) -> dict[str, object]:
        return {
            **{"raw": self.raw.as_dict(), "shrunk": self.shrunk.as_dict()},
            **{"weight": self.weight, "prior": self.prior, "distinct": self.distinct},
        }


def _shrink_scores(
    children: Mapping[K, tuple[float, ...]],
    parent: tuple[float, ...] | None,
    measure: Callable[[tuple[float, ...]], tuple[Score, float, float]],
    bounds: tuple[float, float],
) -> dict[K, Shrunk]:
    """Shrink every child with data; counts too small for a finite variance count as none."""
    for counts in [*children.values(), *([] if parent is None else [parent])]:
        if any(not math.isfinite(c) or c < 0 for c in counts):
            raise ValueError(f"counts must be finite and non-negative: {counts}")
    every = {key: measure(c) for key, c in children.items()}
    stats = {key: m for key, m in every.items() if math.isfinite(m[2])}
    prior = (EMPTY, 0.0, math.inf) if parent is None else measure(parent)
    known = math.isfinite(prior[2])
    xs, vs = [m[1] for m in stats.values()], [m[2] for m in stats.values()]
    posts = shrink(xs, vs, *prior[1:]) if known else shrink(xs, vs)
    mu = round(prior[1] if known else posts[0].prior, 2) if known or posts else None
    out = {key: Shrunk(m[0], EMPTY, 0.0, mu) for key, m in every.items()}
    for (key, (raw, x, v)), post in zip(stats.items(), posts, strict=True):
        half = Z95 * math.sqrt(post.variance)
        low, high = max(bounds[0], post.mean - half), min(bounds[1], post.mean + half)
        shrunk = Score(round(post.mean, 2), round(low, 2), round(high, 2), raw.n)
        out[key] = Shrunk(raw, shrunk, post.weight, mu, (x - post.prior) / v)
    return out


def _nps(c: tuple[float, ...]) -> tuple[Score, float, float]:
    """NPS and its variance in points, with the pseudo-counts of `socialcem.nps.nps`."""
    pro, pas, det = c
    n = pro + pas + det
    q_pro, q_det = (pro + 1) / (n + 3), (det + 1) / (n + 3)
    variance = 1e4 * (q_pro + q_det - (q_pro - q_det) ** 2) / n if n > 0 else math.inf
    return nps(pro, pas, det), 100 * (pro - det) / max(n, 1e-300), variance


def _share(c: tuple[float, ...]) -> tuple[Score, float, float]:
    """Share in percent; variance with one pseudo-success and one pseudo-failure."""
    hits, n = c
    if hits > n:
        raise ValueError(f"more satisfied ({hits}) than responses ({n})")
    q = (hits + 1) / (n + 2)
    variance = 1e4 * q * (1 - q) / n if n > 0 else math.inf
    return csat(int(hits), int(n)), 100 * hits / max(n, 1), variance


def shrink_nps(
    children: Mapping[K, tuple[float, float, float]],
    parent: tuple[float, float, float] | None = None,
) -> dict[K, Shrunk]:
    """Shrink (promoters, passives, detractors) per child toward `parent` (else their mean).

    A child with no responses has no data: its shrunk score is EMPTY, `rank_shrunk` skips it.
    """
    return _shrink_scores(children, parent, _nps, (-100.0, 100.0))


def shrink_csat(
    children: Mapping[K, tuple[int, int]], parent: tuple[int, int] | None = None
) -> dict[K, Shrunk]:
    """Shrink (satisfied, total) per child, in percent; same rules as `shrink_nps`."""
    return _shrink_scores(children, parent, _share, (0.0, 100.0))


def rank_shrunk(shrunk: Mapping[K, Shrunk]) -> list[K]:
    """Children with data, best shrunk value first (ties by `lean`, then by n)."""
    scored = [(key, s) for key, s in shrunk.items() if s.shrunk.value is not None]
    scored.sort(key=lambda item: (-(item[1].shrunk.value or 0.0), -item[1].lean, -item[1].raw.n))
    return [key for key, _ in scored]
