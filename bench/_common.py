"""Shared bench helpers: generated input files and whole-process-tree memory sampling."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

from socialcem.demo.generator import generate_brand, iter_feedback, write_csv

OUT = Path(__file__).with_name("out")


def demo_csv(n: int, seed: int = 11) -> Path:
    """A generated CSV of ``n`` demo items, written once and reused by later runs."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"demo-{seed}-{n}.csv"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        write_csv(tmp, iter_feedback(generate_brand(seed), n, seed=seed))
        tmp.rename(path)
    return path


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    total = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += next((int(x.split()[1]) for x in status.splitlines() if x.startswith("VmRSS")), 0)
        todo += [int(c) for c in children]
    return total


def run_measured(cmd: list[str]) -> tuple[float, float, str]:
    """Run ``cmd``; returns (seconds, peak MiB of its whole process tree, stdout)."""
    peak = 0
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed with exit code {proc.returncode}")
    return elapsed, peak / 1024, out
