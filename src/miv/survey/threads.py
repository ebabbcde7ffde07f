"""One BLAS thread inside the engine's public functions.

Why: the engine's matrix products are small and many; with numpy's default of one BLAS
thread per core they were 4-20x slower on a shared machine (0.9-5 s instead of 0.2 s for the
monitor-sized workload), since threads wait for busy cores. Callers keep their own setting
outside the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from threadpoolctl import ThreadpoolController

P = ParamSpec("P")
T = TypeVar("T")
_controller: list[ThreadpoolController] = []


def single_threaded(func: Callable[P, T]) -> Callable[P, T]:
    """Run `func` with BLAS limited to one thread (restored afterwards, also on errors)."""

    @wraps(func)
    def pinned(*args: P.args, **kwargs: P.kwargs) -> T:
        if not _controller:  # made at the first call, when numpy's and scipy's BLAS are loaded
            _controller.append(ThreadpoolController())
        with _controller[0].limit(limits=1, user_api="blas"):
            return func(*args, **kwargs)

    pinned.single_threaded = True  # type: ignore[attr-defined]
    return pinned
