"""An ordered, bounded parallel map over worker processes, or in-process when small.

Results come back in input order with a bounded number of tasks in flight, so a
producer reading a huge file never runs far ahead of the consumer writing it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def ordered_map(
    fn: Callable[[T], R], items: Iterable[T], workers: int, ahead: int | None = None
) -> Iterator[tuple[T, R]]:
    """Yield (item, fn(item)); ``fn`` must be picklable (a module-level function or partial).

    ``ahead`` tasks (default two per worker) may be in flight: enough that workers keep
    busy while the consumer spends a while on one result, few enough to bound memory.
    """
    if workers <= 0:
        for item in items:
            yield item, fn(item)
        return
    # spawn, not fork: safe with threads and open database connections in this process.
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        window: deque[tuple[T, Future[R]]] = deque()
        try:
            for item in items:
                window.append((item, pool.submit(fn, item)))
                if len(window) >= (ahead or 2 * workers):
                    done, future = window.popleft()
                    yield done, future.result()
            while window:
                done, future = window.popleft()
                yield done, future.result()
        finally:
            for _, future in window:
                future.cancel()
