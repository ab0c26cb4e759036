"""The Heads tool: every head's scores as a layers × heads atlas and a table, head knockout, importance, the lens.

Scores, importance and the lens are asked of the workspace's current run as jobs, only while the tool is on
screen (a hidden tool costs nothing; it catches up when it comes back). Knockout is a run option: toggling a head
changes the workspace's RunOptions.ablate, so the run is made again and every tool and dock follows.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget

from explorer.core.views import ModelInfo, RunInfo
from explorer.export.head_tables import kv_group_of
from explorer.gui.i18n import token_count, tr

from ...widgets.lens_panel import LensPanel
from ..base import Tool, ToolContext
from .atlas import Shown, build_shown
from .compute import ImportanceResult, LensResult, ScoresResult, compute_importance, compute_lens, compute_scores
from .export import AtlasExport
from .state import CHOICES, IMPORTANCE, HeadsState
from .view import HeadsView

KINDS = ("head-scores", "head-importance", "logit-lens")  # this tool's jobs: stopped when a new run starts


class HeadsTool(Tool):
    name = "heads"
    title = QT_TRANSLATE_NOOP("", "&Heads")  # marked for lupdate; the Tools menu translates it when built

    atlas_changed = Signal(object)  # Shown, once drawn
    lens_changed = Signal(object)  # LensResult, once shown

    def __init__(self, context: ToolContext):
        super().__init__(context)
        self.state = HeadsState()
        self.scores: ScoresResult | None = None
        self.importance: ImportanceResult | None = None
        self.lens: LensResult | None = None
        self.shown: Shown | None = None
        self._showing = False  # the table is being filled: its sort signals are not the user's
        self._lens_placed = False
        self._probe_pending = False  # the induction probe was asked for and its run has not come yet
        self.view = HeadsView(context.display.colormap)
        self.lens_panel = LensPanel()
        self.lens_dock = QDockWidget(tr("Logit lens"), context.parent)
        self.lens_dock.setObjectName("LogitLensDock")  # saveState() needs stable names
        self.lens_dock.setWidget(self.lens_panel)
        self.lens_dock.hide()
        self.export = AtlasExport(self)
        self.export_action = QAction(tr("Export Head &Atlas…"), context.parent)
        self.export_action.setToolTip(
            tr("Export the head atlas as PNG, SVG or PDF, or every head's scores as CSV/JSON")
        )
        self.export_action.triggered.connect(self.export.export_atlas)
        self.view.set_choice(self.state.score)
        self._connect()

    # -- the protocol ---------------------------------------------------------------------------------------
    def central(self):
        return self.view

    def docks(self) -> list[QDockWidget]:
        return [self.lens_dock]

    def actions(self) -> dict[str, list[QAction]]:
        return {"&File": [self.export_action]}

    def save_state(self) -> dict:
        return self.state.to_dict()

    def check_state(self, data: dict) -> None:
        HeadsState.from_dict(data)

    def restore_state(self, data: dict) -> None:
        self.state = HeadsState.from_dict(data)
        self.view.set_choice(self.state.score)
        self.refresh()

    def activated(self) -> None:
        if not self._lens_placed:  # the lens is shown with the tool the first time; then as the user left it
            self._lens_placed = True
            self.lens_dock.show()
            if not self.lens_dock.isFloating():  # room for three tokens per layer, not a sliver
                self.context.parent.resizeDocks([self.lens_dock], [330], Qt.Horizontal)
        self.refresh()

    # -- construction ---------------------------------------------------------------------------------------
    def _connect(self) -> None:
        workspace, view = self.context.workspace, self.view
        workspace.model_changed.connect(self._on_model)
        workspace.run_changed.connect(self._on_run)
        workspace.state_changed.connect(lambda _state: self._show_knockouts())
        self.context.jobs.started.connect(self._on_job_started)
        self.context.jobs.progress.connect(self._on_progress)
        view.picker.currentIndexChanged.connect(lambda _i: self.set_score(view.picker.currentData()))
        view.clear_button.clicked.connect(self.clear_knockouts)
        view.atlas.head_clicked.connect(self.open_in_maps)
        view.atlas.knockout_toggled.connect(self.toggle_knockout)
        view.table.head_clicked.connect(self.open_in_maps)
        view.table.knockout_toggled.connect(self.set_knockout)
        view.table.horizontalHeader().sortIndicatorChanged.connect(self._sorted)
        self.lens_dock.visibilityChanged.connect(lambda visible: visible and self.refresh())
        display = self.context.display
        display.colormap_changed.connect(view.atlas.set_colormap)
        display.colours_changed.connect(view.atlas.apply_colours)

    # -- what the user does -----------------------------------------------------------------------------------
    def set_score(self, name: str) -> None:
        if name not in CHOICES:
            raise ValueError(f"score: '{name}' is not one of {', '.join(CHOICES)}")
        if name != self.state.score:
            self.state = replace(self.state, score=name)
            self.view.set_choice(name)
            self.refresh()

    def open_in_maps(self, layer: int, head: int) -> None:
        """Show the head in the Maps tool (through the tool protocol's open_head)."""
        self.view.atlas.mark(layer, head)
        self.context.open_tool("maps").open_head(layer, head)

    def toggle_knockout(self, layer: int, head: int) -> None:
        self.set_knockout(layer, head, (layer, head) not in self.context.workspace.state.options.ablate)

    def set_knockout(self, layer: int, head: int, knocked_out: bool) -> None:
        """Knock a head out (or back in): a run option, so the workspace runs again and everything follows."""
        workspace = self.context.workspace
        heads = set(workspace.state.options.ablate)
        heads = heads | {(layer, head)} if knocked_out else heads - {(layer, head)}
        if heads != set(workspace.state.options.ablate):
            workspace.set_options(replace(workspace.state.options, ablate=tuple(sorted(heads))))

    def clear_knockouts(self) -> None:
        workspace = self.context.workspace
        if workspace.state.options.ablate:
            workspace.set_options(replace(workspace.state.options, ablate=()))

    # -- asking the run ---------------------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self.view.isVisible()

    def refresh(self) -> None:
        """Ask for what is missing for the current run and sequence, if the tool is on screen; show the rest."""
        workspace = self.context.workspace
        run = workspace.run
        if run is None or not self.active:
            return
        seq, run_id = workspace.state.seq, run.request_id
        if not _fresh(self.scores, run_id, seq):
            self.view.set_status(tr("computing head scores…"))
            job = lambda r, ctx: compute_scores(r, seq, run_id, ctx)  # noqa: E731
            workspace.query("head-scores", job, self._got_scores, self._failed)
        elif self.state.score == IMPORTANCE and not _fresh(self.importance, run_id, seq):
            self._request_importance(run, seq)
        else:
            self._show()
        if self.lens_dock.isVisible() and not _fresh(self.lens, run_id, seq):
            self._request_lens(run, seq)

    def _request_importance(self, run: RunInfo, seq: int) -> None:
        workspace, model = self.context.workspace, self.context.workspace.model
        if model is None or not model.causal:
            self._show()
            return
        text, options, run_id = workspace.state.texts[seq], workspace.state.options, run.request_id
        self.view.set_status(tr("knocking out each head in turn…"))
        self.view.atlas.clear_scores()  # the last scan's values belong to another run: none until this scan ends
        job = lambda r, ctx: compute_importance(r, text, options, seq, run_id, ctx)  # noqa: E731
        workspace.query("head-importance", job, self._got_importance, self._failed)

    def _request_lens(self, run: RunInfo, seq: int) -> None:
        model = self.context.workspace.model
        if model is None or not model.causal:
            name = model.name if model else ""
            note = tr("The logit lens reads a causal language model's next-token prediction; {model} is an encoder.")
            self.lens_panel.show_message(note.format(model=name))
            return
        run_id = run.request_id
        self.context.workspace.query(
            "logit-lens", lambda r, ctx: compute_lens(r, seq, run_id), self._got_lens, self.lens_panel.show_message
        )

    def _got_scores(self, result: ScoresResult) -> None:
        self.scores = result
        self.refresh()

    def _got_importance(self, result: ImportanceResult) -> None:
        self.importance = result
        self._show()

    def _got_lens(self, result: LensResult) -> None:
        self.lens = result
        self.lens_panel.show_lens(result.lens)
        self.lens_changed.emit(result)

    def _failed(self, message: str) -> None:
        self.view.set_status("⚠ " + message)

    # -- showing ----------------------------------------------------------------------------------------------
    def _show(self) -> None:
        workspace, run = self.context.workspace, self.context.workspace.run
        if self.scores is None or run is None:
            return
        importance = self.importance if _fresh(self.importance, run.request_id, self.scores.seq) else None
        choice = self.state.score
        if choice == IMPORTANCE and importance is None:
            model = workspace.model
            name = model.name if model else ""
            note = tr("Head importance reads a causal language model's next-token prediction; {model} is an encoder.")
            self.view.set_status(note.format(model=name))
            self.view.atlas.clear_scores()
            return
        shown = build_shown(choice, self.scores, importance)
        table = dict(shown.scores)
        if importance is not None:
            table[IMPORTANCE] = importance.values
        ablate = workspace.state.options.ablate
        self._showing = True
        self.view.atlas.show_scores(shown.values, shown.levels, shown.label)
        self.view.atlas.set_knockouts(ablate)
        self.view.table.show_scores(table, kv_group_of(run.kv_groups, run.n_heads), ablate)
        self.view.table.sort_by(self.state.sort, self.state.ascending)
        self._showing = False
        self.view.set_status(self._describe(run, importance))
        self.shown = shown
        self.atlas_changed.emit(shown)

    def _describe(self, run: RunInfo, importance: ImportanceResult | None) -> str:
        text = tr("{model} · {tokens} · click a head to open it in Maps, Ctrl+click to knock it out")
        text = text.format(model=run.model, tokens=token_count(sum(run.is_real[self.scores.seq])))
        if self._all_na():
            text = self._not_applicable() + " · " + text
        if self.state.score == IMPORTANCE and importance is not None:
            note = tr("target: the model's own top next token {token} (p = {p:.1%})")
            text = note.format(token=repr(importance.target), p=importance.baseline_probability) + " · " + text
        return text

    def _all_na(self) -> bool:
        values = self.scores.scores.get(self.state.score) if self.scores is not None else None
        return values is not None and bool(np.isnan(values).all())

    def _not_applicable(self) -> str:
        if self.state.score == "prefix_matching":
            return tr(
                "⚠ prefix_matching is n/a for every head: no token of this text repeats (try the Induction probe)"
            )
        return tr("⚠ {score} is n/a for every head of this text").format(score=self.state.score)

    def _show_knockouts(self) -> None:
        ablate = self.context.workspace.state.options.ablate
        self.view.atlas.set_knockouts(ablate)
        self.view.table.set_knockouts(ablate)
        self.view.clear_button.setEnabled(bool(ablate))
        count = len(ablate)
        self.view.clear_button.setText(
            tr("Clear knockouts ({count})").format(count=count) if count else tr("Clear knockouts")
        )

    def _sorted(self, _column: int, _order) -> None:
        if not self._showing:
            name, ascending = self.view.table.sort_key()
            self.state = replace(self.state, sort=name, ascending=ascending)

    def _on_model(self, _info: ModelInfo) -> None:
        self.scores = self.importance = self.lens = self.shown = None
        self.view.atlas.clear_scores()
        self.view.table.clear_scores()
        self.lens_panel.show_message(tr("Waiting for the run…"))

    def _on_run(self, _run: RunInfo) -> None:
        if self._probe_pending:  # the probe's text has run: switch to prefix matching with its atlas, not before
            self._probe_pending = False
            self.state = replace(self.state, score="prefix_matching")
            self.view.set_choice(self.state.score)
        self.refresh()

    def _on_job_started(self, kind: str) -> None:
        if kind == "probe":  # the induction probe is made for the induction score: its run shows that
            self._probe_pending = True
        if kind == "run":  # the worker is one thread: a long scan of the old run must not delay the new run
            for mine in KINDS:
                if self.context.jobs.busy(mine):
                    self.context.jobs.cancel(mine)

    def _on_progress(self, kind: str, progress) -> None:
        if kind in KINDS[:2] and progress.message:
            self.view.set_status(f"{progress.message}…")


def _fresh(result, run_id: int, seq: int) -> bool:
    return result is not None and result.run_id == run_id and result.seq == seq
