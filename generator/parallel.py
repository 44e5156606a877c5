"""Independent work shared out between forked processes, once there is enough of it to pay.

Validation (check/) and page rendering (render/) both use it. The work and its items are set
just before forking, so the children inherit them: only share numbers go to the workers and
only the results of each share come back (pickled). `Background` runs one piece of work in a
forked process while this one goes on (publish/ renders the counter sheets beside mkdocs).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_WORKERS = 4  # beyond four, the province's sizes gain nothing from more processes (make bench)
_SHARED: tuple[Callable[[Sequence[Any]], Any], Sequence[Any]] | None = None


def worker_count(items: int, min_items: int) -> int:
    """How many processes share `items` pieces of work: one below `min_items`."""
    return min(os.cpu_count() or 1, MAX_WORKERS) if items >= min_items else 1


def share_out(work: Callable[[Sequence[T]], R], items: Sequence[T], workers: int) -> list[R]:
    """`work` over every `workers`-th item, one share per process; the results of the shares.

    With one worker, `work` runs here on all the items.
    """
    global _SHARED
    if workers <= 1:
        return [work(items)]
    _SHARED = (work, items)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_run_share, [(index, workers) for index in range(workers)])
    finally:
        _SHARED = None


def _run_share(share: tuple[int, int]) -> Any:
    assert _SHARED is not None, "workers are forked from share_out"
    work, items = _SHARED
    index, count = share
    return work(items[index::count])


_BACKGROUND: tuple[Callable[[], Any], int] | None = None


class Background(Generic[R]):
    """`work` running in a forked process from here on; `result()` waits for it.

    The process inherits `work` (nothing is pickled but the result); an exception raised
    there is raised again by `result()`. Leaving the `with` block stops the work if it is still
    running (the caller failed elsewhere). With `nice` above 0 it yields the processors to this
    process and its workers, and runs when they would idle.
    """

    def __init__(self, work: Callable[[], R], nice: int = 0) -> None:
        global _BACKGROUND
        _BACKGROUND = (work, nice)
        try:
            self._pool = multiprocessing.get_context("fork").Pool(1)
            self._pending = self._pool.apply_async(_run_background)
        finally:
            _BACKGROUND = None

    def result(self) -> R:
        value: R = self._pending.get()
        return value

    def __enter__(self) -> Background[R]:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is None and self._pending.ready():
            self._pool.close()
        else:
            self._pool.terminate()
        self._pool.join()


def _run_background() -> Any:
    assert _BACKGROUND is not None, "the process is forked by Background"
    work, nice = _BACKGROUND
    if nice:
        os.nice(nice)
    return work()
