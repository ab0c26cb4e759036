"""The Query–Key tool: BertViz's neuron view of one query and AttentionViz's scatter of one head's queries and keys.

Both are asked of the workspace's current run as jobs, only for the page on screen. The neuron view shows how
q and each k multiply into the scores and the softmax; the scatter projects the head's normalised queries and
keys with PCA, t-SNE or UMAP. Clicking a point outlines its row (a query) or its column (a key) in Maps.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer, Signal
from PySide6.QtGui import QAction

from explorer.core.display import display_label
from explorer.core.views import ModelInfo
from explorer.gui.i18n import tr

from ..base import Tool, ToolContext
from .compute import NeuronResult, ScatterResult, compute_neuron, compute_scatter
from .export import ScatterExport
from .state import PAGES, GeometryState
from .view import GeometryView, method_labels

NEURON_KIND, SCATTER_KIND = "neuron-view", "qk-scatter"


class GeometryTool(Tool):
    name = "geometry"
    title = QT_TRANSLATE_NOOP("", "&Query–Key")  # marked for lupdate; the Tools menu translates it when built
    shared_docks = ("TextDock", "VariantDock")  # the text, and the variant (ALiBi, masks, KV heads) the scores show

    neuron_shown = Signal(object)  # NeuronResult, once drawn
    scatter_shown = Signal(object)  # ScatterResult, once drawn

    def __init__(self, context: ToolContext):
        super().__init__(context)
        self.state = GeometryState()
        self.neuron: NeuronResult | None = None
        self.scatter: ScatterResult | None = None
        self.view = GeometryView()
        self.export = ScatterExport(self)
        self.export_action = QAction(tr("Export Query–Key &Scatter…"), context.parent)
        self.export_action.setToolTip(tr("Export the query–key scatter as PNG, SVG or PDF, or every point as JSON"))
        self.export_action.triggered.connect(self.export.export)
        self._show_controls()
        self._connect()

    # -- the protocol ---------------------------------------------------------------------------------------
    def central(self):
        return self.view

    def actions(self) -> dict[str, list[QAction]]:
        return {"&File": [self.export_action]}

    def save_state(self) -> dict:
        return self.state.to_dict()

    def check_state(self, data: dict) -> None:
        GeometryState.from_dict(data)

    def restore_state(self, data: dict) -> None:
        self._change(GeometryState.from_dict(data))

    def activated(self) -> None:
        self.refresh()

    def set_stale(self, stale: bool) -> None:
        super().set_stale(stale)  # the scatter, a pyqtgraph figure
        self.view.strips.set_stale(stale)  # the neuron view paints itself

    def open_head(self, layer: int, head: int) -> None:
        self.context.open_tool(self.name)
        self._change(replace(self.state, layer=int(layer), head=int(head)))

    def _connect(self) -> None:
        workspace, view = self.context.workspace, self.view
        workspace.model_changed.connect(self._on_model)
        workspace.run_changed.connect(lambda _run: self.refresh())
        view.layer.valueChanged.connect(lambda value: self._change(replace(self.state, layer=value)))
        view.head.valueChanged.connect(lambda value: self._change(replace(self.state, head=value)))
        view.query.valueChanged.connect(self.set_query)
        view.method.currentIndexChanged.connect(lambda _i: self.set_method(view.method.currentData()))
        view.colour_by.currentIndexChanged.connect(lambda _i: self.set_colour_by(view.colour_by.currentData()))
        view.tabs.currentChanged.connect(lambda index: self._change(replace(self.state, page=PAGES[index])))
        view.strips.key_clicked.connect(self.set_query)
        view.scatter.point_clicked.connect(self.outline_in_maps)
        self.context.display.colours_changed.connect(view.apply_colours)
        # After the job's own callbacks (ended is sent before them): a scatter job that ended without either was
        # cancelled, and the controls go back to what the scatter shows.
        self.context.jobs.ended.connect(lambda kind: kind == SCATTER_KIND and QTimer.singleShot(0, self._scatter_ended))

    # -- what the user does -----------------------------------------------------------------------------------
    def set_query(self, query: int) -> None:
        self._change(replace(self.state, query=int(query)))

    def set_method(self, method: str) -> None:
        self._change(replace(self.state, method=method))

    def set_colour_by(self, colour_by: str) -> None:
        self._change(replace(self.state, colour_by=colour_by))
        if self.scatter is not None:
            self.view.scatter.set_colour_by(self.state.colour_by)

    def _change(self, state: GeometryState) -> None:
        state = GeometryState.from_dict(state.to_dict())  # checked: a bad value never reaches a job
        model = self.context.workspace.model
        if model is not None:
            state = state.clamped(model.n_layers, model.n_heads)
        if state != self.state:
            self.state = state
            self._show_controls()
            self.refresh()

    def outline_in_maps(self, kind: str, position: int) -> None:
        """A clicked point: its row (a query) or its column (a key), outlined in Maps on this head."""
        maps = self.context.open_tool("maps")
        layer, head = self.state.layer, self.state.head
        if kind == "query":
            maps.outline(layer, head, row=position)
        else:
            maps.outline(layer, head, column=position)

    # -- asking the run ---------------------------------------------------------------------------------------
    def _n_tokens(self) -> int:
        run = self.context.workspace.run
        return 0 if run is None else sum(run.is_real[self.context.workspace.state.seq])

    def _show_controls(self) -> None:
        model = self.context.workspace.model
        n_layers, n_heads = (model.n_layers, model.n_heads) if model is not None else (1, 1)
        self.view.set_controls(self.state, n_layers, n_heads, self._n_tokens())

    def refresh(self) -> None:
        """Ask for what the page on screen shows, unless it is shown already."""
        workspace, state = self.context.workspace, self.state
        run = workspace.run
        if run is None or not self.view.isVisible():
            return
        self._show_controls()
        seq, run_id = workspace.state.seq, run.request_id
        layer, head = state.layer, state.head
        if state.page == "neuron":
            shown, query = self.neuron, state.query if state.query < self._n_tokens() else -1
            if shown is None or (shown.run_id, shown.seq, shown.layer, shown.head, shown.asked) != (
                run_id, seq, layer, head, query):  # fmt: skip
                job = lambda r, ctx: compute_neuron(r, seq, run_id, layer, head, query, ctx)  # noqa: E731
                workspace.query(NEURON_KIND, job, self._got_neuron, self._failed)
            return
        shown, method = self.scatter, state.method
        if shown is None or (shown.run_id, shown.seq, shown.layer, shown.head, shown.method) != (
            run_id, seq, layer, head, method):  # fmt: skip
            self._asking = tr("projecting with {method}…").format(method=method_labels()[method])
            self.view.set_status(self._asking)
            job = lambda r, ctx: compute_scatter(r, seq, run_id, layer, head, method, ctx)  # noqa: E731
            workspace.query(SCATTER_KIND, job, self._got_scatter, self._failed)

    def _got_neuron(self, result: NeuronResult) -> None:
        try:
            self.view.strips.show_terms(result.terms)
        except ValueError as error:
            self.view.strips.show_message("⚠ " + str(error))
            return
        self.neuron = result
        token = display_label(result.terms.tokens[result.terms.query])
        text = tr('layer {layer} · head {head} (KV head {kv}) · query {query} "{token}"')
        where = {"layer": result.layer, "head": result.head, "kv": result.kv_head, "query": result.terms.query}
        self.view.set_status(text.format(token=token, **where))
        self.neuron_shown.emit(result)

    def _got_scatter(self, result: ScatterResult) -> None:
        title = tr("layer {layer} · head {head} · queries and keys").format(layer=result.layer, head=result.head)
        try:
            self.view.scatter.show_points(result.coords, result.kinds, result.positions, result.tokens,
                                          self.state.colour_by, title, method_labels()[result.method])  # fmt: skip
        except ValueError as error:
            self.view.scatter.clear_points("⚠ " + str(error))
            return
        self.scatter = result
        n = len(result.kinds) // 2
        self.view.set_status(tr("{n} queries and {n} keys, {method}; click a point to outline it in Maps").format(
            n=n, method=method_labels()[result.method]))  # fmt: skip
        self.scatter_shown.emit(result)

    def _scatter_ended(self) -> None:
        if self.context.jobs.busy(SCATTER_KIND) or self.view.status.text() != getattr(self, "_asking", None):
            return  # a newer job runs, or this one's result or error is shown
        shown = self.scatter
        if shown is not None and shown.method != self.state.method:
            self.state = replace(self.state, method=shown.method)
            self._show_controls()
        self.view.set_status(tr("Cancelled; the scatter shows what it showed before"))

    def _failed(self, message: str) -> None:
        self.view.set_status("⚠ " + message)
        self.context.show_status(message, 8000)

    def _on_model(self, info: ModelInfo) -> None:
        self.context.jobs.cancel(NEURON_KIND)
        self.context.jobs.cancel(SCATTER_KIND)
        self.neuron = self.scatter = None
        self.state = self.state.clamped(info.n_layers, info.n_heads)
        self._show_controls()
        self.view.strips.show_message(" ")
        self.view.scatter.clear_points()

    def options_described(self) -> dict:
        run = self.context.workspace.run
        return run.options.describe() if run is not None else {}
