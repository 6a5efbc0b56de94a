"""Summaries of timing samples: median and spread, the percentiles users feel."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0..1) by linear interpolation between the closest ranks."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 1:
        raise ValueError(f"quantile must be within 0..1, not {q}")
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True, slots=True)
class Summary:
    """``n`` samples: median, interquartile range (the spread), tail percentiles, extremes."""

    n: int
    median: float
    p25: float
    p75: float
    p95: float
    p99: float
    min: float
    max: float

    @classmethod
    def of(cls, samples: Sequence[float]) -> Summary:
        return cls(
            n=len(samples),
            median=statistics.median(samples),
            p25=percentile(samples, 0.25),
            p75=percentile(samples, 0.75),
            p95=percentile(samples, 0.95),
            p99=percentile(samples, 0.99),
            min=min(samples),
            max=max(samples),
        )

    @property
    def iqr(self) -> float:
        return self.p75 - self.p25

    def as_json(self) -> dict[str, Any]:
        return asdict(self) | {"iqr": self.iqr}


def ratio(ours: float, peer: float) -> float | None:
    """ours / peer, or None when the peer measured nothing."""
    return ours / peer if peer else None
