"""The Maps tool's maps at any length: how many screen pixels a map is asked for, which block summary the user
picked (maximum or mean, remembered), and the zoomed region fetched finer, cell by cell once it fits.

The engine side is Run.attention_summary (models/runtime/summary_maps.py); explorer/core/summary_pixels.py decides
when a map is summarised. A zoomed region is its own job kind, so panning drops the regions skipped over.
"""

from __future__ import annotations

from dataclasses import replace

from explorer.core.display import encode, visible_of
from explorer.core.summary_pixels import REDUCES
from explorer.core.views import MapRequest, MapResult

from .compute import compute_map

SETTING = "maps/blockSummary"
MIN_PIXELS = 256  # a map is never asked for coarser than this, even in a tiny window
GRID_PIXELS = 384  # each small map of the all-heads view
REGION_JOB = "map-region"


class MapsSummary:
    def __init__(self, tool):
        self.tool = tool
        remembered = str(tool.context.settings.value(SETTING, "max"))
        self.reduce = remembered if remembered in REDUCES else "max"
        view = tool.view
        view.set_reduce(self.reduce)
        view.reduce_changed.connect(self.set_reduce)
        view.heatmap.region_wanted.connect(self.request_region)

    def pixels(self, mode: str) -> int:
        """Device pixels along the longer side of the heatmap (the grid: of one head's small map)."""
        if mode == "grid":
            return GRID_PIXELS
        heatmap = self.tool.view.heatmap
        side = max(heatmap.width(), heatmap.height()) * heatmap.devicePixelRatioF()
        return max(MIN_PIXELS, int(side))

    def set_reduce(self, reduce: str) -> None:
        if reduce not in REDUCES:
            raise ValueError(f"reduce: '{reduce}' is not one of {', '.join(REDUCES)}")
        if reduce == self.reduce:
            return
        self.reduce = reduce
        self.tool.context.settings.setValue(SETTING, reduce)
        self.tool.view.set_reduce(reduce)
        shown = self.tool.last_map
        if shown is not None and shown.summary:
            self.tool.request_map()

    def shown(self, result: MapResult) -> None:
        """A map was drawn: the block-summary choice is offered only while it is a summary."""
        self.tool.view.reduce.setVisible(result.summary)

    def request_region(self, r0: int, r1: int, c0: int, c1: int) -> None:
        """The user zoomed a block-summary map: ask for the cells in view, finer, or exact once they fit."""
        shown, workspace = self.tool.last_map, self.tool.context.workspace
        if shown is None or not shown.summary or shown.request.mode == "grid" or workspace.run is None:
            return
        request = replace(shown.request, region=(r0, r1, c0, c1), pixels=self.pixels("head"), reduce=self.reduce)
        run_id = workspace.run.request_id
        workspace.query(
            REGION_JOB, lambda run, ctx: compute_map(run, request, ctx.job_id, run_id, ctx), self._show_region
        )

    def _show_region(self, result: MapResult) -> None:
        shown = self.tool.last_map
        if shown is None or not _same_map(shown.request, result.request):
            return  # another head, layer or text is on screen now
        pixels, scale = result.pixels, self.tool.context.display.scale
        if result.request.scale != scale:
            pixels = encode(result.matrix, visible_of(pixels), scale)
        self.tool.view.heatmap.show_detail(
            result.matrix, pixels, result.row_edges, result.col_edges, result.request.reduce
        )


def _same_map(a: MapRequest, b: MapRequest) -> bool:
    return (a.layer, a.head, a.seq, a.mode, a.weighting) == (b.layer, b.head, b.seq, b.mode, b.weighting)
