"""The Maps tool: one head's attention map (or the layer's mean, or all its heads), stepped through by key.

It asks the shared session's current run for maps as jobs, and draws what comes back. Which layer and head
it shows is its own state, saved in the session file.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget

from explorer.core.display import encode, visible_of
from explorer.core.views import MapRequest, MapResult, ModelInfo, OverviewResult, RunInfo

from ...widgets.overview import OverviewFigure
from ..base import Tool, ToolContext
from .compute import compute_map, compute_overview
from .export import MapsExport
from .state import VIEWS, MapsState
from .view import MapsView

OVERVIEW_SIZE = 32  # thumbnail side in cells


class MapsTool(Tool):
    name = "maps"
    title = "&Maps"

    map_changed = Signal(object)  # MapResult, once drawn
    overview_changed = Signal(object)  # OverviewResult, once drawn
    state_changed = Signal(object)  # MapsState

    def __init__(self, context: ToolContext):
        super().__init__(context)
        self.state = MapsState()
        self.last_map: MapResult | None = None
        display = context.display
        self.view = MapsView(display.colormap, display.scale)
        self.overview = OverviewFigure(colormap=display.colormap)
        self.overview_dock = QDockWidget("Overview: all layers × heads", context.parent)
        self.overview_dock.setObjectName("OverviewDock")  # saveState() needs stable names
        self.overview_dock.setWidget(self.overview)
        self.overview_dock.hide()
        self._overview_sized = False
        self.export = MapsExport(self)
        self.view.key_handler = self.handles_key
        self.overview.installEventFilter(self.view)
        self._build_actions()
        self._connect()

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
        session = self.context.session
        if session.model is not None and session.model.name == session.state.model:
            self._set_state(state.clamped(session.model.n_layers, session.model.n_heads))
        else:  # the session's model is still loading: its shape clamps the state once it is there
            self.state = state

    # -- construction ---------------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        parent = self.context.parent
        self.export_action = QAction("&Export…", parent, shortcut=QKeySequence("Ctrl+E"))
        self.export_action.setToolTip("Export the map on screen as PNG, SVG, NPY or CSV")
        self.export_action.triggered.connect(self.export.export_current)
        self.export_layer_action = QAction("Export &All Heads of This Layer…", parent)
        self.export_layer_action.triggered.connect(self.export.export_layer)

    def _connect(self) -> None:
        session, display, nav = self.context.session, self.context.display, self.view.navigation
        session.loading.connect(self._on_loading)
        session.load_failed.connect(self._on_load_failed)
        session.catalogue_changed.connect(self._on_catalogue)
        session.model_changed.connect(self._on_model)
        session.run_changed.connect(self._on_run)
        session.token_selected.connect(lambda i: self.view.heatmap.highlight(i, i))
        nav.layer_head_changed.connect(self.set_layer_head)
        nav.view_changed.connect(self.set_view)
        nav.seq_changed.connect(session.set_seq)
        self.view.head_grid.head_clicked.connect(lambda head: self.open_head(self.state.layer, head))
        self.overview.head_clicked.connect(self.open_head)
        self.overview_dock.visibilityChanged.connect(self._overview_shown)
        display.colormap_changed.connect(self._set_colormap)
        display.scale_changed.connect(self._set_scale)
        display.colours_changed.connect(self._set_colours)
        self.context.jobs.progress.connect(self._on_progress)

    # -- navigation -----------------------------------------------------------------------------------------
    def set_layer_head(self, layer: int, head: int) -> None:
        model = self.context.session.model
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

    def step(self, layers: int = 0, heads: int = 0) -> None:
        self.set_layer_head(self.state.layer + layers, self.state.head + heads)

    def open_head(self, layer: int, head: int) -> None:
        """Show one head on its own (from the grid, the overview, or another tool)."""
        self.context.open_tool(self.name)
        model = self.context.session.model
        if model is not None:
            self._set_state(MapsState(layer, head, "head").clamped(model.n_layers, model.n_heads))

    def handles_key(self, event) -> bool:
        """Arrow keys walk heads and layers; Home/End jump to the first/last head (with Ctrl: layer)."""
        model, key = self.context.session.model, event.key()
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
        self.state = state
        self.view.navigation.set_position(state.layer, state.head, state.view)
        self.state_changed.emit(state)
        self.request_map()

    # -- asking the run for maps ------------------------------------------------------------------------------
    def request_map(self) -> None:
        session = self.context.session
        if session.run is None:
            return
        s = self.state
        request = MapRequest(s.layer, s.head, session.state.seq, s.view, self.context.display.scale)
        run_id = session.run.request_id
        session.query("map", lambda run, ctx: compute_map(run, request, ctx.job_id, run_id), self._show_map)

    def request_overview(self) -> None:
        session = self.context.session
        if session.run is None:
            return
        seq, run_id = session.state.seq, session.run.request_id
        session.query(
            "overview",
            lambda run, ctx: compute_overview(run, seq, OVERVIEW_SIZE, run_id, ctx.job_id),
            self._show_overview,
        )

    # -- showing results --------------------------------------------------------------------------------------
    def _show_map(self, result: MapResult) -> None:
        run, request = self.context.session.run, result.request
        tokens = run.tokens[request.seq]
        pixels = result.pixels
        scale = self.context.display.scale
        if request.scale != scale:  # the scale changed while the map was being computed
            pixels = encode(result.matrix, visible_of(pixels), scale)
        if request.mode == "grid":
            self.view.show_grid(result.matrix, pixels, run.kv_groups, f"layer {request.layer} · all heads")
        else:
            what = "mean over heads" if request.mode == "mean" else f"head {request.head}"
            self.view.show_head(result.matrix, pixels, tokens, f"layer {request.layer} · {what}")
        if self.overview_dock.isVisible():
            self.overview.mark(request.layer, request.head)
        self.last_map = result
        self.map_changed.emit(result)

    def _show_overview(self, result: OverviewResult) -> None:
        self.overview.show_thumbnails(result.thumbnails)
        self.overview.mark(self.state.layer, self.state.head)
        self.overview_changed.emit(result)

    def _on_loading(self, name: str) -> None:
        if self.context.session.model is None:
            self.view.show_message(f"Loading {name}…")

    def _on_load_failed(self, message: str) -> None:
        if self.context.session.model is None:
            self.view.show_message(f"The model could not be loaded.\n{message}\nChoose another model above.")

    def _on_catalogue(self, entries: list) -> None:
        if self.context.session.model is not None or any(not e.problem for e in entries):
            return
        unusable = "".join(f"\n{e.name}: {e.problem}" for e in entries[:5])
        found = f"\nFound, but unusable:{unusable}" if unusable else ""
        self.view.show_message(
            f"No usable models found.{found}\nInstall the shipped models with `make run`,\n"
            "or use Model → Add Model Folder or GGUF File…"
        )

    def _on_model(self, info: ModelInfo) -> None:
        self.view.navigation.set_shape(info.n_layers, info.n_heads)
        self.state = self.state.clamped(info.n_layers, info.n_heads)
        self.view.navigation.set_position(self.state.layer, self.state.head, self.state.view)
        self.view.show_message(f"Running {info.name}…")

    def _on_run(self, run: RunInfo) -> None:
        self.view.navigation.set_sequences(run.n_sequences, self.context.session.state.seq)
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

    def _set_colours(self, background: str, foreground: str) -> None:
        for figure in (*self.view.figures(), self.overview):
            figure.apply_colours(background, foreground)

    def _on_progress(self, kind: str, progress) -> None:
        if kind == "overview":
            suffix = (
                "" if progress.done >= progress.total else f" (computing {progress.done:g}/{progress.total:g} layers)"
            )
            self.overview_dock.setWindowTitle(f"Overview: all layers × heads{suffix}")
