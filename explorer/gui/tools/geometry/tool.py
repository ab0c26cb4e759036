"""The Query–Key tool: BertViz's neuron view of one query and AttentionViz's scatter of one head's queries and keys.

Both are asked of the workspace's current run as jobs, only for the page on screen. The neuron view shows how
q and each k multiply into the scores and the softmax; the scatter projects the head's normalised queries and
keys with PCA, t-SNE or UMAP. Clicking a point outlines its row (a query) or its column (a key) in Maps.
"Pool over a corpus…" shows the head's queries and keys over a corpus's texts instead (pooling.py), sampled.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer, Signal
from PySide6.QtGui import QAction

from explorer.core.display import display_label
from explorer.core.views import ModelInfo
from explorer.gui.i18n import tr

from ..base import Tool, ToolContext
from .compute import NeuronResult, ScatterResult, compute_neuron, compute_pooled, compute_scatter
from .export import ScatterExport
from .pooling import PoolRequest, choose_corpus, remember, remembered, source_text
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
        self.pool = remembered(context.settings)  # the corpus, points and texts "Pool over a corpus…" uses
        self.pooled = False  # whether the scatter asks for the pooled picture rather than the current text's
        self.view = GeometryView()
        self.export = ScatterExport(self)
        self.export_action = QAction(tr("Export Query–Key &Scatter…"), context.parent)
        self.export_action.setToolTip(tr("Export the query–key scatter as PNG, SVG or PDF, or every point as JSON"))
        self.export_action.triggered.connect(self.export.export)
        self._show_controls()
        self._show_pool()
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
        view.pool_button.clicked.connect(self.choose_pool)
        view.pool_points.valueChanged.connect(lambda value: self.set_pool(replace(self.pool, points=value)))
        view.pool_texts.valueChanged.connect(lambda value: self.set_pool(replace(self.pool, texts=value)))
        view.text_button.clicked.connect(self.show_current_text)
        for box in view.range_boxes():
            box.out_of_range.connect(lambda message: self.context.show_status(message, 8000))
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

    def choose_pool(self) -> None:
        path = choose_corpus(self.context.parent, self.pool.path)
        if path:
            self.pool_over(path)

    def pool_over(self, path: str) -> None:
        """Show this head's queries and keys pooled over the corpus at path, on the scatter page; remembered."""
        self.pooled = True
        self.set_pool(replace(self.pool, path=str(path)))
        if self.state.page != "scatter":
            self.state = replace(self.state, page="scatter")
            self._show_controls()
        self.refresh()

    def set_pool(self, pool: PoolRequest) -> None:
        self.pool = pool
        remember(self.context.settings, pool)
        self._show_pool()
        if self.pooled:
            self.refresh()

    def show_current_text(self) -> None:
        self.pooled = False
        self._show_pool()
        self.refresh()

    def _show_pool(self) -> None:
        self.view.show_pool(self.pool.points, self.pool.texts, source_text(self.pool, self.pooled), self.pooled)

    def _pool_key(self) -> tuple | None:
        """What a pooled scatter depends on: the request, the model and the run's options (not the text)."""
        run = self.context.workspace.run
        if not self.pooled or run is None:
            return None
        return (*self.pool.key(), run.model, json.dumps(run.options.describe(), sort_keys=True, default=str))

    def outline_in_maps(self, kind: str, position: int) -> None:
        """A clicked point: its row (a query) or its column (a key), outlined in Maps on this head."""
        if self.scatter is not None and self.scatter.pool is not None:
            self.context.show_status(tr("A pooled point is from a corpus text; Maps shows the current text"), 5000)
            return
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
        shown, method, pool = self.scatter, state.method, self._pool_key()
        if pool is not None:  # the pooled picture does not depend on the text: any run of this model will do
            if shown is None or (shown.pool, shown.layer, shown.head, shown.method) != (pool, layer, head, method):
                self._asking = tr("pooling over {name} with {method}…").format(
                    name=Path(self.pool.path).name, method=method_labels()[method])  # fmt: skip
                self.view.set_status(self._asking)
                job = lambda r, ctx: compute_pooled(r, run_id, layer, head, method, pool, ctx)  # noqa: E731
                workspace.query(SCATTER_KIND, job, self._got_scatter, self._pool_failed)
            return
        if shown is None or (shown.run_id, shown.seq, shown.layer, shown.head, shown.method, shown.pool) != (
            run_id, seq, layer, head, method, None):  # fmt: skip
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
        if result.pool is not None:
            title = f"{title} · {result.sample}"
        try:
            self.view.scatter.show_points(result.coords, result.kinds, result.positions, result.tokens,
                                          self.state.colour_by, title, method_labels()[result.method],
                                          result.text_ids)  # fmt: skip
        except ValueError as error:
            self.view.scatter.clear_points("⚠ " + str(error))
            return
        self.scatter = result
        n, method = len(result.kinds) // 2, method_labels()[result.method]
        if result.pool is not None:
            text = tr("{sample} of {name}, {method}; hover a point for its text, position and token")
            self.view.set_status(text.format(sample=result.sample, name=Path(result.pool[0]).name, method=method))
        else:
            self.view.set_status(tr("{n} queries and {n} keys, {method}; click a point to outline it in Maps")
                                 .format(n=n, method=method))  # fmt: skip
        self.scatter_shown.emit(result)

    def _scatter_ended(self) -> None:
        if self.context.jobs.busy(SCATTER_KIND) or self.view.status.text() != getattr(self, "_asking", None):
            return  # a newer job runs, or this one's result or error is shown
        shown = self.scatter
        if shown is not None and shown.method != self.state.method:
            self.state = replace(self.state, method=shown.method)
            self._show_controls()
        self.pooled = shown is not None and shown.pool is not None  # a cancelled pooling: back to what is shown
        self._show_pool()
        self.view.set_status(tr("Cancelled; the scatter shows what it showed before"))

    def _pool_failed(self, message: str) -> None:
        """A corpus that cannot be pooled (not found, malformed, a text too long): said, and the scatter stays
        what it showed; the next refresh does not ask for the same failure again."""
        shown = self.scatter
        self.pooled = shown is not None and shown.pool is not None
        self._show_pool()
        self._failed(message)

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
