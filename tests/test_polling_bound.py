"""The fewest-polls bound of benchmarks/polling_bound.py, on plain numbers."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.simweb import SiteSpec

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """benchmarks/polling_bound.py, imported as the script runs (its folder on sys.path)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return importlib.import_module("polling_bound")
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_the_busiest_site_hours_are_polled_until_they_hold_the_share(bench: ModuleType) -> None:
    rates = [0.5, 3.0, 1.0, 0.5, 1.0]  # 6 expected articles

    assert bench.fewest_polls(rates, within_minutes=5, share=0.5) == 12  # the 3.0 hour alone
    assert bench.fewest_polls(rates, within_minutes=5, share=0.9) == 48  # 3 + 1 + 1 + 0.5
    assert bench.fewest_polls(rates, within_minutes=5, share=1.0) == 60
    assert bench.fewest_polls(rates, within_minutes=2, share=0.5) == 30
    # 4 burst articles seen for free: 0.5 × 10 - 4 = 1 more to see, the 3.0 hour holds it
    assert bench.fewest_polls(rates, within_minutes=5, share=0.5, free=4) == 12
    assert bench.fewest_polls(rates, within_minutes=5, share=0.9, free=4) == 36  # 3 + 1 + 1


def test_a_site_publishes_at_its_night_share_at_night_and_its_peak_in_the_afternoon(
    bench: ModuleType,
) -> None:
    east = SiteSpec(host="east.test", rate_per_hour=2.0, utc_offset_hours=3)

    rates = bench.hourly_rates([east], days=1)

    assert len(rates) == 24
    assert rates[0] == pytest.approx(0.3)  # 03:30 local: 15 % of the peak
    assert rates[12] == pytest.approx(2.0 * (0.15 + 0.85 * 0.9961947), rel=1e-6)  # 15:30 local
