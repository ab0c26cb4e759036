"""The Maps tool: one head's attention map (or the layer's mean, or all its heads), stepped through by key.

It asks the shared session's current run for maps as jobs, and draws what comes back. Which layer and head
it shows, and how the maps are weighted (attention, or norm-weighted), is its own state, saved in the session
file; the weighting is remembered in the settings too.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget

from explorer.core.display import encode, visible_of
from explorer.core.summary_pixels import block_labels
from explorer.core.views import MapRequest, MapResult, ModelInfo, OverviewResult, RunInfo
from explorer.gui.i18n import tr
from explorer.gui.widgets.layer_kinds import differ, kind_label
from explorer.gui.widgets.summary_layer import reduce_note

from ...widgets.overview import OverviewFigure
from ..base import Tool, ToolContext
from .compute import compute_map, compute_overview
from .cues import MapsCues
from .export import MapsExport
from .lines import MapsLines
from .state import VIEWS, WEIGHTINGS, MapsState
from .summary import MapsSummary
from .view import MapsView

OVERVIEW_SIZE = 32  # thumbnail side in cells


class MapsTool(Tool):
    name = "maps"
    title = QT_TRANSLATE_NOOP("", "&Maps")  # marked for lupdate; the Tools menu translates it when built

    map_changed = Signal(object)  # MapResult, once drawn
    overview_changed = Signal(object)  # OverviewResult, once drawn
    state_changed = Signal(object)  # MapsState

    def __init__(self, context: ToolContext):
        super().__init__(context)
        remembered = str(context.settings.value("maps/weighting", "attention"))
        self.state = MapsState(weighting=remembered if remembered in WEIGHTINGS else "attention")
        self.last_map: MapResult | None = None
        self._shown_key: tuple | None = None  # what the heatmap shows: a new text, model, layer or head resets zoom
        display = context.display
        self.view = MapsView(display.colormap, display.scale)
        self.overview = OverviewFigure(colormap=display.colormap)
        self.overview_dock = QDockWidget(self.overview_title(), context.parent)
        self.overview_dock.setObjectName("OverviewDock")  # saveState() needs stable names
        self.overview_dock.setWidget(self.overview)
        self.overview_dock.hide()
        self._overview_sized = False
        self.export = MapsExport(self)
        self.lines = MapsLines(self)
        self.view.key_handler = self.handles_key
        self.overview.installEventFilter(self.view)
        self.view.set_weighting(self.state.weighting)
        self._build_actions()
        self._connect()
        self.cues = MapsCues(self)
        self.summary = MapsSummary(self)  # maps too long for the screen: block summaries, exact once zoomed in

    # -- the protocol ---------------------------------------------------------------------------------------
    def central(self):
        return self.view

    def docks(self) -> list[QDockWidget]:
        return [self.overview_dock]

    def actions(self) -> dict[str, list[QAction]]:
        return {"&File": [self.export_action, self.export_layer_action]}

    def save_state(self) -> dict:
        return self.state.to_dict()

    def check_state(self, data: dict) -> None:
        MapsState.from_dict(data)

    def restore_state(self, data: dict) -> None:
        state = MapsState.from_dict(data)
        workspace = self.context.workspace
        if workspace.model is not None and workspace.model.name == workspace.state.model:
            shape = workspace.model
            self._set_state(self._fitted(state, shape.n_layers, shape.n_heads, shape.name))
        else:  # the workspace's model is still loading: its shape clamps the state once it is there
            self.state = state
            self.view.set_weighting(state.weighting)

    # -- construction ---------------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        parent = self.context.parent
        self.export_action = QAction(tr("&Export…"), parent, shortcut=QKeySequence("Ctrl+E"))
        self.export_action.setToolTip(tr("Export the map on screen as PNG, SVG, PDF, NPY or CSV"))
        self.export_action.triggered.connect(self.export.export_current)
        self.export_layer_action = QAction(tr("Export &All Heads of This Layer…"), parent)
        self.export_layer_action.triggered.connect(self.export.export_layer)

    def _connect(self) -> None:
        workspace, display, nav = self.context.workspace, self.context.display, self.view.navigation
        workspace.model_changed.connect(self._on_model)
        workspace.run_changed.connect(self._on_run)
        workspace.token_selected.connect(self._token_selected)
        nav.layer_head_changed.connect(self.set_layer_head)
        nav.view_changed.connect(self.set_view)
        self.view.weighting_changed.connect(self.set_weighting)
        nav.seq_changed.connect(workspace.set_seq)
        self.view.head_grid.head_clicked.connect(lambda head: self.open_head(self.state.layer, head))
        self.overview.head_clicked.connect(self.open_head)
        self.overview_dock.visibilityChanged.connect(self._overview_shown)
        display.colormap_changed.connect(self._set_colormap)
        display.scale_changed.connect(self._set_scale)
        display.colours_changed.connect(self._set_colours)

    # -- navigation -----------------------------------------------------------------------------------------
    def set_layer_head(self, layer: int, head: int) -> None:
        model = self.context.workspace.model
        if model is None:
            return
        state = replace(self.state, layer=layer, head=head).clamped(model.n_layers, model.n_heads)
        if state != self.state:
            self._set_state(state)

    def set_view(self, view: str) -> None:
        if view not in VIEWS:
            raise ValueError(f"view: '{view}' is not one of {', '.join(VIEWS)}")
        if view != self.state.view:
            self._set_state(replace(self.state, view=view))

    def set_weighting(self, weighting: str) -> None:
        """ "attention", or "norm": every map A[i, j]·‖v_j W_O^h‖, rows renormalised (Kobayashi et al. 2020)."""
        if weighting not in WEIGHTINGS:
            raise ValueError(f"weighting: '{weighting}' is not one of {', '.join(WEIGHTINGS)}")
        if weighting != self.state.weighting:
            self._set_state(replace(self.state, weighting=weighting))

    def overview_title(self) -> str:
        if self.state.weighting == "norm":
            return tr("Overview: all layers × heads, norm-weighted")
        return tr("Overview: all layers × heads")

    def step(self, layers: int = 0, heads: int = 0) -> None:
        self.set_layer_head(self.state.layer + layers, self.state.head + heads)

    def open_head(self, layer: int, head: int) -> None:
        """Show one head on its own (from the grid, the overview, or another tool)."""
        self.context.open_tool(self.name)
        model = self.context.workspace.model
        if model is not None:
            self._set_state(
                replace(self.state, layer=layer, head=head, view="head").clamped(model.n_layers, model.n_heads)
            )

    def outline(self, layer: int, head: int, row: int | None = None, column: int | None = None) -> None:
        """Open one head and outline one query's row or one key's column (a point clicked in the Query–Key tool's
        scatter); the outline is drawn once that head's map is on screen."""
        self._outline = (layer, head, row, column)
        self.open_head(layer, head)

    def _apply_outline(self, request) -> None:
        layer, head, row, column = getattr(self, "_outline", None) or (None, None, None, None)
        if (layer, head) != (request.layer, request.head) or request.mode != "head":
            return
        self._outline = None
        heatmap = self.view.heatmap
        heatmap.highlight(column if row is None else row, row if column is None else column)
        (heatmap.column_mark if column is None else heatmap.row_mark).hide()

    def handles_key(self, event) -> bool:
        """Arrow keys walk heads and layers; Home/End jump to the first/last head (with Ctrl: layer).

        The heatmap sees keys first: while it is zoomed, Home resets the zoom instead (see MapsView)."""
        model, key = self.context.workspace.model, event.key()
        ctrl = bool(event.modifiers() & Qt.ControlModifier)
        if model is None:
            return False
        s = self.state
        moves = {
            Qt.Key_Left: (s.layer, s.head - 1),
            Qt.Key_Right: (s.layer, s.head + 1),
            Qt.Key_Up: (s.layer - 1, s.head),
            Qt.Key_Down: (s.layer + 1, s.head),
            Qt.Key_Home: (0, s.head) if ctrl else (s.layer, 0),
            Qt.Key_End: (model.n_layers - 1, s.head) if ctrl else (s.layer, model.n_heads - 1),
        }
        if key not in moves:
            return False
        self.set_layer_head(*moves[key])
        return True

    def _set_state(self, state: MapsState) -> None:
        reweighted = state.weighting != self.state.weighting
        self.state = state
        self.view.navigation.set_position(state.layer, state.head, state.view)
        self.view.set_weighting(state.weighting)
        self.state_changed.emit(state)
        self.request_map()
        if reweighted:
            self.context.settings.setValue("maps/weighting", state.weighting)
            self.overview_dock.setWindowTitle(self.overview_title())
            if self.overview_dock.isVisible():
                self.request_overview()

    # -- asking the run for maps ------------------------------------------------------------------------------
    def request_map(self) -> None:
        workspace = self.context.workspace
        if workspace.run is None:
            return
        s = self.state
        if s.view == "lines":
            self.lines.request()
            return
        request = MapRequest(
            s.layer, s.head, workspace.state.seq, s.view, self.context.display.scale, s.weighting,
            pixels=self.summary.pixels(s.view), reduce=self.summary.reduce,
        )  # fmt: skip
        run_id = workspace.run.request_id
        workspace.query("map", lambda run, ctx: compute_map(run, request, ctx.job_id, run_id, ctx), self._show_map)

    def request_overview(self) -> None:
        workspace = self.context.workspace
        if workspace.run is None:
            return
        seq, run_id, weighting = workspace.state.seq, workspace.run.request_id, self.state.weighting
        workspace.query(
            "overview",
            lambda run, ctx: compute_overview(run, seq, OVERVIEW_SIZE, run_id, ctx.job_id, weighting),
            self._show_overview,
        )

    # -- showing results --------------------------------------------------------------------------------------
    def _show_map(self, result: MapResult) -> None:
        run, request = self.context.workspace.run, result.request
        tokens = run.tokens[request.seq]
        pixels = result.pixels
        scale = self.context.display.scale
        if request.scale != scale:  # the scale changed while the map was being computed
            pixels = encode(result.matrix, visible_of(pixels), scale)
        layer = tr("layer {layer}").format(layer=request.layer)
        if differ(run.layer_kinds) and request.layer < len(run.layer_kinds):
            layer = f"{layer} ({kind_label(run.layer_kinds[request.layer])})"
        if request.mode == "grid":
            title = tr("{layer} · all heads").format(layer=layer)
            if request.weighting == "norm":
                title = tr("{layer} · all heads · norm-weighted").format(layer=layer)
            if result.summary:  # each small map in blocks: its labels are the blocks' position ranges
                title, tokens = f"{title} · {reduce_note(request.reduce)}", block_labels(tokens, result.row_edges)
            self.view.show_grid(result.matrix, pixels, run.kv_groups, title, tokens)
        else:
            what = tr("mean over heads") if request.mode == "mean" else tr("head {head}").format(head=request.head)
            if request.weighting == "norm":
                what = tr("{what} · norm-weighted").format(what=what)
            # Zoom is kept only for the same text, model, layer and head (another variant of the same map).
            key = (run.model, tuple(tokens), request.layer, request.head, request.mode, request.seq)
            details = {
                "pieces": run.pieces[request.seq] if request.seq < len(run.pieces) else None,
                "ids": run.ids[request.seq] if request.seq < len(run.ids) else None,
                "keep_zoom": key == self._shown_key,
                "edges": (result.row_edges, result.col_edges) if result.summary else None,
                "reduce": request.reduce,
            }
            self.view.show_head(result.matrix, pixels, tokens, f"{layer} · {what}", **details)
            self._shown_key = key
        self.view.label_colour_bars(request.weighting, scale)
        if not self.context.jobs.busy("run"):
            self.view.set_updating(False)
        if self.overview_dock.isVisible():
            self.overview.mark(request.layer, request.head)
        self._apply_outline(request)
        self.last_map = result
        self.summary.shown(result)
        self.map_changed.emit(result)

    def _token_selected(self, index: int) -> None:
        """A token clicked in the text's strip: outlined in the heatmap, and its query lines pinned."""
        self.view.heatmap.highlight(index, index)
        if 0 <= index < self.view.lines.n_tokens:
            self.view.lines.select(("query", index))

    def _show_overview(self, result: OverviewResult) -> None:
        self.overview.show_thumbnails(result.thumbnails, result.visible)
        self.overview.mark(self.state.layer, self.state.head)
        self.overview_changed.emit(result)

    def _on_model(self, info: ModelInfo) -> None:
        self.view.navigation.set_shape(info.n_layers, info.n_heads)
        self.view.navigation.set_layer_kinds(info.layer_kinds)
        self.state = self._fitted(self.state, info.n_layers, info.n_heads, info.name)
        self.view.navigation.set_position(self.state.layer, self.state.head, self.state.view)
        self.view.show_message(tr("Running {name}…").format(name=info.name))

    def _fitted(self, state: MapsState, n_layers: int, n_heads: int, name: str) -> MapsState:
        """state within the model's shape; a head it lacks (a session saved on a bigger model) is said, not hidden."""
        fitted = state.clamped(n_layers, n_heads)
        if (fitted.layer, fitted.head) != (state.layer, state.head):
            message = tr(
                "Layer {layer}, head {head} is not in {name} ({layers} layers × {heads} heads): showing layer "
                "{shown_layer}, head {shown_head}"
            ).format(layer=state.layer, head=state.head, name=name, layers=n_layers, heads=n_heads,
                     shown_layer=fitted.layer, shown_head=fitted.head)  # fmt: skip
            self.context.show_status(message, 15000)
        return fitted

    def _on_run(self, run: RunInfo) -> None:
        self.view.navigation.set_sequences(run.n_sequences, self.context.workspace.state.seq)
        self.view.navigation.set_layer_kinds(run.layer_kinds)  # this run's: a mask chosen applies to every layer
        self.overview.set_layer_kinds(run.layer_kinds)
        self.request_map()
        if self.overview_dock.isVisible():
            self.request_overview()

    def _overview_shown(self, visible: bool) -> None:
        if not visible:
            return
        if not self._overview_sized and not self.overview_dock.isFloating():
            # The mosaic is tall and narrow (layers × heads): give it a narrow column, not half the window.
            self.context.parent.resizeDocks([self.overview_dock], [260], Qt.Horizontal)
            self._overview_sized = True
        self.request_overview()

    def _set_colormap(self, name: str) -> None:
        for figure in (*self.view.figures(), self.overview):
            figure.set_colormap(name)

    def _set_scale(self, scale: str) -> None:
        for figure in self.view.figures():
            figure.set_scale(scale)
        if self.last_map is not None:
            self.view.label_colour_bars(self.last_map.request.weighting, scale)

    def _set_colours(self, background: str, foreground: str) -> None:
        for figure in (*self.view.figures(), self.overview):
            figure.apply_colours(background, foreground)
