"""Small generators of plausible metric series, for demos, notebooks and tests.

A test that drives an alarm needs data with a shape (a ramp through the threshold, a
spike, a gap) more than data with realism, and it needs the same data on every run. So
each generator is one vectorised expression over ``n`` samples, returns a plain float64
array, and takes a ``seed`` when it draws random numbers. They compose by arithmetic and
by passing one array to the next::

    cpu = with_gaps(spikes(sine(288, mean=30, amplitude=10, period=288, seed=1),
                           count=3, height=50, seed=2), fraction=0.05, seed=3)

NaN means "no sample at this time", which ``MetricSeries.append`` drops. ``seed`` may
also be a ``numpy.random.Generator``, so that a composite can draw every part from one
stream.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "Seed",
    "constant",
    "cpu_like",
    "noise",
    "ramp",
    "sine",
    "spikes",
    "with_gaps",
]

Floats = NDArray[np.float64]

#: What ``np.random.default_rng`` accepts that we promise to honour.
Seed = int | np.random.Generator | None


def _check_n(n: int) -> None:
    if n < 0:
        raise ValueError(f"n must not be negative, not {n}")


def _copy(series: ArrayLike) -> Floats:
    out = np.array(series, dtype=np.float64)  # always a copy: the input stays untouched
    if out.ndim != 1:
        raise ValueError(f"expected a 1-D series, not shape {out.shape}")
    return out


def constant(n: int, value: float) -> Floats:
    """``n`` samples of ``value``: a metric that sits still, e.g. HealthyHostCount."""
    _check_n(n)
    return np.full(n, value, dtype=np.float64)


def ramp(n: int, start: float, stop: float) -> Floats:
    """``n`` samples from ``start`` to ``stop`` inclusive: a metric crossing a line."""
    _check_n(n)
    return np.linspace(start, stop, n, dtype=np.float64)


def sine(
    n: int,
    *,
    mean: float,
    amplitude: float,
    period: float,
    noise: float = 0.0,
    seed: Seed = None,
) -> Floats:
    """A periodic load (``period`` in samples), plus Gaussian noise of std ``noise``.

    The seed matters only when ``noise`` is positive.
    """
    _check_n(n)
    if period <= 0:
        raise ValueError(f"period must be positive, not {period}")
    out = mean + amplitude * np.sin((2 * np.pi / period) * np.arange(n, dtype=np.float64))
    if noise > 0:
        out += np.random.default_rng(seed).normal(0.0, noise, n)
    return out


def noise(
    n: int,
    *,
    mean: float,
    std: float,
    seed: Seed = None,
    clip_min: float | None = None,
    clip_max: float | None = None,
) -> Floats:
    """Gaussian samples, optionally clipped to the range the metric can take."""
    _check_n(n)
    if std < 0:
        raise ValueError(f"std must not be negative, not {std}")
    out = np.random.default_rng(seed).normal(mean, std, n)
    if clip_min is not None or clip_max is not None:
        np.clip(out, clip_min, clip_max, out=out)
    return out


def spikes(
    base: ArrayLike,
    *,
    count: int,
    height: float,
    width: int = 1,
    seed: Seed = None,
) -> Floats:
    """A copy of ``base`` with ``count`` spikes of ``height``, ``width`` samples wide.

    Spikes start at distinct random positions; where two overlap the samples are raised
    once, not twice, so no sample exceeds ``base + height``. A spike near the end is cut
    short rather than wrapped. NaN in ``base`` (a gap) stays NaN.
    """
    out = _copy(base)
    if count < 0 or width < 1:
        raise ValueError(f"need count >= 0 and width >= 1, not {count} and {width}")
    n = out.size
    if not n or not count:
        return out
    starts = np.random.default_rng(seed).choice(n, size=min(count, n), replace=False)
    covered = np.zeros(n + width, dtype=bool)
    covered[(starts[:, None] + np.arange(width)).ravel()] = True
    out[covered[:n]] += height
    return out


def with_gaps(series: ArrayLike, *, fraction: float, seed: Seed = None) -> Floats:
    """A copy of ``series`` with ``round(fraction * n)`` random samples set to NaN.

    Exactly that many, not "each with probability fraction", so a test can count them.
    """
    out = _copy(series)
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must be within [0, 1], not {fraction}")
    holes = round(fraction * out.size)
    if holes:
        out[np.random.default_rng(seed).choice(out.size, size=holes, replace=False)] = np.nan
    return out


def cpu_like(n: int, *, seed: Seed = None) -> Floats:
    """A plausible CPUUtilization series in percent, within [0, 100].

    Shaped for 5-minute samples: a daily cycle (288 samples) around 25 %, slowly
    wandering noise (a moving average of white noise, as a real load drifts rather than
    jitters), and a few bursts of a quarter-hour that an alarm at 70-80 % would catch.
    """
    _check_n(n)
    if not n:
        return np.empty(0, dtype=np.float64)
    rng = np.random.default_rng(seed)
    day = 288
    phase = rng.uniform(0, day)
    out = 25.0 + 12.0 * np.sin((2 * np.pi / day) * (np.arange(n) + phase))
    smooth = 12
    jitter = rng.normal(0.0, 4.0 * np.sqrt(smooth), n + smooth - 1)
    out += np.convolve(jitter, np.full(smooth, 1.0 / smooth), mode="valid")
    out = spikes(out, count=max(1, n // 300), height=55.0, width=3, seed=rng)
    return np.clip(out, 0.0, 100.0)
