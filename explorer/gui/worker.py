"""The engine thread: the only place in the app that touches models (and so torch).

Requests arrive as queued signal calls from the controller and carry an id. The controller publishes the
newest id of each kind in `Latest`; a job whose id has been overtaken stops at its next checkpoint (each
dequantized tensor while loading, each layer while running) and a queued one is skipped without starting.
"""

from __future__ import annotations

import logging
import threading
import time

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot

import models
from explorer.core.display import encode
from explorer.core.map_pixels import head_map
from explorer.core.thumbnails import bin_keys, sample_rows
from explorer.core.views import MapRequest, MapResult, ModelInfo, OverviewResult, RunInfo

log = logging.getLogger(__name__)


class Latest:
    """The newest request id of each kind; written by the GUI thread, read by the worker."""

    def __init__(self):
        self._lock = threading.Lock()
        self._ids = {"load": 0, "run": 0, "map": 0, "overview": 0, "layer": 0}

    def next(self, kind: str) -> int:
        with self._lock:
            self._ids[kind] += 1
            return self._ids[kind]

    def cancel(self, kind: str) -> None:
        self.next(kind)  # any job in flight is now stale

    def is_current(self, kind: str, request_id: int) -> bool:
        with self._lock:
            return self._ids[kind] == request_id


def user_message(error: BaseException) -> str:
    if isinstance(error, (ValueError, OSError)):
        return str(error)
    log.exception("unexpected engine error")
    return f"unexpected {type(error).__name__}: {error}"


class EngineWorker(QObject):
    catalogue_ready = Signal(object)  # list[CatalogueEntry]
    load_progress = Signal(int, float, str)  # request id, fraction, message
    model_loaded = Signal(int, object)  # request id, ModelInfo
    load_failed = Signal(int, str)
    load_cancelled = Signal(int)
    run_progress = Signal(int, int, int)  # request id, layers done, layers
    run_finished = Signal(object)  # RunInfo
    run_failed = Signal(int, str)
    map_ready = Signal(object)  # MapResult
    map_failed = Signal(int, str)
    overview_progress = Signal(int, int, int)  # request id, layers done, layers
    overview_ready = Signal(object)  # OverviewResult
    layer_maps_ready = Signal(int, object)  # request id, float32 (H, N, N)

    def __init__(self, latest: Latest):
        super().__init__()
        self.latest = latest
        self.model: models.Model | None = None
        self.run: models.Run | None = None
        self.run_id = 0

    def _progress(self, kind: str, request_id: int, signal):
        """A progress callback that reports through `signal`, and stops the job (models.Cancelled) as soon as
        a newer request of the same kind exists."""

        def report(*values) -> None:
            if not self.latest.is_current(kind, request_id):
                raise models.Cancelled()
            signal.emit(request_id, *values)

        return report

    def _queryable_run(self, kind: str, request_id: int) -> models.Run | None:
        """The current run, or None when the request is stale or there is nothing to query. A superseded run
        was handed to a newer one that was then cancelled: an even newer run is already queued."""
        if self.run is None or self.run.superseded or not self.latest.is_current(kind, request_id):
            return None
        return self.run

    # -- catalogue and loading ---------------------------------------------------------------------------
    @Slot(object)
    def list_catalogue(self, extra_paths) -> None:
        try:
            self.catalogue_ready.emit(models.catalogue(list(extra_paths)))
        except Exception as error:  # the list is a convenience: a broken entry must not stop the app
            log.warning("could not list models: %s", user_message(error))
            self.catalogue_ready.emit([])

    @Slot(int, str, str, object)
    def load_model(self, request_id: int, name: str, device: str, extra_paths) -> None:
        if not self.latest.is_current("load", request_id):
            self.load_cancelled.emit(request_id)  # so the window can hide its progress indicator
            return

        progress = self._progress("load", request_id, self.load_progress)
        try:
            model = models.load(name, device=device, progress=progress, extra_paths=list(extra_paths))
        except models.Cancelled:
            self.load_cancelled.emit(request_id)
            return
        except Exception as error:
            self.load_failed.emit(request_id, user_message(error))
            return
        # Only now is the old model replaced: a failed or cancelled load keeps the user's current one.
        self.model, self.run = model, None
        self.model_loaded.emit(request_id, self.model_info())

    def model_info(self) -> ModelInfo:
        model = self.model
        config = model.config
        return ModelInfo(
            name=model.name,
            architecture=config.architecture,
            n_layers=config.n_layers,
            n_heads=config.n_heads,
            n_kv_heads=config.n_kv_heads,
            n_ctx=config.n_ctx,
            causal=config.causal,
            positional=config.positional,
            rope_theta=config.rope_theta,
            device=model.device.type,
            devices=tuple(models.available_devices()),
            source=f"{model.source.origin}: {model.source.path}",
        )

    @Slot(int, str)
    def set_device(self, request_id: int, device: str) -> None:
        if self.model is None:
            return
        try:
            self.model.to(device)
        except Exception as error:
            self.load_failed.emit(request_id, user_message(error))
            return
        self.run = None
        self.model_loaded.emit(request_id, self.model_info())

    # -- running -------------------------------------------------------------------------------------------
    @Slot(int, object, object)
    def run_texts(self, request_id: int, texts, options) -> None:
        if self.model is None or not self.latest.is_current("run", request_id):
            return

        progress = self._progress("run", request_id, self.run_progress)
        try:
            # Handing over the previous run lets a causal model recompute only what changed at the end.
            run = self.model.run(list(texts), progress=progress, reuse=self.run, **options)
        except models.Cancelled:
            return
        except Exception as error:
            self.run_failed.emit(request_id, user_message(error))
            return
        self.run, self.run_id = run, request_id
        self.run_finished.emit(self.run_info(request_id, run))

    def run_info(self, request_id: int, run: models.Run) -> RunInfo:
        next_tokens = None
        if self.model.is_causal_lm:
            next_tokens = [run.next_tokens(5, seq) for seq in range(run.n_sequences)]
        options = run.options
        return RunInfo(
            request_id=request_id,
            model=self.model.name,
            tokens=run.tokens,
            ids=run.ids,
            special=run.special,
            is_real=run.is_real,
            n_layers=run.n_layers,
            n_heads=run.n_heads,
            kv_heads=run.kv_heads,
            kv_groups=run.kv_groups,
            options=options.describe(),
            layer_ms=list(run.timings.layer_ms),
            total_ms=run.timings.total_ms,
            tokens_per_second=run.timings.tokens_per_second,
            reused_tokens=run.timings.reused_tokens,
            device=run.timings.device,
            next_tokens=next_tokens,
            warnings=list(run.warnings),
        )

    # -- maps ------------------------------------------------------------------------------------------------
    @Slot(int, object)
    def compute_map(self, request_id: int, request: MapRequest) -> None:
        if self._queryable_run("map", request_id) is None:
            return
        started = time.perf_counter()
        try:
            if request.mode == "head":
                matrix, pixels = head_map(self.run, request.layer, request.head, request.seq, request.scale)
            else:
                matrix = (
                    self.run.layer_attention(request.layer, request.seq)
                    if request.mode == "grid"
                    else self.run.mean_attention(request.layer, request.seq)
                )
                pixels = encode(matrix, self.run.visible(request.seq), request.scale)
        except Exception as error:
            self.map_failed.emit(request_id, user_message(error))
            return
        elapsed = (time.perf_counter() - started) * 1000.0
        self.map_ready.emit(MapResult(request_id, self.run_id, request, matrix, pixels, elapsed))

    @Slot(int, int, int)
    def compute_layer(self, request_id: int, layer: int, seq: int) -> None:
        """Every head of one layer, for "export all heads"."""
        if self._queryable_run("layer", request_id) is None:
            return
        try:
            self.layer_maps_ready.emit(request_id, self.run.layer_attention(layer, seq))
        except Exception as error:
            self.map_failed.emit(request_id, user_message(error))

    @Slot(int, int, int)
    def compute_overview(self, request_id: int, seq: int, size: int) -> None:
        """Thumbnails of every layer × head: sampled query rows, key mass summed into bins (linear memory)."""
        run = self._queryable_run("overview", request_id)
        if run is None:
            return
        n = len(run.tokens[seq])
        rows = sample_rows(n, size)
        width = min(n, size)
        thumbnails = np.zeros((run.n_layers, run.n_heads, len(rows), width), dtype=np.float32)
        try:
            for layer in range(run.n_layers):
                if not self.latest.is_current("overview", request_id):
                    return
                for head in range(run.n_heads):
                    thumbnails[layer, head] = bin_keys(run.attention_rows(layer, head, rows, seq), size)
                self.overview_progress.emit(request_id, layer + 1, run.n_layers)
        except Exception as error:
            self.map_failed.emit(request_id, user_message(error))
            return
        self.overview_ready.emit(OverviewResult(request_id, self.run_id, seq, thumbnails))


class EngineThread:
    """Owns the worker's QThread; stop() is safe to call more than once."""

    def __init__(self, latest: Latest):
        self.thread = QThread()
        self.thread.setObjectName("engine")
        self.worker = EngineWorker(latest)
        self.worker.moveToThread(self.thread)
        self.thread.start()

    def stop(self) -> None:
        if self.thread.isRunning():
            self.thread.quit()
            self.thread.wait(10_000)
