"""Generate the bundled FICTIONAL example survey of "Zorggroep Voorbeeld (fictief)".

Zorggroep Voorbeeld is an invented care organisation: no real organisation, team or
person is described, and every answer is drawn from a random generator with a fixed
seed (:data:`SEED`). Rewrite the committed file with::

    python -m leercultuur.demo.generate            # writes src/leercultuur/demo/data/antwoorden.csv
    python -m leercultuur.demo.generate OTHER.csv  # or somewhere else

The file is a semicolon-separated CSV (as Dutch spreadsheets write it) with the columns

- ``respondent``: an id such as ``fictief-001``;
- ``afdeling``: the department (wijkzorg, verpleeghuis, revalidatie);
- ``team``: the team within the department;
- ``beroep``: the profession (verpleegkundige, verzorgende, arts);
- ``IN1`` .. ``ICT2``: the answers (1-5, empty = not answered) to the items of the
  built-in scan ``builtin.scan``, reverse-keyed items as answered.

How the answers are drawn: a respondent's latent agreement on a dimension is the
organisation's level, plus a department and a team offset, plus a personal offset;
an item's answer is that latent value plus item noise, rounded and clipped to 1-5
(reverse-keyed items are mirrored). The department *verpleeghuis* has a markedly lower
psychological safety (and somewhat lower relations); *wijkzorg* lacks ICT and time.
About 4% of the answers are left empty at random, and a few respondents skip whole
sections. Two teams (wijkteam-oost, wijkteam-west) have fewer than five respondents, so their
scores are withheld; the professions are split so that most team x profession cells can be
published (a cell of fewer than five would force further, complementary suppression).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import numpy as np

__all__ = ["SEED", "TEAMS", "generate", "main", "write"]

SEED = 20261127
"""The seed of the generator; the committed CSV is ``generate(SEED)``."""

TEAMS: tuple[tuple[str, str, tuple[tuple[str, int], ...]], ...] = (
    ("wijkzorg", "wijkteam-noord", (("verpleegkundige", 7), ("verzorgende", 7))),
    ("wijkzorg", "wijkteam-zuid", (("verpleegkundige", 6), ("verzorgende", 6))),
    ("wijkzorg", "wijkteam-oost", (("verzorgende", 4),)),
    ("wijkzorg", "wijkteam-west", (("verzorgende", 3),)),
    ("verpleeghuis", "de-linde", (("verpleegkundige", 6), ("verzorgende", 8))),
    ("verpleeghuis", "de-eik", (("verpleegkundige", 6), ("verzorgende", 7))),
    ("revalidatie", "revalidatie-1", (("verpleegkundige", 8), ("arts", 6))),
    ("revalidatie", "revalidatie-2", (("verpleegkundige", 6), ("verzorgende", 6))),
)
"""(afdeling, team, ((beroep, respondents), ...)) of the fictional organisation."""

# the organisation's latent level per dimension on the 1-5 scale
_BASE = {
    "interaction": 3.5,
    "open_culture": 3.4,
    "autonomy": 3.2,
    "safety": 3.7,
    "relations": 3.8,
    "commitment": 3.3,
    "resources": 2.9,
}
# department offsets per dimension (facets of resources by prefix, see _offset)
_DEPT = {
    "wijkzorg": {"autonomy": 0.4, "resources.ict": -0.7, "resources.staff": -0.4},
    "verpleeghuis": {
        "safety": -1.2,
        "relations": -0.5,
        "interaction": -0.4,
        "open_culture": -0.3,
        "resources.staff": -0.3,
    },
    "revalidatie": {"interaction": 0.4, "commitment": 0.3, "resources.finance": 0.3},
}
_MISSING = 0.04
_SKIP_SECTION = 0.015


def _offset(dept: str, dimension: str) -> float:
    table = _DEPT[dept]
    inherited = table.get(dimension.split(".", maxsplit=1)[0], 0.0) if "." in dimension else 0.0
    return table.get(dimension, 0.0) + inherited


def generate(seed: int = SEED) -> str:
    """The CSV text of the fictional survey drawn with *seed* (deterministic).

    >>> text = generate()
    >>> text.splitlines()[0][:40]
    'respondent;afdeling;team;beroep;IN1;IN2;'
    >>> len(text.splitlines()) - 1  # respondents
    86
    """
    from leercultuur.builtin.instruments import SCAN

    rng = np.random.default_rng(seed)
    items = SCAN.items
    dims = sorted({i.dimension for i in items})
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["respondent", "afdeling", "team", "beroep", *(i.id for i in items)])
    number = 0
    for dept, team, professions in TEAMS:
        team_off = {d: float(rng.normal(0.0, 0.2)) for d in dims}
        staff = [name for name, count in professions for _ in range(count)]
        for profession in rng.permutation(staff).tolist():
            number += 1
            general = float(rng.normal(0.0, 0.35))
            latent = {
                d: _BASE[d.split(".")[0]]
                + _offset(dept, d)
                + team_off[d]
                + general
                + float(rng.normal(0.0, 0.3))
                for d in dims
            }
            skipped = {d for d in dims if rng.random() < _SKIP_SECTION}
            answers: list[str] = []
            for item in items:
                x = latent[item.dimension] + float(rng.normal(0.0, 0.55))
                value = int(np.clip(np.rint(x), 1, 5))
                if item.reverse:
                    value = 6 - value
                empty = item.dimension in skipped or rng.random() < _MISSING
                answers.append("" if empty else str(value))
            writer.writerow([f"fictief-{number:03d}", dept, team, profession, *answers])
    return out.getvalue()


def write(path: str | Path, seed: int = SEED) -> Path:
    """Write :func:`generate` to *path* (UTF-8) and return the path."""
    target = Path(path)
    target.write_text(generate(seed), encoding="utf-8", newline="")
    return target


def main(argv: list[str] | None = None) -> int:
    """Write the CSV to the given path, or over the bundled file; print where."""
    args = sys.argv[1:] if argv is None else argv
    default = Path(__file__).with_name("data") / "antwoorden.csv"
    target = write(args[0] if args else default)
    print(f"wrote {target} (fictional data, seed {SEED})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
