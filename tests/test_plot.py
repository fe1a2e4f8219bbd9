"""Charts: asserted on the figures' data (vertices, labels, hatches), never on pixels."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import leercultuur as lc
from leercultuur import demo, plot
from leercultuur.scoring import CellScore, ScoreReport


@pytest.fixture(scope="module")
def report() -> ScoreReport:
    return lc.score(demo.load_survey(), indicators=demo.indicators())


@pytest.fixture(scope="module")
def report6() -> ScoreReport:
    """At k = 6 complementary suppression withholds team:wijkteam-zuid's commitment score."""
    return lc.score(demo.load_survey(), indicators=demo.indicators(), min_group_size=6)


def top_dims(report: ScoreReport) -> list[str]:
    """The report's dimensions in the report's order (the built-in model's order)."""
    from leercultuur.builtin.model import DIMENSIONS

    return [d.id for d in DIMENSIONS if d.id in report.dimensions]


def all_dims(report: ScoreReport) -> list[str]:
    """Every scored dimension and facet in the report's order: each facet after its dimension."""
    from leercultuur.builtin.model import DIMENSIONS

    refs = [r for d in DIMENSIONS for r in (d.id, *(f"{d.id}.{f.id}" for f in d.facets))]
    assert set(report.dimensions) <= set(refs)
    return [r for r in refs if r in report.dimensions]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_radar_vertices_are_the_profile_and_labels_translated(
    report6: ScoreReport, lang: lc.model.Lang
) -> None:
    report = report6
    fig = plot.radar(report, "team:wijkteam-zuid", lang=lang)
    ax = fig.axes[0]
    unit_line, org_line = ax.get_lines()[:2]
    dims = top_dims(report)
    for line, cell in ((unit_line, "team:wijkteam-zuid"), (org_line, "all")):
        profile = report.profile(cell)
        ys = list(line.get_ydata())
        assert len(ys) == len(dims) + 1  # closed polygon
        for d, y in zip(dims, ys, strict=False):
            value = profile.value(d)
            assert (value is None and math.isnan(y)) or y == pytest.approx(value)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    registry = lc.load_registry(entry_points=False)
    for label, d in zip(labels, dims, strict=True):
        assert label.startswith(registry.dimensions[d].label.get(lang))
    withheld = report.withheld("team:wijkteam-zuid")
    assert withheld["commitment"].reason == "complementary"
    assert labels[dims.index("commitment")].endswith(
        "(afgeschermd)" if lang == "nl" else "(withheld)"
    )
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "team:wijkteam-zuid",
        "organisatie" if lang == "nl" else "organisation",
    ]


def test_radar_without_comparison(report: ScoreReport) -> None:
    fig = plot.radar(report, "afdeling:wijkzorg", compare=None)
    assert len(fig.axes[0].get_lines()) == 1


def heat_cells(fig: object) -> tuple[np.ma.MaskedArray, list[object], list[str]]:
    ax = fig.axes[0]  # type: ignore[attr-defined]
    data = ax.get_images()[0].get_array()
    patches = [p for p in ax.patches if p.get_gid() == "suppressed"]
    texts = [t.get_text() for t in ax.texts]
    return data, patches, texts


def test_heatmap_suppressed_cells_are_hatched_labelled_and_never_coloured(
    report: ScoreReport, report6: ScoreReport
) -> None:
    fig = plot.heatmap(report, lang="nl")
    data, patches, texts = heat_cells(fig)
    ax = fig.axes[0]
    cells = [t.get_text() for t in ax.get_yticklabels()]
    dims = all_dims(report)
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        plot.dimension_label(d, "nl") for d in dims
    ]
    corners = {(round(p.get_x() + 0.5), round(p.get_y() + 0.5)) for p in patches}
    n_suppressed = 0
    for i, cell in enumerate(cells):
        for j, d in enumerate(dims):
            entry = report.scores(cell)[d]
            if isinstance(entry, CellScore):
                assert not data.mask[i, j]
                assert data[i, j] == pytest.approx(entry.mean)
                assert (j, i) not in corners
            else:
                n_suppressed += 1
                assert data.mask[i, j]  # no colour
                assert (j, i) in corners
    assert n_suppressed == len(patches)
    assert all(p.get_hatch() == plot.HATCH and not p.get_fill() for p in patches)
    assert texts.count("n<5") == 2 * len(dims)  # wijkteam-oost and wijkteam-west
    # a complementary suppression is labelled as withheld, hatched and uncoloured too
    data6, patches6, texts6 = heat_cells(plot.heatmap(report6, lang="nl"))
    assert "afgeschermd" in texts6
    assert int(data6.mask.sum()) == len(patches6)
    assert all(p.get_hatch() == plot.HATCH and not p.get_fill() for p in patches6)


@settings(max_examples=8, deadline=None)
@given(k=st.integers(3, 16))
def test_heatmap_masks_exactly_the_withheld_cells(k: int) -> None:
    report = lc.score(demo.load_survey(), min_group_size=k)
    fig = plot.heatmap(report, lang="en")
    data, patches, texts = heat_cells(fig)
    cells = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    withheld = sum(len(report.withheld(c)) for c in cells)
    assert int(data.mask.sum()) == withheld == len(patches)
    assert texts.count(f"n<{k}") == sum(
        1 for c in cells for w in report.withheld(c).values() if w.reason == "below_threshold"
    )


def test_svg_is_deterministic_and_undated(report: ScoreReport) -> None:
    one = plot.to_svg(plot.heatmap(report))
    two = plot.to_svg(plot.heatmap(report))
    assert one == two
    assert "<dc:date>" not in one
    assert one.lstrip().startswith("<?xml")


def test_missing_matplotlib_names_the_extra(
    report: ScoreReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(plot.MissingExtraError, match=r"leercultuur\[plot\]"):
        plot.radar(report, "all")
    assert issubclass(plot.MissingExtraError, lc.LeercultuurError)


def test_dimension_labels() -> None:
    assert plot.dimension_label("safety", "nl") == "Veiligheid"
    assert plot.dimension_label("resources.staff", "nl") == "Middelen: Personeel"
    assert plot.dimension_label("plugin.unknown") == "plugin.unknown"


def test_charts_refuse_anything_but_a_score_report() -> None:
    survey = demo.load_survey()
    for chart in (plot.heatmap, plot.radar):
        args = (survey,) if chart is plot.heatmap else (survey, "all")
        with pytest.raises(lc.ValidationError, match="charts take a ScoreReport"):
            chart(*args)  # type: ignore[operator]


def test_plugin_dimensions_are_labelled_and_ordered_after_the_reports() -> None:
    # a plugin's dimension id has a dot of its own; it is a dimension, not a facet
    from leercultuur.testing import make_registry

    class Plugin:
        @lc.hookimpl
        def leercultuur_dimensions(self) -> list[lc.Dimension]:
            return [
                lc.Dimension(
                    id="zorg_x.werkdruk", kind=lc.DimensionKind.CUSTOM,
                    label=lc.Text(nl="Werkdruk", en="Workload"),
                    facets=[lc.Facet(id="tijd", label=lc.Text(nl="Tijd", en="Time"))],
                )
            ]  # fmt: skip

    registry = make_registry(Plugin())
    assert plot.dimension_label("zorg_x.werkdruk", "en", registry) == "Workload"
    assert plot.dimension_label("zorg_x.werkdruk.tijd", "nl", registry) == "Werkdruk: Tijd"
    refs = ["zorg_x.werkdruk.tijd", "resources.ict", "zorg_x.werkdruk", "commitment", "safety"]
    assert plot.dimension_order(refs, registry) == [
        "safety", "commitment", "resources.ict", "zorg_x.werkdruk", "zorg_x.werkdruk.tijd",
    ]  # fmt: skip
