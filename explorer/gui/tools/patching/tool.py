"""The Patching tool: does a head matter? Activation patching of a clean and a corrupted text, its attribution
approximation, and the attribution of the prediction to the tokens, beside the attention they question.

The tool's two texts are the workspace's two sequences (clean first, corrupted second), so the Text dock, Maps
and Heads show them too: a head clicked here opens in Maps on both. Sweeps and attributions are jobs asked of
the workspace's run (its model), cancellable from the status bar or the Cancel button, with progress.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QSplitter

from explorer.core.views import ModelInfo, RunInfo
from explorer.gui.i18n import tr
from models.analysis.patching_templates import TEMPLATES

from ..base import Tool, ToolContext
from ..heads.compute import ScoresResult
from .compute import AttributionResult, SweepRequest, SweepResult, compute_attribution, compute_sweep
from .export import PatchingExport
from .inputs import PatchingInputs, choose
from .results import PatchingResults
from .showing import ResultsPresenter
from .state import HEAD_WHATS, PatchingState

KIND, SCORES_KIND, ATTRIBUTION_KIND = "patching", "patching-scores", "patching-attribution"
TYPING_MS = 400  # the pause after typing in either text before the pair is run
REMEMBERED = ("metric", "what", "direction", "method", "steps")  # QSettings "patching/<name>": the last choices


def template_label(template) -> str:
    return {
        "ioi": tr("Indirect object (IOI): Mary and John"),
        "factual": tr("Factual recall: a landmark's city"),
        "chinese": tr("Chinese: a word's partner seen earlier"),
    }.get(template.name, template.name)


class PatchingTool(Tool):
    name = "patching"
    title = QT_TRANSLATE_NOOP("", "&Patching")
    shared_docks = ("TextDock",)  # the two texts are its sequences; the other docks would take the results' room

    swept = Signal(object)  # SweepResult, once shown
    attributed = Signal(object)  # AttributionResult, once shown

    def __init__(self, context: ToolContext):
        super().__init__(context)
        self.state = self._remembered(PatchingState())
        self.result: SweepResult | None = None
        self.scores: ScoresResult | None = None
        self.attribution: AttributionResult | None = None
        self._pending: str | None = None  # "sweep" or "attribution", waiting for the run of the two texts
        self._typing = QTimer(self, singleShot=True, interval=TYPING_MS)
        self._typing.timeout.connect(self.apply_texts)
        self.inputs = PatchingInputs()
        self.results = PatchingResults(context.display.colormap)
        self.view = QSplitter(Qt.Vertical)
        self.view.addWidget(self.inputs)
        self.view.addWidget(self.results)
        self.view.setStretchFactor(1, 1)
        self.presenter = ResultsPresenter(self)
        self.export = PatchingExport(self)
        self.export_action = QAction(tr("Export &Patching Figure…"), context.parent)
        self.export_action.setToolTip(tr("Export the Patching tool's figure on screen (PNG, SVG, PDF) or its data"))
        self.export_action.triggered.connect(self.export.export_shown)
        self.run_action = QAction(tr("Run Patching &Sweep"), context.parent)
        self.run_action.triggered.connect(self.run_sweep)
        for template in TEMPLATES:
            self.inputs.template.addItem(template_label(template), template.name)
        self.inputs.template.addItem(tr("your own texts"), "")
        self._show_state()
        self._follow_what()
        self._connect()

    # -- the protocol ---------------------------------------------------------------------------------------
    def central(self):
        return self.view

    def actions(self) -> dict[str, list[QAction]]:
        return {"&File": [self.export_action], "&Model": [self.run_action]}

    def save_state(self) -> dict:
        return self._read_inputs().to_dict()

    def check_state(self, data: dict) -> None:
        PatchingState.from_dict(data)

    def restore_state(self, data: dict) -> None:
        self.state = PatchingState.from_dict(data)
        self._show_state()
        self.presenter.forget()
        self._follow_what()

    def activated(self) -> None:
        if self._synced():
            self._on_run(self.context.workspace.run)
        else:
            self.inputs.set_status(
                tr("Press Run sweep (or edit a text) to make these two texts the workspace's sequences 1 and 2")
            )

    def release(self) -> None:
        self._typing.stop()

    # -- construction ---------------------------------------------------------------------------------------
    def _connect(self) -> None:
        workspace, inputs, results = self.context.workspace, self.inputs, self.results
        workspace.run_changed.connect(self._on_run)
        workspace.model_changed.connect(self._on_model)
        self.context.jobs.started.connect(self._on_job_started)
        self.context.jobs.progress.connect(self._on_progress)
        self.context.jobs.ended.connect(self._on_ended)
        inputs.template.activated.connect(lambda _i: self.use_template(inputs.template.currentData()))
        inputs.clean.textEdited.connect(self._edited)
        inputs.corrupt.textEdited.connect(self._edited)
        inputs.clean.returnPressed.connect(self.apply_texts)
        inputs.corrupt.returnPressed.connect(self.apply_texts)
        inputs.run_button.clicked.connect(self.run_sweep)
        inputs.cancel_button.clicked.connect(self.cancel)
        for box in (inputs.metric, inputs.what, inputs.direction, inputs.method):
            box.activated.connect(lambda _i: self._remember())
        inputs.what.activated.connect(lambda _i: self._follow_what())
        results.attribution.run_button.clicked.connect(self.run_attribution)
        results.attribution.steps.valueChanged.connect(lambda _v: self._remember())
        for box in results.attribution.range_boxes():
            box.out_of_range.connect(lambda message: self.context.show_status(message, 8000))
        self.presenter.connect()
        self.export.connect_frames()

    def _follow_what(self) -> None:
        """Before any sweep, the results show the page the chosen sweep will fill."""
        if self.result is None:
            self.results.show_heads_page(self.inputs.what.currentData() in HEAD_WHATS)

    def _remembered(self, state: PatchingState) -> PatchingState:
        settings, values = self.context.settings, {}
        for name in REMEMBERED:
            value = settings.value(f"patching/{name}")
            if value is not None:
                values[name] = int(value) if name == "steps" else str(value)
        try:
            return PatchingState.from_dict({**state.to_dict(), **values})
        except ValueError:  # a settings file from another version: the defaults
            return state

    def _remember(self) -> None:
        self.state = self._read_inputs()
        for name in REMEMBERED:
            self.context.settings.setValue(f"patching/{name}", getattr(self.state, name))

    def _show_state(self) -> None:
        state, inputs = self.state, self.inputs
        inputs.clean.setText(state.clean)
        inputs.corrupt.setText(state.corrupt)
        inputs.answer.setEditText(state.answer)
        inputs.wrong.setEditText(state.wrong)
        for box, key in (
            (inputs.metric, state.metric),
            (inputs.what, state.what),
            (inputs.direction, state.direction),
            (inputs.method, state.method),
        ):
            choose(box, key)
        page = self.results.attribution
        page.steps.setValue(state.steps)
        page.layer.setValue(state.layer)
        page.head.setValue(state.head)
        template = next((t.name for t in TEMPLATES if (t.clean, t.corrupt) == (state.clean, state.corrupt)), "")
        choose(inputs.template, template)

    def _read_inputs(self) -> PatchingState:
        inputs, page = self.inputs, self.results.attribution
        return replace(
            self.state,
            clean=inputs.clean.text(),
            corrupt=inputs.corrupt.text(),
            answer=inputs.picked(inputs.answer),
            wrong=inputs.picked(inputs.wrong),
            metric=inputs.metric.currentData(),
            what=inputs.what.currentData(),
            direction=inputs.direction.currentData(),
            method=inputs.method.currentData(),
            layer=page.layer.value(),
            head=page.head.value(),
            steps=page.steps.value(),
        )

    # -- the texts --------------------------------------------------------------------------------------------
    def use_template(self, name: str) -> None:
        """Fill both texts, the answer and the wrong answer from a template ("" keeps the texts)."""
        template = next((t for t in TEMPLATES if t.name == name), None)
        if template is None:
            return
        self.state = replace(
            self._read_inputs(),
            clean=template.clean,
            corrupt=template.corrupt,
            answer=template.answer,
            wrong=template.wrong,
        )
        self._show_state()
        self.apply_texts()

    def _edited(self, _text: str) -> None:
        choose(self.inputs.template, "")
        self._typing.start()

    def _synced(self) -> bool:
        return list(self.context.workspace.state.texts) == [self.inputs.clean.text(), self.inputs.corrupt.text()]

    def apply_texts(self) -> None:
        """Make the two texts the workspace's sequences, which runs them (tokens, predictions, maps)."""
        self._typing.stop()
        self.state = self._read_inputs()
        if not self.state.clean.strip() or not self.state.corrupt.strip():
            self.inputs.set_status("⚠ " + tr("Both texts are needed: a clean and a corrupted one"))
            return
        if not self._synced():
            self.inputs.set_status(tr("running both texts…"))
            self.context.workspace.set_texts([self.state.clean, self.state.corrupt])
        elif self._pending:
            self._start_pending()

    def _on_run(self, run: RunInfo | None) -> None:
        if run is None or not self._synced() or run.n_sequences != 2:
            return
        clean, corrupt = ([t for t, real in zip(run.tokens[s], run.is_real[s]) if real] for s in (0, 1))
        page = self.results.attribution
        page.layer.setMaximum(run.n_layers - 1)  # the model's heads, no more
        page.head.setMaximum(run.n_heads - 1)
        self.inputs.pairs.show_pair(clean, corrupt)
        if run.next_tokens:
            ids = [token_id for token_id, _piece in run.next_token_pieces[0]] if run.next_token_pieces else None
            self.inputs.set_predictions(run.next_tokens[0], self.state.answer, self.state.wrong, ids)
        result = self.result
        if result is not None and (result.request.clean, result.request.corrupt) == (
            self.inputs.clean.text(),
            self.inputs.corrupt.text(),
        ):
            self.inputs.set_status(self.presenter.summary(result))  # the sweep shown is of these texts
        else:
            self.inputs.set_status(self.presenter.describe_pair(run, clean, corrupt))
        self.presenter.request_scores(run)
        if self._pending:
            self._start_pending()

    def _on_model(self, _info: ModelInfo) -> None:
        self.presenter.forget()
        self.inputs.pairs.clear_pair()

    # -- jobs -------------------------------------------------------------------------------------------------
    def run_sweep(self) -> None:
        self._pending = "sweep"
        self.apply_texts()

    def run_attribution(self) -> None:
        self._pending = "attribution"
        self.apply_texts()

    def cancel(self) -> None:
        self._pending = None
        for kind in (KIND, ATTRIBUTION_KIND):
            self.context.jobs.cancel(kind)

    def _start_pending(self) -> None:
        pending, self._pending = self._pending, None
        workspace, state = self.context.workspace, self._read_inputs()
        self.state = state
        if workspace.model is None:
            self.inputs.set_status("⚠ " + tr("No model is loaded yet; choose one in the Model list"))
            return
        answer, wrong = self.inputs.token(self.inputs.answer), self.inputs.token(self.inputs.wrong)
        if pending == "sweep":
            wrong = None if state.metric == "prob" else wrong
            request = SweepRequest(
                state.clean,
                state.corrupt,
                answer,
                wrong,
                state.metric,
                state.what,
                state.direction,
                state.method,
                workspace.state.options,
            )
            self.inputs.set_running(True)
            self.inputs.set_status(tr("patching…"))
            job = lambda run, ctx: compute_sweep(run, request, ctx)  # noqa: E731
            workspace.query(KIND, job, self.presenter.show_sweep, self.show_failure)
        else:
            target = answer if answer != "" else None
            args = (state.clean, target, state.layer, state.head, state.steps, workspace.state.options)
            self.results.attribution.summary.setText(tr("attributing…"))
            job = lambda run, ctx: compute_attribution(run, *args, ctx)  # noqa: E731
            workspace.query(ATTRIBUTION_KIND, job, self.presenter.show_attribution, self._attribution_failed)

    def show_failure(self, message: str) -> None:
        """A sweep's or a query's error, in the status line (the presenter's jobs report here too)."""
        self.inputs.set_status("⚠ " + message)

    def _attribution_failed(self, message: str) -> None:
        self.results.attribution.summary.setText("⚠ " + message)

    def _on_job_started(self, kind: str) -> None:
        if kind == "run" and self._pending is None:  # a run of other texts: the sweep's result would be dropped
            for mine in (KIND, ATTRIBUTION_KIND):
                if self.context.jobs.busy(mine):
                    self.context.jobs.cancel(mine)
                    self.inputs.set_status(tr("The sweep was stopped: the texts changed"))

    def _on_progress(self, kind: str, progress) -> None:
        if kind in (KIND, ATTRIBUTION_KIND) and progress.message:
            target = self.inputs if kind == KIND else None
            text = f"{progress.message}… {progress.fraction:.0%}"
            if target is not None:
                target.set_status(text)
            else:
                self.results.attribution.summary.setText(text)

    def _on_ended(self, kind: str) -> None:
        if kind == KIND:
            self.inputs.set_running(False)

    def open_head(self, layer: int, head: int) -> None:
        """Show the head's map in Maps, on the clean text (the corrupted one is sequence 2 of the Text dock)."""
        self.context.open_tool(self.name)
        self.presenter.mark(layer, head)
        page = self.results.attribution
        page.layer.setValue(layer)
        page.head.setValue(head)

    def open_in_maps(self, layer: int, head: int) -> None:
        self.presenter.mark(layer, head)
        self.results.attribution.layer.setValue(layer)
        self.results.attribution.head.setValue(head)
        if self._synced():
            self.context.workspace.set_seq(0)
        self.context.open_tool("maps").open_head(layer, head)
        self.context.show_status(
            tr(
                "Maps shows layer {layer} head {head} on the clean text; pick sequence 2 above the map for the "
                "corrupted one"
            ).format(layer=layer, head=head),
            8000,
        )
