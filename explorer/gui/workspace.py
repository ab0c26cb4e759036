"""The workspace every tool shares: the model, the texts, the options and the current run.

("Engine" is the Qt-free package models/; a "session" is a saved session file and SessionState its content.)
The workspace lives on the GUI thread and owns the shared part of the SessionState. Whatever needs the engine is a job
on the JobRunner; tools ask for more from the current run with `query`, and get plain data back. Signals
tell the tools when something changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QTimer, Signal

from explorer.core.state import SessionState
from explorer.core.views import ModelInfo, RunInfo
from models.options import RunOptions, divisors
from models.runtime.budget import MemoryBudgetError

from .engine_jobs import EngineJobs
from .i18n import tr
from .jobs import JobContext, JobRunner

log = logging.getLogger(__name__)

TYPING_DEBOUNCE_MS = 150


@dataclass(frozen=True)
class Refused:
    """A run refused before it started (too big for memory): the previous run stays current."""

    message: str


class Workspace(QObject):
    catalogue_changed = Signal(object)  # list[CatalogueEntry]
    loading = Signal(str)  # the name being loaded
    model_changed = Signal(object)  # ModelInfo
    load_failed = Signal(str)
    state_changed = Signal(object)  # SessionState: texts, seq, options or device changed
    run_changed = Signal(object)  # RunInfo: a new run, or another of its sequences to show (state.seq)
    run_failed = Signal(str)
    run_refused = Signal(str)  # a run too big for memory; also sent as run_failed. The message says what to do
    token_selected = Signal(int)  # a token the user picked (in the token strip), for tools to highlight
    typing_settled = Signal()  # the pause after typing ended; sent after its run was submitted

    def __init__(
        self,
        jobs: JobRunner,
        state: SessionState | None = None,
        extra_paths: list[str] | None = None,
        preloaded: Mapping | None = None,
    ):
        """preloaded: models already in memory by catalogue name, taken instead of loading them again."""
        super().__init__()
        self._preloaded = preloaded
        self.jobs = jobs
        self.state = state or SessionState()
        self.extra_paths = list(extra_paths or [])
        self.catalogue: list = []
        self.model: ModelInfo | None = None
        self.run: RunInfo | None = None
        self._engine_jobs = EngineJobs(preloaded)  # used only inside jobs
        self._notes: list[str] = []  # told with the next run's warnings (e.g. options that fell back)
        self._typing = QTimer(self, singleShot=True, interval=TYPING_DEBOUNCE_MS)
        self._typing.timeout.connect(self.rerun)
        self._typing.timeout.connect(self.typing_settled)

    @property
    def typing_pending(self) -> bool:
        """Typing has paused for less than the debounce: a run of the new text is about to be submitted."""
        return self._typing.isActive()

    @property
    def engine_model(self):
        """The engine's loaded models.Model (None before a load), read only: what QA checks compare the window
        against while no job runs (jobs own it; self.model is its plain-data description)."""
        return self._engine_jobs.model

    def release(self) -> None:
        """The window is closing and the job thread has stopped: drop the engine's model and run."""
        self._typing.stop()
        self._engine_jobs = EngineJobs(self._preloaded)
        self.run = None

    # -- catalogue and model ------------------------------------------------------------------------------
    def refresh_catalogue(self) -> None:
        paths = list(self.extra_paths)
        listing = lambda ctx: self._engine_jobs.list_catalogue(paths)  # noqa: E731
        self.jobs.submit("catalogue", listing, self._on_catalogue, self._on_catalogue_error)

    def load_model(self, name: str) -> None:
        """Load in the background; the current model stays usable until the new one is ready."""
        device, paths = self.state.device, list(self.extra_paths)
        self.loading.emit(name)
        self.jobs.submit(
            "load", lambda ctx: self._engine_jobs.load(ctx, name, device, paths), self._on_model, self._on_load_failed
        )

    def set_device(self, device: str) -> None:
        self.state.device = device
        if self.model is not None and device != self.model.device:
            self.jobs.submit("load", lambda ctx: self._engine_jobs.move(device), self._on_model, self.load_failed.emit)

    # -- text and options ---------------------------------------------------------------------------------
    def set_text(self, text: str) -> None:
        """Typing: edit the shown sequence, and run again once the user pauses."""
        texts = list(self.state.texts)
        texts[self.state.seq] = text
        self.state.texts = texts
        self._typing.start()

    def set_texts(self, texts: list[str], source_file: str | None = None) -> None:
        self.state.texts, self.state.seq, self.state.source_file = list(texts), 0, source_file
        self._changed()
        self.rerun()

    def set_options(self, options: RunOptions) -> None:
        if not isinstance(options, RunOptions):
            raise ValueError(f"options: expected RunOptions, got {type(options).__name__}")
        self.state.options = options
        self._changed()
        self.rerun()

    def load_probe(self, length: int, seed: int) -> None:
        """Replace the text with the loaded model's induction probe (built on the job thread), then run it."""
        if self.model is None:
            self.run_failed.emit(tr("probe: no model is loaded yet; choose one in the Model list"))
            return
        self.jobs.submit(
            "probe",
            lambda ctx: self._engine_jobs.probe(length, seed),
            lambda text: self.set_texts([text]),
            self.run_failed.emit,
        )

    def set_seq(self, seq: int) -> None:
        if self.run is not None and 0 <= seq < self.run.n_sequences and seq != self.state.seq:
            self.state.seq = seq
            self._changed()
            self.run_changed.emit(self.run)

    def select_token(self, index: int) -> None:
        self.token_selected.emit(index)

    def restore(self, state: SessionState) -> None:
        """Adopt a checked session: load its model if it differs, then run its text."""
        self.state = replace(state, tools=dict(state.tools))
        if self.model is None or self.model.name != state.model:
            self._changed()
            self.load_model(state.model)
        else:  # the model is here already: options saved for another model are fitted to it now
            self._fit_options_to_model(self.model)
            self._changed()
            self.rerun()

    # -- running ------------------------------------------------------------------------------------------
    def rerun(self) -> None:
        self._typing.stop()
        if self.model is None:
            return
        texts, options = list(self.state.texts), self.state.options

        def job(ctx: JobContext):
            try:
                return self._engine_jobs.run_texts(ctx, texts, options)
            except MemoryBudgetError as error:
                return Refused(str(error))

        self.jobs.submit("run", job, self._on_run, self.run_failed.emit)

    def cancel_run(self) -> None:
        self.jobs.cancel("run")

    def query(
        self,
        kind: str,
        compute: Callable[[object, JobContext], object],
        on_done: Callable[[object], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Ask the current run for more (a map, thumbnails, every head of a layer) as a job of this kind.

        compute(run, ctx) runs on the worker thread with the engine's Run and returns plain data. If a newer
        run replaces the current one before it starts, or before its result arrives, the result is dropped.
        """
        if self.run is None:
            return
        run_id = self.run.request_id

        def job(ctx: JobContext):
            run = self._engine_jobs.current_run(run_id)
            return None if run is None else compute(run, ctx)

        def done(result) -> None:
            if result is not None and self.run is not None and self.run.request_id == run_id:
                on_done(result)

        self.jobs.submit(kind, job, done, on_error or self.run_failed.emit)

    @property
    def is_running(self) -> bool:
        return self.jobs.busy("run")

    # -- results ------------------------------------------------------------------------------------------
    def _on_catalogue(self, entries: list) -> None:
        self.catalogue = entries
        self.catalogue_changed.emit(entries)

    def _on_catalogue_error(self, message: str) -> None:
        log.warning("could not list models: %s", message)  # the list is a convenience: the app goes on
        self._on_catalogue([])

    def _on_model(self, info: ModelInfo) -> None:
        changed = self.model is None or self.model.name != info.name
        self.model = info
        self.state.model = info.name
        if changed:
            self.run = None
            self._fit_options_to_model(info)
        self.model_changed.emit(info)
        self._changed()
        self.rerun()

    def _on_load_failed(self, message: str) -> None:
        self.load_failed.emit(message)
        if self.model is not None and self.state.model != self.model.name:
            # A session named a model that did not load: its texts run on the current model, so the map
            # on screen belongs to the text on screen (and a later save names the model that made it).
            self.state.model = self.model.name
            self._fit_options_to_model(self.model)
            self._changed()
            self.rerun()

    def _fit_options_to_model(self, info: ModelInfo) -> None:
        """Options that cannot apply to this model fall back to its own (e.g. 4 KV heads on a 9-head model).

        Only known once the model is loaded; the next run's warnings say so (the status bar shows them).
        """
        ablate = self.state.options.ablate
        kept = tuple((layer, head) for layer, head in ablate if layer < info.n_layers and head < info.n_heads)
        if kept != ablate:
            self.state.options = replace(self.state.options, ablate=kept)
            note = tr("knockout: {model} lacks {count} of the knocked-out heads; they are no longer knocked out")
            self._notes.append(note.format(model=info.name, count=len(ablate) - len(kept)))
        kv = self.state.options.kv_heads
        if kv is not None and info.n_heads % kv:
            self.state.options = replace(self.state.options, kv_heads=None)
            allowed = ", ".join(map(str, divisors(info.n_heads)))
            note = tr(
                "kv-heads: {kv} does not divide {model}'s {heads} query heads (allowed: {allowed}); "
                "using the model's own {own}"
            ).format(kv=kv, model=info.name, heads=info.n_heads, allowed=allowed, own=info.n_kv_heads)
            log.info(note)
            self._notes.append(note)

    def _on_run(self, info: RunInfo | Refused) -> None:
        if isinstance(info, Refused):
            self.run_refused.emit(info.message)
            self.run_failed.emit(info.message)
            return
        if self._notes:
            info, self._notes = replace(info, warnings=[*self._notes, *info.warnings]), []
        self.run = info
        self.state.seq = min(self.state.seq, info.n_sequences - 1)
        self.run_changed.emit(info)

    def _changed(self) -> None:
        self.state_changed.emit(self.state)
