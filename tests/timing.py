"""Time checks that do not depend on how busy the machine is.

A cost is only ever compared with another cost measured in the same run — a busy machine
slows both alike —, never with a fixed number of seconds. Each cost is the best of a few
timings, each of enough calls to last a while, so that a pause of the machine during one
timing does not count.
"""

from __future__ import annotations

import time
from collections.abc import Callable

LASTING = 0.02  # seconds: a timing of fewer calls is ruled by the clock and the scheduler


def _seconds_per_call(call: Callable[[], object]) -> float:
    calls, started = 0, time.perf_counter()
    while True:
        call()
        calls += 1
        elapsed = time.perf_counter() - started
        if elapsed >= LASTING:
            return elapsed / calls


def best_time(call: Callable[[], object], repeat: int = 3) -> float:
    """Seconds per ``call()``: the best of ``repeat`` timings of at least LASTING each."""
    return min(_seconds_per_call(call) for _ in range(repeat))


def growth(run: Callable[[str], object], small: str, large: str, repeat: int = 5) -> float:
    """The cost per character of ``run(large)`` over that of ``run(small)``: about 1 when
    ``run`` takes time linear in the length, ``len(large) / len(small)`` when quadratic.
    The two are timed in turn, so that a busy spell slows both."""
    small_cost = large_cost = float("inf")
    for _ in range(repeat):
        small_cost = min(small_cost, _seconds_per_call(lambda: run(small)) / len(small))
        large_cost = min(large_cost, _seconds_per_call(lambda: run(large)) / len(large))
    return large_cost / small_cost
