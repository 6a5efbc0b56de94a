"""The benchmarks' statistics: percentiles and summaries people read the table by."""

from __future__ import annotations

import pytest

from bench.stats import Summary, percentile, ratio


def test_percentile_interpolates_between_closest_ranks() -> None:
    values = [4.0, 1.0, 3.0, 2.0]  # unsorted on purpose
    assert percentile(values, 0.5) == 2.5
    assert percentile(values, 0.0) == 1.0
    assert percentile(values, 1.0) == 4.0
    assert percentile(values, 0.25) == pytest.approx(1.75)


def test_percentile_of_one_value_is_that_value() -> None:
    assert percentile([7.0], 0.99) == 7.0


def test_percentile_refuses_nothing_and_bad_quantiles() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 0.5)
    with pytest.raises(ValueError, match=r"within 0\.\.1"):
        percentile([1.0], 95)


def test_summary_of_a_hundred_samples() -> None:
    samples = [float(n) for n in range(1, 101)]
    summary = Summary.of(samples)
    assert summary.n == 100
    assert summary.median == 50.5
    assert summary.min == 1.0 and summary.max == 100.0
    assert summary.p95 == pytest.approx(95.05)
    assert summary.p99 == pytest.approx(99.01)
    assert summary.iqr == pytest.approx(summary.p75 - summary.p25) == pytest.approx(49.5)
    assert summary.as_json()["iqr"] == pytest.approx(49.5)


def test_a_tail_moves_p99_not_the_median() -> None:
    steady = Summary.of([1.0] * 99 + [500.0])
    assert steady.median == 1.0
    assert steady.max == 500.0
    assert steady.p99 > 5.0


def test_ratio_without_a_peer_figure_is_none() -> None:
    assert ratio(300.0, 100.0) == 3.0
    assert ratio(300.0, 0.0) is None
