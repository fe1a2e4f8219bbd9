"""Student t quantiles in numpy alone (no scipy): the confidence intervals' multipliers.

The t distribution function is ``F(t) = 1 - I_x(df/2, 1/2) / 2`` for ``t > 0`` with
``x = df / (df + t^2)`` and ``I`` the regularised incomplete beta function, evaluated by its
continued fraction (modified Lentz; Press et al., *Numerical Recipes*, 3rd ed., section 6.4).
Quantiles come from Newton's method started at the Cornish-Fisher expansion
(Abramowitz & Stegun 26.7.5), which alone is used for ``df >= 1000``.

>>> round(float(t_quantile(0.975, [10])[0]), 6)
2.228139
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["normal_quantile", "t_quantile", "t_quantile_whole", "t_table"]

_F = npt.NDArray[np.float64]


def normal_quantile(p: float) -> float:
    """The standard normal quantile of *p* (0 < p < 1), by bisection on ``erfc`` to full precision.

    >>> round(normal_quantile(0.975), 9)
    1.959963985
    """
    lo, hi = -40.0, 40.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if 0.5 * math.erfc(-mid / math.sqrt(2)) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-15:
            break
    return (lo + hi) / 2


def _betacf(a: _F, b: _F, x: _F) -> _F:
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = np.ones_like(x)
    d = 1.0 - qab * x / qap
    d = np.where(np.abs(d) < tiny, tiny, d)
    d = 1.0 / d
    h = d.copy()
    done = np.zeros(x.shape, dtype=bool)
    for m in range(1, 2000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = 1.0 + aa / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        h = np.where(done, h, h * d * c)
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = 1.0 + aa / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        delta = d * c
        h = np.where(done, h, h * delta)
        done |= np.abs(delta - 1.0) < 1e-15
        if done.all():
            break
    return h


def _betainc(a: _F, b: _F, x: _F) -> _F:
    """Regularised incomplete beta ``I_x(a, b)`` for 0 < x < 1, vectorised."""
    lbeta = np.array(
        [math.lgamma(u + v) - math.lgamma(u) - math.lgamma(v) for u, v in zip(a, b, strict=True)]
    )
    front = np.exp(lbeta + a * np.log(x) + b * np.log1p(-x))
    direct = x < (a + 1.0) / (a + b + 2.0)
    aa = np.where(direct, a, b)
    bb = np.where(direct, b, a)
    xx = np.where(direct, x, 1.0 - x)
    cf = _betacf(aa, bb, xx)
    return np.where(direct, front * cf / a, 1.0 - front * cf / b)


def _cornish_fisher(z: float, nu: _F) -> _F:
    return (
        z
        + (z**3 + z) / (4 * nu)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * nu**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * nu**3)
        + (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / (92160 * nu**4)
    )


_CACHE: dict[tuple[float, float], float] = {}


def t_quantile(p: float, df: Sequence[float] | _F) -> _F:
    """The Student t quantile of *p* (0.5 < p < 1) for each degrees of freedom in *df* (>= 1).

    Results are cached per ``(p, df)``.
    """
    nu = np.asarray(df, dtype=np.float64)
    if nu.size and all((p, v) in _CACHE for v in nu.tolist()):
        return np.array([_CACHE[p, v] for v in nu.tolist()])
    out = _t_quantile(p, nu)
    if len(_CACHE) < 100_000:
        _CACHE.update(((p, v), t) for v, t in zip(nu.tolist(), out.tolist(), strict=True))
    return out


_TABLES: dict[float, _F] = {}
_TABLE_MAX = 1 << 16


def t_quantile_whole(p: float, df: npt.NDArray[np.int64]) -> _F:
    """:func:`t_quantile` for whole-number degrees of freedom (>= 1), with the same values.

    Read from a per-*p* table of the quantiles computed so far (NaN where not yet computed);
    the missing ones are computed by :func:`t_quantile` and kept.

    >>> bool(t_quantile_whole(0.975, np.array([10, 3]))[0] == t_quantile(0.975, [10])[0])
    True
    """
    top = int(np.maximum.reduce(df, axis=None, initial=0))
    if top >= _TABLE_MAX:  # large df: each distinct value computed once, the rest tabled
        out = np.empty(df.shape)
        small = df < _TABLE_MAX
        out[small] = t_quantile_whole(p, df[small])
        big, inv = np.unique(df[~small], return_inverse=True)
        out[~small] = t_quantile(p, big.astype(np.float64))[inv]
        return out
    table = _TABLES.get(p)
    if table is None or table.size <= top:
        grown = np.full(max(64, 1 << top.bit_length()), np.nan)
        if table is not None:
            grown[: table.size] = table
        if len(_TABLES) >= 16:
            _TABLES.clear()
        table = _TABLES[p] = grown
    out = table[df]
    if np.isnan(np.add.reduce(out, axis=None)):  # some not computed yet (quantiles are finite)
        missing = np.isnan(out)
        need = np.unique(df[missing])
        table[need] = t_quantile(p, need.astype(np.float64))
        out = table[df]
    return out


def t_table(p: float) -> _F:
    """The table :func:`t_quantile_whole` reads for *p*: ``table[df]``, NaN if not computed yet.

    Empty when nothing was computed for *p*. The compiled route reads it directly.
    """
    return _TABLES.get(p, _NO_TABLE)


_NO_TABLE = np.zeros(0)


def _t_quantile(p: float, nu: _F) -> _F:
    z = normal_quantile(p)
    out = _cornish_fisher(z, np.maximum(nu, 1.0))
    small = nu < 1000
    if small.any():
        v = nu[small]
        t = np.maximum(out[small], 1e-3)
        if (v < 3).any():  # the expansion is poor for tiny df; the exact forms are simple
            t = np.where(v == 1, math.tan(math.pi * (p - 0.5)), t)
            q = 4 * p * (1 - p)
            t = np.where(v == 2, 2 * (p - 0.5) * np.sqrt(2 / q), t)
        half_a = v / 2
        half_b = np.full_like(v, 0.5)
        lnorm = np.array(
            [math.lgamma((u + 1) / 2) - math.lgamma(u / 2) - 0.5 * math.log(u * math.pi) for u in v]
        )
        active = np.ones(v.shape, dtype=bool)  # per element, so a batch never changes a value
        for _ in range(50):
            x = v / (v + t * t)
            cdf = 1.0 - 0.5 * _betainc(half_a, half_b, x)
            pdf = np.exp(lnorm - (v + 1) / 2 * np.log1p(t * t / v))
            step = np.where(active, (cdf - p) / pdf, 0.0)
            t = t - step
            active &= np.abs(step) > 1e-14 * np.maximum(1.0, np.abs(t))
            if not active.any():
                break
        out[small] = t
    return out
