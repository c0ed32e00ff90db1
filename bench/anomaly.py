"""Weekly anomaly detection on generated series: catch rate, false alerts, run time.

python bench/anomaly.py [--series 2000] [--weeks 20] [--seed 100]

Generates `--series` series of `--weeks` weeks with planted week-long spikes
(socialcem.insights.simulate), tests every week that has 3 weeks of history, and prints:
- the rates the test requires: planted spikes caught in the populations
  tests/insights/test_anomaly.py names (volume x2.5+ at >= 10 items/day, x3+ at >= 3;
  negativity +20 points+ at >= 150 mentions a week, +30+ at >= 60), and false alerts per 100
  series-weeks where nothing was planted;
- detection by spike size x baseline level, and false alerts by baseline level;
- the time to test the current week of 2,000 series x 120 days.
Thresholds were chosen on seeds 1-5; the default seed and the test's seeds were not used.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import numpy.typing as npt

from socialcem.insights.anomaly import negativity_anomalies, volume_anomalies
from socialcem.insights.simulate import Simulated, flagged, simulate

PER_DAY = (0.0, 1.0, 3.0, 10.0, 30.0, 100.0)
MENTIONS = (0.0, 30.0, 60.0, 150.0, 300.0, 1000.0)


def _bins(edges: tuple[float, ...]) -> list[str]:
    ends = [f"{e:g}" for e in edges[1:]] + ["inf"]
    return [f"{a:g}-{b}" for a, b in zip(edges, ends, strict=True)]


def _table(
    title: str,
    caught: npt.NDArray[np.bool_],
    size: npt.NDArray[np.float64],
    sizes: tuple[float, ...],
    level: npt.NDArray[np.float64],
    edges: tuple[float, ...],
    label: str,
) -> None:
    print(f"\n{title}: caught / planted by {label} (columns)")
    print(f"  {'size':>6} " + "".join(f"{b:>14}" for b in _bins(edges)))
    column = np.searchsorted(np.array(edges), level, side="right") - 1
    for s in sizes:
        cells = []
        for c in range(len(edges)):
            mask = (size == s) & (column == c)
            n = int(mask.sum())
            cells.append(f"{int(caught[mask].sum()):>5}/{n:<4} {100 * caught[mask].mean():3.0f}%"
                         if n else f"{'-':>14}")  # fmt: skip
        print(f"  {s:>6g} " + "".join(f"{c:>14}" for c in cells))


def _report(sim: Simulated, weeks: int) -> None:
    tested = np.zeros(sim.volume_multiplier.shape, dtype=bool)
    tested[:, 3 + (sim.first_day + 3) % 7 // 7 :] = True
    vol = flagged(volume_anomalies(sim.counts, sim.first_day, weeks=weeks), sim, "volume")
    neg_findings = negativity_anomalies(sim.negative, sim.counts, sim.first_day, weeks=weeks)
    neg = flagged(neg_findings, sim, "negativity")
    per_day = sim.expected_volume / sim.days_in_week
    planted_v = tested & (sim.volume_multiplier > 1)
    planted_n = tested & (sim.negativity_rise > 0)
    quiet_v = tested & ~(sim.volume_multiplier > 1)
    quiet_n = tested & ~(sim.negativity_rise > 0)
    size, rise, mentions = sim.volume_multiplier, sim.negativity_rise, sim.expected_volume
    populations = (
        ("volume x2.5+ at >= 10 items/day", vol, planted_v & (size >= 2.5) & (per_day >= 10)),
        ("volume x3+ at >= 3 items/day", vol, planted_v & (size >= 3) & (per_day >= 3)),
        ("volume x2.5 at >= 10 items/day", vol, planted_v & (size == 2.5) & (per_day >= 10)),
        ("negativity +20+ at >= 150 mentions", neg, planted_n & (rise >= 0.2) & (mentions >= 150)),
        ("negativity +30+ at >= 60 mentions", neg, planted_n & (rise >= 0.3) & (mentions >= 60)),
        ("negativity +20 at >= 150 mentions", neg, planted_n & (rise == 0.2) & (mentions >= 150)),
    )
    print(f"{sim.counts.shape[0]} series x {sim.counts.shape[1]} days, "
          f"{int(tested.sum())} series-weeks tested")  # fmt: skip
    for name, hits, target in populations:
        print(f"  {name:<36} caught {int(hits[target].sum()):>5}/{int(target.sum()):<5} "
              f"({100 * hits[target].mean():.1f}%)")  # fmt: skip
    for name, hits, quiet in (("volume", vol, quiet_v), ("negativity", neg, quiet_n)):
        print(f"  {name:<11} false alerts {int(hits[quiet].sum())}/{int(quiet.sum())} "
              f"= {100 * hits[quiet].mean():.3f} per 100 series-weeks")  # fmt: skip
    _table("volume", vol[planted_v], sim.volume_multiplier[planted_v],
           tuple(sorted(set(sim.volume_multiplier[planted_v].tolist()))), per_day[planted_v],
           PER_DAY, "expected items/day")  # fmt: skip
    _table("negativity", neg[planted_n], sim.negativity_rise[planted_n],
           tuple(sorted(set(sim.negativity_rise[planted_n].tolist()))),
           sim.expected_volume[planted_n], MENTIONS, "expected mentions/week")  # fmt: skip
    print("\nfalse alerts per 100 unplanted series-weeks by expected items/day")
    column = np.searchsorted(np.array(PER_DAY), per_day, side="right") - 1
    for metric, hits, quiet in (("volume", vol, quiet_v), ("negativity", neg, quiet_n)):
        cells = [f"{100 * hits[quiet & (column == c)].mean():.2f}" for c in range(len(PER_DAY))]
        print(f"  {metric:<11}" + "".join(f"{b:>10}" for b in _bins(PER_DAY)))
        print(f"  {'':<11}" + "".join(f"{c:>10}" for c in cells))


def _timing(seed: int) -> None:
    sim = simulate(2000, 120, seed, first_day=19_725)
    runs = {"volume": [], "negativity": []}  # type: dict[str, list[float]]
    for _ in range(7):
        start = time.perf_counter()
        volume_anomalies(sim.counts, sim.first_day)
        middle = time.perf_counter()
        negativity_anomalies(sim.negative, sim.counts, sim.first_day)
        runs["volume"].append(middle - start)
        runs["negativity"].append(time.perf_counter() - middle)
    print("\n2,000 series x 120 days (current week, partial): "
          + ", ".join(f"{k} {1000 * np.median(v):.1f} ms" for k, v in runs.items())
          + " (median of 7)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--series", type=int, default=2000)
    parser.add_argument("--weeks", type=int, default=20)
    parser.add_argument("--seed", type=int, default=100)
    args = parser.parse_args()
    sim = simulate(args.series, 7 * args.weeks, args.seed)
    _report(sim, args.weeks)
    _timing(args.seed)


if __name__ == "__main__":
    main()
