"""Seeded, vectorised generators of demo metric series."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from lightmock.notebook import signals
from lightmock.notebook.signals import Seed

Floats = np.ndarray

SEEDED: dict[str, Callable[[Seed], Floats]] = {
    "sine": lambda seed: signals.sine(500, mean=50, amplitude=10, period=60, noise=2, seed=seed),
    "noise": lambda seed: signals.noise(500, mean=5, std=1, seed=seed),
    "spikes": lambda seed: signals.spikes(np.zeros(500), count=5, height=9, seed=seed),
    "with_gaps": lambda seed: signals.with_gaps(np.ones(500), fraction=0.2, seed=seed),
    "cpu_like": lambda seed: signals.cpu_like(500, seed=seed),
}


class TestDeterminism:
    @pytest.mark.parametrize("make", SEEDED.values(), ids=SEEDED.keys())
    def test_same_seed_same_series(self, make: Callable[[Seed], Floats]) -> None:
        """A seed fixes the series, run after run."""
        np.testing.assert_array_equal(make(7), make(7))

    @pytest.mark.parametrize("make", SEEDED.values(), ids=SEEDED.keys())
    def test_other_seed_other_series(self, make: Callable[[Seed], Floats]) -> None:
        """Different seeds give different series."""
        assert not np.array_equal(make(1), make(2), equal_nan=True)

    @pytest.mark.parametrize("make", SEEDED.values(), ids=SEEDED.keys())
    def test_shape_and_dtype(self, make: Callable[[Seed], Floats]) -> None:
        """Every generator returns a 1-D float64 array of the asked length."""
        out = make(0)
        assert out.shape == (500,)
        assert out.dtype == np.float64

    def test_generator_as_seed(self) -> None:
        """A shared Generator draws successive, reproducible parts."""
        a = np.random.default_rng(3)
        b = np.random.default_rng(3)
        first = signals.noise(10, mean=0, std=1, seed=a)
        second = signals.noise(10, mean=0, std=1, seed=a)
        assert not np.array_equal(first, second)
        np.testing.assert_array_equal(first, signals.noise(10, mean=0, std=1, seed=b))


class TestShapes:
    def test_constant(self) -> None:
        """constant repeats one value."""
        assert signals.constant(3, 2.5).tolist() == [2.5, 2.5, 2.5]

    def test_ramp_includes_both_ends(self) -> None:
        """ramp runs from start to stop inclusive."""
        assert signals.ramp(5, 0, 100).tolist() == [0.0, 25.0, 50.0, 75.0, 100.0]

    def test_sine_without_noise(self) -> None:
        """sine stays within mean ± amplitude and repeats every period samples."""
        out = signals.sine(120, mean=50, amplitude=10, period=30)
        assert out.min() >= 40 - 1e-9
        assert out.max() <= 60 + 1e-9
        np.testing.assert_allclose(out[:30], out[30:60], atol=1e-9)

    def test_noise_clipped(self) -> None:
        """noise respects the clip bounds a metric's range imposes."""
        out = signals.noise(10_000, mean=0, std=10, seed=0, clip_min=-5, clip_max=5)
        assert out.min() == -5
        assert out.max() == 5

    def test_noise_statistics(self) -> None:
        """noise is centred on mean with roughly the asked spread."""
        out = signals.noise(20_000, mean=3, std=2, seed=0)
        assert abs(out.mean() - 3) < 0.1
        assert abs(out.std() - 2) < 0.1

    def test_spikes_width_one(self) -> None:
        """count spikes of width 1 raise exactly count samples by height."""
        out = signals.spikes(np.zeros(100), count=4, height=7, seed=0)
        assert sorted(out.tolist()).count(7.0) == 4
        assert set(out.tolist()) == {0.0, 7.0}

    def test_spikes_do_not_stack(self) -> None:
        """Overlapping spikes raise a sample once, and are cut at the end."""
        out = signals.spikes(np.zeros(10), count=10, height=1, width=4, seed=0)
        assert out.tolist() == [1.0] * 10

    def test_spikes_leave_base_alone(self) -> None:
        """spikes works on a copy and keeps gaps as gaps."""
        base = np.array([0.0, np.nan, 0.0])
        out = signals.spikes(base, count=3, height=1, seed=0)
        assert np.isnan(base[1])
        assert base[0] == 0.0
        assert np.isnan(out[1])
        assert out[0] == out[2] == 1.0

    def test_with_gaps_exact_fraction(self) -> None:
        """with_gaps blanks round(fraction * n) samples and leaves the input alone."""
        base = np.ones(1000)
        out = signals.with_gaps(base, fraction=0.25, seed=0)
        assert int(np.isnan(out).sum()) == 250
        assert not np.isnan(base).any()

    @pytest.mark.parametrize("fraction", [0.0, 1.0])
    def test_with_gaps_extremes(self, fraction: float) -> None:
        """No gaps and all gaps are both allowed."""
        out = signals.with_gaps(np.ones(10), fraction=fraction, seed=0)
        assert int(np.isnan(out).sum()) == round(10 * fraction)

    def test_cpu_like_is_a_percentage(self) -> None:
        """cpu_like stays within [0, 100] and is not flat."""
        out = signals.cpu_like(10_000, seed=1)
        assert out.min() >= 0
        assert out.max() <= 100
        assert out.std() > 1

    def test_zero_length(self) -> None:
        """n = 0 gives an empty series everywhere."""
        assert signals.cpu_like(0, seed=0).size == 0
        assert signals.ramp(0, 0, 1).size == 0
        assert signals.with_gaps(np.empty(0), fraction=0.5).size == 0

    def test_composes(self) -> None:
        """Generators chain by arithmetic and by passing arrays along."""
        load = signals.ramp(100, 0, 50) + signals.constant(100, 10)
        bursty = signals.spikes(load, count=2, height=30, seed=1)
        out = signals.with_gaps(bursty, fraction=0.1, seed=2)
        assert out.shape == (100,)
        assert int(np.isnan(out).sum()) == 10


class TestValidation:
    @pytest.mark.parametrize(
        ("call", "complaint"),
        [
            (lambda: signals.constant(-1, 0), "n must not be negative"),
            (lambda: signals.sine(10, mean=0, amplitude=1, period=0), "period"),
            (lambda: signals.noise(10, mean=0, std=-1), "std"),
            (lambda: signals.spikes(np.zeros(3), count=1, height=1, width=0), "width"),
            (lambda: signals.with_gaps(np.zeros(3), fraction=1.5), "fraction"),
            (lambda: signals.spikes(np.zeros((2, 2)), count=1, height=1), "1-D"),
        ],
    )
    def test_rejects_nonsense(self, call: Callable[[], object], complaint: str) -> None:
        """Impossible parameters raise ValueError instead of a surprising series."""
        with pytest.raises(ValueError, match=complaint):
            call()
