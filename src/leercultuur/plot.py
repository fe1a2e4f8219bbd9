"""Charts of published scores (the ``plot`` extra: ``pip install leercultuur[plot]``).

Charts only ever receive a :class:`~leercultuur.ScoreReport`, so they can show nothing
but published aggregates: a withheld cell is drawn hatched and labelled (e.g. ``n<5``),
never coloured. matplotlib is imported when a chart is made (with the Agg backend), and
every function returns a ``matplotlib.figure.Figure``; :func:`to_svg` renders one
as deterministic SVG (fixed hash salt, no date).

>>> from leercultuur import demo, plot, score
>>> report = score(demo.load_survey())
>>> fig = plot.heatmap(report, lang="en")
>>> fig.axes[0].get_xticklabels()[0].get_text()
'Interaction'
>>> to_svg(fig) == to_svg(fig)
True
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from leercultuur.errors import LeercultuurError, ValidationError
from leercultuur.model import Dimension, Facet, Lang
from leercultuur.scoring import CellScore, ScoreReport, Suppressed

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from leercultuur.registry import Registry

__all__ = [
    "MissingExtraError",
    "dimension_label",
    "dimension_order",
    "heatmap",
    "radar",
    "suppressed_label",
    "to_svg",
    "top_dimensions",
]

HATCH = "///"
"""The hatch pattern of a withheld cell."""


class MissingExtraError(LeercultuurError, ImportError):
    """matplotlib is not installed: install the ``plot`` extra."""


def _pyplot() -> type[Figure]:
    try:
        import matplotlib
    except ImportError:  # pragma: no cover - matplotlib is in the test group
        raise MissingExtraError("charts need matplotlib: pip install 'leercultuur[plot]'") from None
    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    return Figure


def _registry(registry: Registry | None) -> Registry:
    return registry if registry is not None else _builtin_registry()


@functools.cache
def _builtin_registry() -> Registry:
    """The built-ins alone, built once (a registry is immutable)."""
    from leercultuur.registry import load_registry

    return load_registry(entry_points=False)


def dimension_label(dimension: str, lang: Lang = "nl", registry: Registry | None = None) -> str:
    """The translated name of a dimension or ``dimension.facet`` (its id if unknown).

    >>> dimension_label("resources.ict", "en")
    'Resources: ICT'
    """
    found = _facet_of(dimension, _registry(registry))
    if found is None:
        return dimension
    dim, facet = found
    label = dim.label.get(lang)
    return label if facet is None else f"{label}: {facet.label.get(lang)}"


def _facet_of(ref: str, registry: Registry) -> tuple[Dimension, Facet | None] | None:
    """The dimension *ref* names and its facet (None for the dimension itself), or None.

    The whole of *ref* is tried as a dimension first: plugin ids have dots too
    (``zorg_x.werkdruk``, facet ``zorg_x.werkdruk.tijd``), as the registry reads them.
    """
    dim = registry.dimensions.get(ref)
    if dim is not None:
        return dim, None
    head, _, facet_id = ref.rpartition(".")
    dim = registry.dimensions.get(head)
    facet = None if dim is None else next((f for f in dim.facets if f.id == facet_id), None)
    return None if dim is None or facet is None else (dim, facet)


def dimension_order(dimensions: Iterable[str], registry: Registry | None = None) -> list[str]:
    """*dimensions* in the report's order, for tables and charts.

    The characteristics (interaction, open learning culture, autonomy), then the
    preconditions (safety, relations, commitment, resources); each facet right after its
    dimension, in the order the dimension lists them; other dimensions after, by id.

    >>> dimension_order(["safety", "resources.staff", "autonomy", "resources", "zorg_x.reflectie"])
    ['autonomy', 'safety', 'resources', 'resources.staff', 'zorg_x.reflectie']
    """
    from leercultuur.builtin.model import DIMENSIONS

    report = {d.id: i for i, d in enumerate(DIMENSIONS)}
    reg = _registry(registry)

    def key(ref: str) -> tuple[int, str, int, str]:
        found = _facet_of(ref, reg)
        if found is None or found[1] is None:  # a dimension, or unknown: by its own id
            return (report.get(ref, len(report)), ref, -1, ref)
        dim, facet = found
        return (report.get(dim.id, len(report)), dim.id, dim.facets.index(facet), ref)

    return sorted(dimensions, key=key)


def suppressed_label(entry: Suppressed, k: int, lang: Lang = "nl") -> str:
    """The short label of a withheld cell: ``n<k``, ``afgeschermd``/``withheld`` or ``-``."""
    if entry.reason == "below_threshold":
        return f"n<{k}"
    if entry.reason == "complementary":
        return "afgeschermd" if lang == "nl" else "withheld"
    return "-"


def _published(report: object) -> None:
    if not isinstance(report, ScoreReport):
        raise ValidationError.single(
            "report",
            "charts take a ScoreReport (published scores only), got "
            f"{type(report).__name__}; score the survey first",
        )


def top_dimensions(report: ScoreReport, registry: Registry | None = None) -> list[str]:
    """The report's dimensions without their facets, in :func:`dimension_order`."""
    scored = set(report.dimensions)  # a facet's dimension is always scored with it
    return [
        d for d in dimension_order(report.dimensions, registry)
        if d.rpartition(".")[0] not in scored
    ]  # fmt: skip


def radar(
    report: ScoreReport,
    unit: str,
    *,
    compare: str | None = "all",
    lang: Lang = "nl",
    registry: Registry | None = None,
    labels: tuple[str, str] | None = None,
) -> Figure:
    """A radar chart of *unit*'s profile (0-100) against the cell *compare*.

    *compare* defaults to ``all``, the organisation; ``None`` or an absent cell draws none.

    One axis per top-level dimension; a withheld value leaves a gap in the polygon and its
    axis label says so. The profile is :meth:`leercultuur.ScoreReport.profile` (published
    survey scores, blended with indicators where given).
    """
    _published(report)
    figure_cls = _pyplot()
    dims = top_dimensions(report, registry)
    names = [dimension_label(d, lang, registry) for d in dims]
    fig = figure_cls(figsize=(6.4, 5.6))
    ax = fig.add_subplot(projection="polar")
    angles = [2 * math.pi * i / len(dims) for i in range(len(dims))]
    cells = [(unit, labels[0] if labels else unit)]
    if compare is not None and compare in report.cell_index and compare != unit:
        own = "organisatie" if lang == "nl" else "organisation"
        cells.append((compare, labels[1] if labels else (own if compare == "all" else compare)))
    colours = ["#1b6ca8", "#9a9a9a"]
    for (cell, label), colour in zip(cells, colours, strict=False):
        profile = report.profile(cell)
        values = [profile.value(d) for d in dims]
        ys = [math.nan if v is None else v for v in values]
        ax.plot([*angles, angles[0]], [*ys, ys[0]], color=colour, linewidth=2, label=label)
        known = [(a, y) for a, y in zip(angles, ys, strict=True) if not math.isnan(y)]
        if len(known) >= 3:  # shade only the published part, never a made-up zero
            ax.fill([a for a, _ in known], [y for _, y in known], color=colour, alpha=0.12)
    withheld = report.withheld(unit)
    k = report.min_group_size
    ticks = [
        f"{n}\n({suppressed_label(withheld[d], k, lang)})" if d in withheld else n
        for d, n in zip(dims, names, strict=True)
    ]
    ax.set_xticks(angles)
    ax.set_xticklabels(ticks, fontsize=9)
    ax.set_ylim(0, 100)
    ax.set_yticks([25, 50, 75, 100])
    ax.set_yticklabels(["25", "50", "75", "100"], fontsize=7, color="#666666")
    ax.legend(loc="upper right", bbox_to_anchor=(1.25, 1.12), fontsize=9, frameon=False)
    fig.tight_layout()
    return fig


def heatmap(
    report: ScoreReport,
    cells: Sequence[str] | None = None,
    dimensions: Sequence[str] | None = None,
    *,
    lang: Lang = "nl",
    registry: Registry | None = None,
) -> Figure:
    """A heatmap of cells (default: every unit) x dimensions of published survey means.

    A withheld cell gets no colour: it is drawn white with a hatched rectangle (``gid``
    ``"suppressed"``) and labelled (``n<5``, ``afgeschermd``/``withheld``, ``-`` for empty).
    """
    _published(report)
    figure_cls = _pyplot()
    import numpy as np
    from matplotlib.patches import Rectangle

    if cells is None:
        cells = [c for c in report.cells if "|" not in c and "=" not in c and c != "all"]
    dims = list(dimension_order(report.dimensions, registry) if dimensions is None else dimensions)
    k = report.min_group_size
    values = np.full((len(cells), len(dims)), np.nan)
    marks: list[tuple[int, int, str]] = []
    for i, cell in enumerate(cells):
        scores = report.scores(cell)
        for j, dim in enumerate(dims):
            entry = scores[dim]
            if isinstance(entry, CellScore):
                values[i, j] = entry.mean
            else:
                marks.append((i, j, suppressed_label(entry, k, lang)))
    fig = figure_cls(figsize=(1.1 * len(dims) + 2.8, 0.45 * len(cells) + 2.2))
    ax = fig.add_subplot()
    masked = np.ma.masked_invalid(values)
    image = ax.imshow(masked, cmap="RdYlGn", vmin=0, vmax=100, aspect="auto")
    for i in range(len(cells)):
        for j in range(len(dims)):
            if not math.isnan(values[i, j]):
                v = float(values[i, j])
                ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=8, color="#111111")
    for i, j, text in marks:
        ax.add_patch(
            Rectangle(
                (j - 0.5, i - 0.5), 1, 1, fill=False, hatch=HATCH, edgecolor="#9a9a9a",
                linewidth=0, gid="suppressed",
            )
        )  # fmt: skip
        ax.text(j, i, text, ha="center", va="center", fontsize=7, color="#444444",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})  # fmt: skip
    ax.set_xticks(range(len(dims)))
    ax.set_xticklabels(
        [dimension_label(d, lang, registry) for d in dims], rotation=35, ha="right", fontsize=8
    )
    ax.set_yticks(range(len(cells)))
    ax.set_yticklabels(list(cells), fontsize=8)
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label("0-100", fontsize=8)
    fig.tight_layout()
    return fig


def to_svg(fig: Figure) -> str:
    """Render *fig* as SVG text, deterministically (``svg.hashsalt``, no date metadata)."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "leercultuur", "svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
