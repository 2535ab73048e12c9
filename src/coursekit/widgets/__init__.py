"""Live ipywidgets explorers built on coursekit.analysis and coursekit.charts.

``TrilateralComparison`` compares an indicator across trilaterals; ``TimelineExplorer``
filters the events. Both update in place when a control changes and expose their state
(``.value``) and results for tests. Pass ``renderer="html"`` where charts should be drawn by
the page's own ``vegaEmbed`` (the static book) instead of JupyterLab's Vega renderer.
"""

from __future__ import annotations

from ._common import Renderer
from .comparison import TrilateralComparison
from .timeline import TimelineExplorer

__all__ = ["Renderer", "TimelineExplorer", "TrilateralComparison"]
