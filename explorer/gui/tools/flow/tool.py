"""The Flow tool: attention rollout of the current text as a map, and the attention flow into one query as bars.

Both are asked of the workspace's current run as jobs, only while the tool is on screen. Rollout (Abnar & Zuidema
2020) follows every layer's attention and residual stream back to the input; flow is the maximum flow through
the same layered graph, computed only up to FLOW_MAX_TOKENS tokens (above that the bars say so and suggest the
map). Clicking a row of the map, or a bar, makes that position the flow's query.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtGui import QAction

from explorer.core.display import encode
from explorer.core.views import ModelInfo
from explorer.gui.i18n import tr

from ..base import Tool, ToolContext
from .compute import FlowResult, RolloutResult, compute_flow, compute_rollout
from .export import FlowExport
from .state import FLOW_MAX_TOKENS, FlowState
from .view import FlowView, reduction_labels

ROLLOUT_KIND, FLOW_KIND = "rollout", "attention-flow"


class FlowTool(Tool):
    name = "flow"
    title = QT_TRANSLATE_NOOP("", "&Flow")  # marked for lupdate; the Tools menu translates it when built

    rollout_shown = Signal(object)  # RolloutResult, once drawn
    flow_shown = Signal(object)  # FlowResult, once drawn

    def __init__(self, context: ToolContext):
        super().__init__(context)
        self.state = FlowState()
        self.rollout: RolloutResult | None = None
        self.flow: FlowResult | None = None
        display = context.display
        self.view = FlowView(display.colormap, display.scale)
        self.export = FlowExport(self)
        self.export_rollout_action = QAction(tr("Export &Rollout…"), context.parent)
        self.export_rollout_action.setToolTip(tr("Export the rollout map as PNG, SVG or PDF, or as NPY, CSV or JSON"))
        self.export_rollout_action.triggered.connect(lambda: self.export.export("rollout"))
        self.export_flow_action = QAction(tr("Export F&low…"), context.parent)
        self.export_flow_action.setToolTip(tr("Export the flow bars as PNG, SVG or PDF, or as NPY, CSV or JSON"))
        self.export_flow_action.triggered.connect(lambda: self.export.export("flow"))
        self._show_controls()
        self._connect()

    # -- the protocol ---------------------------------------------------------------------------------------
    def central(self):
        return self.view

    def actions(self) -> dict[str, list[QAction]]:
        return {"&File": [self.export_rollout_action, self.export_flow_action]}

    def save_state(self) -> dict:
        return self.state.to_dict()

    def check_state(self, data: dict) -> None:
        FlowState.from_dict(data)

    def restore_state(self, data: dict) -> None:
        self.state = FlowState.from_dict(data)
        self._show_controls()
        self.refresh()

    def activated(self) -> None:
        self.refresh()

    def _connect(self) -> None:
        workspace, view, display = self.context.workspace, self.view, self.context.display
        workspace.model_changed.connect(self._on_model)
        workspace.run_changed.connect(lambda _run: self.refresh())
        view.residual.valueChanged.connect(lambda value: self.set_residual(round(value, 4)))
        view.head_reduce.currentIndexChanged.connect(lambda _i: self.set_head_reduce(view.head_reduce.currentData()))
        view.query.valueChanged.connect(self.set_query)
        view.heatmap.cell_clicked.connect(lambda row, _column: self.set_query(row))
        view.bars.position_clicked.connect(self.set_query)
        display.colormap_changed.connect(view.heatmap.set_colormap)
        display.scale_changed.connect(view.heatmap.set_scale)
        display.colours_changed.connect(view.apply_colours)

    # -- what the user does -----------------------------------------------------------------------------------
    def set_residual(self, residual: float) -> None:
        self._change(replace(self.state, residual=float(residual)))

    def set_head_reduce(self, head_reduce: str) -> None:
        self._change(replace(self.state, head_reduce=head_reduce))

    def set_query(self, query: int) -> None:
        self._change(replace(self.state, query=int(query)))

    def _change(self, state: FlowState) -> None:
        state = FlowState.from_dict(state.to_dict())  # checked: a bad value never reaches a job
        if state != self.state:
            self.state = state
            self._show_controls()
            self.refresh()

    # -- asking the run ---------------------------------------------------------------------------------------
    def _tokens(self) -> list[str]:
        run = self.context.workspace.run
        return [] if run is None else run.tokens[self.context.workspace.state.seq]

    def _show_controls(self) -> None:
        state = self.state
        self.view.set_controls(state.residual, state.head_reduce, state.query, len(self._tokens()))

    def refresh(self) -> None:
        """Ask for the rollout and the flow the controls describe, unless they are shown already."""
        workspace, state = self.context.workspace, self.state
        run = workspace.run
        if run is None or not self.view.isVisible():
            return
        self._show_controls()
        seq, run_id = workspace.state.seq, run.request_id
        # The display scale is not part of what is asked: the heatmap re-encodes its pixels when it changes.
        wanted = (run_id, seq, state.residual, state.head_reduce)
        shown = self.rollout
        if shown is None or (shown.run_id, shown.seq, shown.residual, shown.head_reduce) != wanted:
            self.view.set_status(tr("computing the rollout…"))
            scale = self.context.display.scale
            job = lambda r, ctx: compute_rollout(r, seq, run_id, state.residual, state.head_reduce, scale, ctx)  # noqa: E731
            workspace.query(ROLLOUT_KIND, job, self._got_rollout, self._failed)
        self._request_flow(run_id, seq, len(run.tokens[seq]))

    def _request_flow(self, run_id: int, seq: int, n_tokens: int) -> None:
        state = self.state
        if n_tokens > FLOW_MAX_TOKENS:
            self.context.jobs.cancel(FLOW_KIND)
            self.flow = None
            message = tr("Flow is computed up to {limit} tokens (one maximum flow per token); this text has {n}. "
                         "The rollout map above covers any length.")  # fmt: skip
            self.view.bars.show_message(message.format(limit=FLOW_MAX_TOKENS, n=n_tokens))
            return
        query = state.query if state.query < n_tokens else -1  # a query past a shortened text: the last token
        flow, wanted = self.flow, (run_id, seq, state.residual, query)
        if flow is not None and (flow.run_id, flow.seq, flow.residual, flow.asked) == wanted:
            return  # shown already
        job = lambda r, ctx: compute_flow(r, seq, run_id, state.residual, query, ctx)  # noqa: E731
        self.context.workspace.query(FLOW_KIND, job, self._got_flow, self._flow_failed)

    def _got_rollout(self, result: RolloutResult) -> None:
        scale = self.context.display.scale
        if result.scale != scale:  # the scale changed while the job ran: its pixels are on the old one
            pixels = encode(np.nan_to_num(result.matrix), result.reach, scale)
            result = replace(result, pixels=pixels, scale=scale)
        self.rollout = result
        tokens = self._tokens()
        run = self.context.workspace.run
        title = tr("rollout: {reduce}, residual {r:g}").format(
            reduce=reduction_labels()[result.head_reduce], r=result.residual
        )
        pieces = run.pieces[result.seq] if run is not None and run.pieces else None
        matrix = np.nan_to_num(result.matrix)  # masked rows are grey through the pixels; hover reads them so
        self.view.heatmap.show_matrix(matrix, result.pixels, tokens, tokens, title, pieces=pieces, keep_zoom=True)
        self.view.set_status(tr("Rollout R = Â_L ⋯ Â_1: row i is how much of each input token reaches position i"))
        self.rollout_shown.emit(result)

    def _got_flow(self, result: FlowResult) -> None:
        self.flow = result
        try:
            self.view.bars.show_flow(result.values, self._tokens(), result.query)
        except ValueError as error:
            self.view.bars.show_message(str(error))
        self.flow_shown.emit(result)

    def _failed(self, message: str) -> None:
        self.view.set_status("⚠ " + message)

    def _flow_failed(self, message: str) -> None:
        self.view.bars.show_message("⚠ " + message)

    def _on_model(self, _info: ModelInfo) -> None:
        self.context.jobs.cancel(ROLLOUT_KIND)
        self.context.jobs.cancel(FLOW_KIND)
        self.rollout = self.flow = None
        self.view.heatmap.clear_map()
        self.view.bars.show_message(" ")

    def options_described(self) -> dict:
        run = self.context.workspace.run
        return run.options.describe() if run is not None else {}
