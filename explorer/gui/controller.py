"""The controller: owns the ExplorerState, talks to the engine thread, and tells widgets what changed.

Every request carries an id. A result whose id is no longer the newest of its kind is dropped, so a slow
run that was overtaken by typing never reaches the screen.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal

from explorer.core.state import VIEWS, ExplorerState
from explorer.core.views import MapRequest, MapResult, ModelInfo, OverviewResult, RunInfo
from explorer.gui.worker import EngineThread, Latest

log = logging.getLogger(__name__)

TYPING_DEBOUNCE_MS = 150
BUSY_AFTER_MS = 1000  # waits shorter than this show no progress indicator


class Controller(QObject):
    # to the worker (queued across threads)
    _ask_catalogue = Signal(object)
    _ask_load = Signal(int, str, str, object)
    _ask_device = Signal(int, str)
    _ask_run = Signal(int, object, object)
    _ask_map = Signal(int, object)
    _ask_layer = Signal(int, int, int)
    _ask_overview = Signal(int, int, int)

    # to the widgets
    catalogue_changed = Signal(object)  # list[CatalogueEntry]
    loading = Signal(float, str)  # fraction, message
    loading_finished = Signal()
    load_error = Signal(str)
    model_changed = Signal(object)  # ModelInfo
    running = Signal(int, int)  # layers done, layers; only for runs slower than BUSY_AFTER_MS
    running_finished = Signal()
    run_changed = Signal(object)  # RunInfo
    run_error = Signal(str)
    map_changed = Signal(object)  # MapResult
    overview_changed = Signal(object)  # OverviewResult
    overview_progress = Signal(int, int)
    layer_maps_ready = Signal(int, object)  # layer, float32 (H, N, N)
    state_changed = Signal(object)  # ExplorerState

    def __init__(self, state: ExplorerState | None = None, extra_paths: list[str] | None = None):
        super().__init__()
        self.state = state or ExplorerState()
        self.extra_paths = list(extra_paths or [])
        self.model: ModelInfo | None = None
        self.run: RunInfo | None = None
        self.last_map: MapResult | None = None
        self.latest = Latest()
        self._ids = {"load": 0, "run": 0, "map": 0, "overview": 0, "layer": 0}
        self._run_pending = False
        self._layer_export: tuple[int, int] | None = None  # (request id, layer)
        self.display_scale = "linear"  # maps arrive already encoded on this scale

        self.engine = EngineThread(self.latest)
        worker = self.engine.worker
        self._ask_catalogue.connect(worker.list_catalogue)
        self._ask_load.connect(worker.load_model)
        self._ask_device.connect(worker.set_device)
        self._ask_run.connect(worker.run_texts)
        self._ask_map.connect(worker.compute_map)
        self._ask_layer.connect(worker.compute_layer)
        self._ask_overview.connect(worker.compute_overview)
        worker.catalogue_ready.connect(self.catalogue_changed)
        worker.load_progress.connect(self._on_load_progress)
        worker.model_loaded.connect(self._on_model_loaded)
        worker.load_failed.connect(self._on_load_failed)
        worker.load_cancelled.connect(self._on_load_cancelled)
        worker.run_progress.connect(self._on_run_progress)
        worker.run_finished.connect(self._on_run_finished)
        worker.run_failed.connect(self._on_run_failed)
        worker.map_ready.connect(self._on_map_ready)
        worker.map_failed.connect(self._on_map_failed)
        worker.overview_ready.connect(self._on_overview_ready)
        worker.overview_progress.connect(self._on_overview_progress)
        worker.layer_maps_ready.connect(self._on_layer_maps)

        self._typing = QTimer(self, singleShot=True, interval=TYPING_DEBOUNCE_MS)
        self._typing.timeout.connect(self.rerun)
        self._busy = QTimer(self, singleShot=True, interval=BUSY_AFTER_MS)
        self._busy.timeout.connect(lambda: self.running.emit(*self._last_progress))
        self._last_progress = (0, 0)

    def shutdown(self) -> None:
        for kind in self._ids:
            self.latest.cancel(kind)
        self.engine.stop()

    # -- requests ------------------------------------------------------------------------------------------
    def _next(self, kind: str) -> int:
        request_id = self.latest.next(kind)
        self._ids[kind] = request_id
        return request_id

    def refresh_catalogue(self) -> None:
        self._ask_catalogue.emit(list(self.extra_paths))

    def load_model(self, name: str) -> None:
        """Load in the background; the current model stays usable until the new one is ready."""
        self._ask_load.emit(self._next("load"), name, self.state.device, list(self.extra_paths))

    def cancel_load(self) -> None:
        self.latest.cancel("load")

    def set_device(self, device: str) -> None:
        self.state.device = device
        if self.model is not None and device != self.model.device:
            self._ask_device.emit(self._next("load"), device)

    def set_text(self, text: str) -> None:
        """Typing: edit the shown sequence and re-run once the user pauses."""
        texts = list(self.state.texts)
        texts[self.state.seq] = text
        self.state.texts = texts
        self._typing.start()

    def set_texts(self, texts: list[str], source_file: str | None = None) -> None:
        self.state.texts, self.state.seq, self.state.source_file = list(texts), 0, source_file
        self._emit_state()
        self.rerun()

    def set_options(self, options: dict) -> None:
        self.state.options = {k: v for k, v in options.items() if v is not None}
        self._emit_state()
        self.rerun()

    def rerun(self) -> None:
        self._typing.stop()
        if self.model is None:
            return
        self._run_pending = True
        self._ask_run.emit(self._next("run"), list(self.state.texts), dict(self.state.options))
        self._last_progress = (0, self.model.n_layers)
        self._busy.start()

    def set_seq(self, seq: int) -> None:
        if self.run is not None and 0 <= seq < self.run.n_sequences and seq != self.state.seq:
            self.state.seq = seq
            self._emit_state()
            self.request_map()

    def set_view(self, view: str) -> None:
        if view not in VIEWS:
            raise ValueError(f"view: '{view}' is not one of {', '.join(VIEWS)}")
        if view != self.state.view:
            self.state.view = view
            self._emit_state()
            self.request_map()

    def set_layer_head(self, layer: int, head: int) -> None:
        if self.model is None:
            return
        layer = min(max(layer, 0), self.model.n_layers - 1)
        head = min(max(head, 0), self.model.n_heads - 1)
        if (layer, head) != (self.state.layer, self.state.head):
            self.state.layer, self.state.head = layer, head
            self._emit_state()
            self.request_map()

    def step(self, layers: int = 0, heads: int = 0) -> None:
        self.set_layer_head(self.state.layer + layers, self.state.head + heads)

    def request_map(self) -> None:
        if self.run is None:
            return
        s = self.state
        self._ask_map.emit(self._next("map"), MapRequest(s.layer, s.head, s.seq, s.view, self.display_scale))

    def request_overview(self, size: int = 32) -> None:
        if self.run is not None:
            self._ask_overview.emit(self._next("overview"), self.state.seq, size)

    def request_layer_maps(self, layer: int) -> None:
        if self.run is not None:
            request_id = self._next("layer")
            self._layer_export = (request_id, layer)
            self._ask_layer.emit(request_id, layer, self.state.seq)

    def restore(self, state: ExplorerState) -> None:
        """Adopt a saved session: load its model if it differs, then run its text."""
        self.state = replace(state)
        self._emit_state()
        if self.model is None or self.model.name != state.model:
            self.load_model(state.model)
        else:
            self.rerun()

    # -- results ---------------------------------------------------------------------------------------------
    def _current(self, kind: str, request_id: int) -> bool:
        return request_id == self._ids[kind]

    def _on_load_progress(self, request_id: int, fraction: float, message: str) -> None:
        if self._current("load", request_id):
            self.loading.emit(fraction, message)

    def _on_model_loaded(self, request_id: int, info: ModelInfo) -> None:
        if not self._current("load", request_id):
            return
        self.loading_finished.emit()
        changed = self.model is None or self.model.name != info.name
        self.model = info
        self.state.model = info.name
        if changed:
            self._fit_options_to_model(info)
            self.run = None
        self.model_changed.emit(info)
        self._emit_state()
        self.rerun()

    def _fit_options_to_model(self, info: ModelInfo) -> None:
        """Options that cannot apply to the new model fall back to its own (e.g. 3 KV heads on a 12-head model)."""
        options = dict(self.state.options)
        kv = options.get("kv_heads")
        if kv is not None and info.n_heads % kv:
            options.pop("kv_heads")
        self.state.options = options
        self.state.layer = min(self.state.layer, info.n_layers - 1)
        self.state.head = min(self.state.head, info.n_heads - 1)

    def _on_load_failed(self, request_id: int, message: str) -> None:
        if self._current("load", request_id):
            self.loading_finished.emit()
            self.load_error.emit(message)

    def _on_load_cancelled(self, request_id: int) -> None:
        self.loading_finished.emit()

    def _on_run_progress(self, request_id: int, done: int, total: int) -> None:
        if self._current("run", request_id):
            self._last_progress = (done, total)
            if not self._busy.isActive():  # past the quiet second: show it
                self.running.emit(done, total)

    def _on_run_finished(self, info: RunInfo) -> None:
        if not self._current("run", info.request_id):
            return  # overtaken by newer input: never shown
        self._finish_running()
        self.run = info
        self.state.seq = min(self.state.seq, info.n_sequences - 1)
        self.run_changed.emit(info)
        self.request_map()

    def _on_run_failed(self, request_id: int, message: str) -> None:
        if self._current("run", request_id):
            self._finish_running()
            self.run_error.emit(message)

    def _finish_running(self) -> None:
        self._run_pending = False
        self._busy.stop()
        self.running_finished.emit()

    def _on_map_ready(self, result: MapResult) -> None:
        if self._current("map", result.request_id) and self.run is not None and result.run_id == self.run.request_id:
            self.last_map = result
            self.map_changed.emit(result)

    def _on_map_failed(self, request_id: int, message: str) -> None:
        self.run_error.emit(message)

    def _on_overview_ready(self, result: OverviewResult) -> None:
        if (
            self._current("overview", result.request_id)
            and self.run is not None
            and result.run_id == self.run.request_id
        ):
            self.overview_changed.emit(result)

    def _on_overview_progress(self, request_id: int, done: int, total: int) -> None:
        if self._current("overview", request_id):
            self.overview_progress.emit(done, total)

    def _on_layer_maps(self, request_id: int, maps) -> None:
        if self._layer_export and self._layer_export[0] == request_id:
            self.layer_maps_ready.emit(self._layer_export[1], maps)
            self._layer_export = None

    def _emit_state(self) -> None:
        self.state_changed.emit(self.state)

    @property
    def is_running(self) -> bool:
        return self._run_pending
