"""Interleaved timing in one process, for the A/B and profiling scripts.

Rows are timed in turn within every round, so a slow stretch of the
machine hits them all alike; the median over rounds is what is compared.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable


def interleaved_medians(
    runs: dict[str, Callable[[], object]], rounds: int, reps: int
) -> dict[str, float]:
    """Median over ``rounds`` of each row's mean microseconds per run (``reps`` runs).

    Garbage is collected before each sample and the collector is off during
    it, so no row pays for another row's garbage.
    """
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            gc.collect()
            gc.disable()
            try:
                start = time.perf_counter()
                for _ in range(reps):
                    run()
                times[name].append((time.perf_counter() - start) / reps * 1e6)
            finally:
                gc.enable()
    return {name: statistics.median(t) for name, t in times.items()}
