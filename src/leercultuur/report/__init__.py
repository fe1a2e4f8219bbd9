"""Reports on a scored survey: the :class:`Analysis` of the main job and its HTML rendering.

:func:`analyse` ranks and plans interventions for the weakest published units of a
:class:`~leercultuur.ScoreReport`; :func:`render_html` turns the result into one
self-contained HTML page (charts as inline SVG, no external CSS or scripts) in Dutch or
English, and :func:`write_report` writes it into a folder. Like the charts, the report
only ever reads published aggregates from the ScoreReport.
"""

from __future__ import annotations

from leercultuur.report._analysis import Analysis, analyse, unit_cells
from leercultuur.report._html import render_html, write_report

__all__ = ["Analysis", "analyse", "render_html", "unit_cells", "write_report"]
