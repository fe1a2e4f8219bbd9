"""The compiled loops of the one-pass route (numba; see :mod:`leercultuur.scoring._kernels`)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from leercultuur._accel import jit

__all__ = ["alpha_sums", "one_pass"]

_I = npt.NDArray[np.int64]
_U8 = npt.NDArray[np.uint8]
_P = npt.NDArray[np.intp]


@jit
def _flush(c: int, run: _I, plan: _I, totals: _I) -> None:
    """Unpack base cell *c*'s packed running sums into ``totals[:, c]`` and clear them.

    ``plan`` rows are fields ``(word, shift, mask, row of totals)``, in word order.
    """
    for q in range(plan.shape[0]):
        w = plan[q, 0]
        totals[plan[q, 3], c] += (run[c, w] >> plan[q, 1]) & plan[q, 2]
    for w in range(run.shape[1]):
        run[c, w] = 0


@jit
def _flush_all(run: _I, plan: _I, totals: _I) -> None:
    """Unpack every cell's packed running sums into *totals* (as :func:`_flush`).

    Cells go in blocks of 64, field by field, so a block's running sums stay in the
    first-level cache and *totals* is written row-wise.
    """
    nk = run.shape[0]
    for c0 in range(0, nk, 64):
        c1 = min(c0 + 64, nk)
        for q in range(plan.shape[0]):
            w, sh, mask = plan[q, 0], plan[q, 1], plan[q, 2]
            row = totals[plan[q, 3]]
            for c in range(c0, c1):
                row[c] += (run[c, w] >> sh) & mask


@jit
def _codes(  # noqa: PLR0917
    codes: _U8,
    packed: npt.NDArray[np.uint32],
    r0: int,
    m: int,
    scratch: npt.NDArray[np.uint32],
    buf: npt.NDArray[np.int32],
    cols: _P,
    lens: _I,
    radix: np.int32,
) -> None:
    """Rows ``r0 .. r0 + m``'s pattern codes per dimension ``d`` into ``buf[d, :m]``.

    The block's answers transposed 4 at a time (``scratch[w, r]`` holds row ``r``'s answers
    ``4w .. 4w + 3`` as one little-endian word; *packed* is *codes* viewed as such words
    when its rows allow, else empty), then per dimension Horner's rule over its items.
    """
    n, n_items = codes.shape
    n_packed = scratch.shape[0]
    if packed.shape[0] == n and packed.shape[1] == n_packed:  # the rows' words as they are
        for r in range(m):
            src = packed[r0 + r]
            for w in range(n_packed):
                scratch[w, r] = src[w]
    else:  # each word assembled from its bytes (little-endian order)
        for r in range(m):
            row = codes[r0 + r]
            for w in range(n_packed):
                x = np.uint32(0)
                for k in range(min(4, n_items - 4 * w)):
                    x |= np.uint32(row[4 * w + k]) << np.uint32(8 * k)
                scratch[w, r] = x
    for d in range(lens.shape[0]):
        b = buf[d]
        for r in range(m):
            b[r] = 0
        for u in range(lens[d] - 1, -1, -1):
            c = cols[d, u]
            col = scratch[c >> 2]
            shift = np.uint32(8 * (c & 3))
            for r in range(m):
                b[r] = np.int32(b[r] * radix) + np.int32((col[r] >> shift) & np.uint32(255))


@jit
def one_pass(  # noqa: PLR0917
    codes: _U8,
    packed: npt.NDArray[np.uint32],
    inv: _P,
    nk: int,
    cols: _P,
    lens: _I,
    rows: _I,
    words: _I,
    packed_table: _I,
    plan: _I,
    cap: int,
    radix: np.int32,
    n_fields: int,
    size_b: int,
) -> tuple[_I, _I, _I]:
    """One pass over *codes*: per base cell the packed fields' sums, per pattern a count.

    Returns the respondents per base cell (*nk* cells), the field sums (``n_fields`` rows, a
    column per cell) and a copy of *packed_table* with the pattern histogram as its last
    column (a pattern's words and count share a cache line). Dimension ``d``: items
    ``cols[d, :lens[d]]``, patterns at rows ``rows[d] + code``, its packed words at columns
    ``words[d] .. words[d + 1]`` of a cell's running sums. A cell's running sums are unpacked
    (:func:`_flush`) before they could hold more than *cap* respondents, so no packed field
    ever carries into the next. Rows go in blocks of *size_b*: their pattern codes
    (:func:`_codes`), per dimension its histogram counts and table words (gathered, per row
    its words side by side; two words per dimension: per dimension its rows' pairs, which
    stores faster), then per row the packed words' adds.
    """
    n, n_items = codes.shape
    n_dims = lens.shape[0]
    totals = np.zeros((n_fields, nk), np.int64)
    n_resp = np.zeros(nk, np.int64)
    for r in range(n):
        n_resp[inv[r]] += 1
    crowded = n_resp.max() > cap if nk else False
    scratch = np.empty(((n_items + 3) // 4, size_b), np.uint32)
    buf = np.empty((n_dims, size_b), np.int32)
    # the packed words and, in the last column, the pattern histogram (one cache line)
    count_at = packed_table.shape[1]
    table = np.zeros((packed_table.shape[0], count_at + 1), np.int64)
    table[:, :count_at] = packed_table
    n_words = words[n_dims]
    run = np.zeros((nk, n_words), np.int64)
    count = np.zeros(nk, np.int64)
    pairs = n_words == 2 * n_dims and count_at == 2
    gathered = np.empty((0 if pairs else size_b, n_words), np.int64)
    paired = np.empty((n_dims if pairs else 0, size_b + 4, 2), np.int64)  # padded
    for r0 in range(0, n, size_b):
        m = min(size_b, n - r0)
        _codes(codes, packed, r0, m, scratch, buf, cols, lens, radix)
        for d in range(n_dims):
            # one dimension at a time: its histogram and table rows stay in cache
            b, off, at, nw = buf[d], rows[d], words[d], words[d + 1] - words[d]
            if pairs:  # the usual with rwg(j)'s sums
                g = paired[d]
                for r in range(m):
                    p = off + b[r]
                    table[p, count_at] += 1
                    g[r, 0] = table[p, 0]
                    g[r, 1] = table[p, 1]
            elif nw == 1:
                for r in range(m):
                    p = off + b[r]
                    table[p, count_at] += 1
                    gathered[r, at] = table[p, 0]
            else:
                for r in range(m):
                    p = off + b[r]
                    table[p, count_at] += 1
                    for w in range(nw):
                        gathered[r, at + w] = table[p, w]
        for r in range(m):
            c = inv[r0 + r]
            if crowded:  # a cell may pass the capacity: count, unpack when full
                if count[c] == cap:
                    _flush(c, run, plan, totals)
                    count[c] = 0
                count[c] += 1
            rc = run[c]
            if pairs:
                for d in range(n_dims):
                    rc[2 * d] += paired[d, r, 0]
                    rc[2 * d + 1] += paired[d, r, 1]
            else:
                wr = gathered[r]
                for w in range(n_words):
                    rc[w] += wr[w]
    _flush_all(run, plan, totals)
    return n_resp, totals, table


@jit
def alpha_sums(table: _I, rows: _I, lens: _I, needs: _I, keyed: _I) -> _I:
    """Alpha's sums per dimension (row ``d``: the columns of ``_alpha._alpha_rows``).

    Per used pattern ``p`` of dimension ``d`` (histogram count ``h``: *table*'s last column)
    with keyed answers
    ``x = keyed[rows[d] + p]`` (0 = missing): pairwise ``pn``, ``pp``, ``pq``, listwise ``wn``,
    ``wx``, ``wq`` over complete patterns, and the scored patterns' squared keyed totals, each
    weighted by ``h``.
    """
    jm, last = keyed.shape[1], table.shape[1] - 1
    sums = np.zeros((lens.shape[0], 4 * jm * jm + jm + 2), np.int64)
    for d in range(lens.shape[0]):
        j = lens[d]
        sq = j * j
        n_pat = rows[d + 1] - rows[d]
        for q in range(n_pat):
            p = rows[d] + q
            h = table[p, last]
            if h == 0:
                continue
            answered = 0
            total = 0
            for u in range(j):
                x = keyed[p, u]
                if x > 0:
                    answered += 1
                    total += x
            complete = answered == j
            for u in range(j):
                xu = keyed[p, u]
                if xu == 0:
                    continue
                hx = h * xu
                for v in range(j):
                    xv = keyed[p, v]
                    if xv == 0:
                        continue
                    k = u * j + v
                    sums[d, k] += h
                    sums[d, sq + k] += hx
                    sums[d, 2 * sq + k] += hx * xv
                if complete:
                    sums[d, 3 * sq + 1 + u] += hx
                    for v in range(j):
                        sums[d, 3 * sq + 1 + j + u * j + v] += hx * keyed[p, v]
            if complete:
                sums[d, 3 * sq] += h
            if answered >= needs[d]:
                sums[d, 4 * sq + j + 1] += h * total * total
    return sums
