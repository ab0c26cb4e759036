"""The Generate tool: the model writes k tokens from the text, and each step's attention can be scrubbed through.

Generation is one job on the job thread (models: Model.generate), made with the workspace's model, text and run
options (the variant dock), and yielding a Progress per token; Stop cancels it and keeps the steps so far.
Each step's view of the chosen layer and head is computed on the worker and taken from the generation's outbox
when its Progress arrives. Scrubbing, or another layer or head, asks the worker for that step's view again.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtGui import QAction

from explorer.core.views import ModelInfo
from explorer.gui.i18n import token_count, tr

from ..base import Tool, ToolContext
from .compute import Generation, StepInfo, StepView, generate_steps
from .export import GenerationExport
from .state import GenerateState
from .view import GenerateView

KIND, VIEW_KIND = "generate", "generate-view"


class GenerateTool(Tool):
    name = "generate"
    title = QT_TRANSLATE_NOOP("", "&Generate")

    step_shown = Signal(object)  # StepView, once drawn
    finished = Signal(int)  # the number of steps, when a generation ends (done, stopped or failed)

    def __init__(self, context: ToolContext):
        super().__init__(context)
        self.state = GenerateState()
        self.steps: list[StepInfo] = []
        self.current = -1  # the step shown
        self.shown: StepView | None = None
        self.model_name = ""
        self._generation: Generation | None = None  # a handle for jobs; only they touch what it holds
        self._number = 0
        self._decoding = (False, 1.0)  # (sampling, temperature) of the generation shown
        display = context.display
        self.view = GenerateView(display.colormap, display.scale)
        self.view.step_keys = lambda delta: self.set_step(self.current + delta)
        self.export = GenerationExport(self)
        self.row_action = QAction(tr("Export Generation &Row…"), context.parent)
        self.row_action.triggered.connect(lambda: self.export.export("row"))
        self.map_action = QAction(tr("Export Generation Ma&p…"), context.parent)
        self.map_action.triggered.connect(lambda: self.export.export("map"))
        self._apply_state()
        self._connect()

    # -- the protocol ---------------------------------------------------------------------------------------
    def central(self):
        return self.view

    def actions(self) -> dict[str, list[QAction]]:
        return {"&File": [self.row_action, self.map_action]}

    def save_state(self) -> dict:
        return self._state_from_controls().to_dict()

    def check_state(self, data: dict) -> None:
        GenerateState.from_dict(data)

    def restore_state(self, data: dict) -> None:
        self.state = GenerateState.from_dict(data)
        self._apply_state()
        self._request_view()

    def release(self) -> None:
        self._generation = None  # each step's runs, kept for scrubbing back

    def open_head(self, layer: int, head: int) -> None:
        self.view.layer.setValue(layer)
        self.view.head.setValue(head)

    # -- construction ---------------------------------------------------------------------------------------
    def _connect(self) -> None:
        view, jobs, display = self.view, self.context.jobs, self.context.display
        self.context.workspace.model_changed.connect(self._on_model)
        jobs.progress.connect(self._on_progress)
        jobs.ended.connect(self._on_ended)
        view.generate_button.clicked.connect(self.generate)
        view.stop_button.clicked.connect(self.stop)
        view.slider.valueChanged.connect(self.set_step)
        view.layer.valueChanged.connect(lambda _v: self._head_changed())
        view.head.valueChanged.connect(lambda _v: self._head_changed())
        for box in view.range_boxes():
            box.out_of_range.connect(lambda message: self.context.show_status(message, 8000))
        display.colormap_changed.connect(view.heatmap.set_colormap)
        display.scale_changed.connect(self._on_scale)
        display.colours_changed.connect(view.heatmap.apply_colours)
        display.colours_changed.connect(view.row_plot.apply_colours)

    def _apply_state(self) -> None:
        s, v = self.state, self.view
        v.count.setValue(s.count)
        v.sampling.setCurrentIndex(1 if s.sampling else 0)
        v.temperature.setValue(s.temperature)
        v.seed.setValue(s.seed)
        v.layer.setValue(s.layer)
        v.head.setValue(s.head)

    def _state_from_controls(self) -> GenerateState:
        v = self.view
        self.state = replace(
            self.state,
            count=v.count.value(),
            sampling=bool(v.sampling.currentData()),
            temperature=round(v.temperature.value(), 2),
            seed=v.seed.value(),
            layer=v.layer.value(),
            head=v.head.value(),
        )
        return self.state

    # -- generating -----------------------------------------------------------------------------------------
    def generate(self) -> None:
        workspace = self.context.workspace
        if workspace.model is None or workspace.run is None:
            self.view.set_status(tr("No run yet: choose a model and type a text first"))
            return
        if not workspace.model.causal:
            note = tr("{model} is an encoder: only a causal language model writes text")
            self.view.set_status(note.format(model=workspace.model.name))
            return
        s = self._state_from_controls()
        request = {
            "text": workspace.state.texts[workspace.state.seq],
            "count": s.count,
            "temperature": s.temperature if s.sampling else 0.0,
            "seed": s.seed,
            "options": workspace.state.options,
            "layer": s.layer,
            "head": s.head,
            "scale": self.context.display.scale,
        }
        self._number += 1
        self.model_name, self._decoding = workspace.model.name, (s.sampling, s.temperature)
        generation = self._generation = Generation(self._number)
        self.steps, self.current, self.shown = [], -1, None
        self.view.set_steps(0, -1)
        self.view.set_running(True)
        self.view.set_status(tr("generating…"))
        job = lambda run, ctx: generate_steps(run, ctx, generation, request)  # noqa: E731
        workspace.query(KIND, job, lambda _g: self._drain(), self._failed)

    def stop(self) -> None:
        """End the generation after the token being written; the steps so far stay."""
        self.context.jobs.cancel(KIND)
        self._drain()
        self.view.set_running(False)
        self.view.set_status(tr("stopped after {tokens}").format(tokens=token_count(len(self.steps))))

    def _on_progress(self, kind: str, _progress) -> None:
        if kind == KIND:
            self._drain()

    def _on_ended(self, kind: str) -> None:
        if kind == KIND:
            self._drain()
            self.view.set_running(False)
            if self.steps:
                self.view.set_status(self._summary())
            self.finished.emit(len(self.steps))

    def _drain(self) -> None:
        """Take the steps the worker has finished; show the newest if the user is following along."""
        generation = self._generation
        following = self.current == len(self.steps) - 1  # showing the newest step (or none yet): keep up
        newest = None
        while generation is not None and generation.outbox:
            view = generation.outbox.popleft()
            if view.info.step == len(self.steps):
                self.steps.append(view.info)
                newest = view
        if newest is None:
            return
        if following and (newest.layer, newest.head) == (self.view.layer.value(), self.view.head.value()):
            self._show(newest)
        else:
            self.view.set_steps(len(self.steps), self.current)
        if self.context.jobs.busy(KIND):
            total = self.view.count.value()
            self.view.set_status(tr("generating… {done}/{total}").format(done=len(self.steps), total=total))
        else:
            self.view.set_status(self._summary())

    def _failed(self, message: str) -> None:
        self.view.set_running(False)
        self.view.set_status("⚠ " + message)

    # -- showing --------------------------------------------------------------------------------------------
    def set_step(self, step: int) -> None:
        if not self.steps:
            return
        step = min(max(int(step), 0), len(self.steps) - 1)
        if step != self.current:
            self.current = step
            self.view.set_steps(len(self.steps), step)
            self._request_view()

    def _head_changed(self) -> None:
        self._state_from_controls()
        self._request_view()

    def _request_view(self) -> None:
        generation, step = self._generation, self.current
        if generation is None or not 0 <= step < len(self.steps):
            return
        layer, head, scale = self.view.layer.value(), self.view.head.value(), self.context.display.scale
        shown = self.shown
        if shown is not None and (shown.info.step, shown.layer, shown.head) == (step, layer, head):
            return
        job = lambda ctx: generation.view(step, layer, head, scale)  # noqa: E731
        self.context.jobs.submit(VIEW_KIND, job, self._show, self._failed)

    def _show(self, view: StepView) -> None:
        if view.generation != self._number:
            return  # a view of an earlier generation, overtaken
        self.shown, self.current = view, view.info.step
        where = tr("layer {layer} · head {head}").format(layer=view.layer, head=view.head)
        try:
            self.view.row_plot.show_row(
                view.row, view.tokens, tr("{where}: the new token's row").format(where=where), view.row_visible
            )
        except ValueError as error:
            self.view.row_plot.clear_row(str(error))
        self.view.heatmap.show_matrix(view.matrix, view.pixels, view.tokens, view.tokens, where)
        self.view.set_steps(len(self.steps), view.info.step)
        self.view.token.setText(self._describe(view.info))
        self.step_shown.emit(view)

    def _describe(self, info: StepInfo) -> str:
        sampling, temperature = self._decoding
        if sampling:
            chance = tr("p = {p:.1%} at temperature {t:g}").format(p=info.probability, t=temperature)
        else:
            chance = tr("p = {p:.1%} (greedy: the model's own probability)").format(p=info.probability)
        return tr("step {step}: {token} · {chance}").format(step=info.step + 1, token=repr(info.token), chance=chance)

    def _summary(self) -> str:
        """The text written so far, as text: joining the tokens' labels would read 一[佀–使]位(2/2)… for 一位."""
        text = self.steps[-1].text if self.steps else ""
        return tr("{tokens} written: {text}").format(tokens=token_count(len(self.steps)), text=repr(text))

    def options_described(self) -> dict:
        return self.shown.options if self.shown is not None else {}

    def _on_scale(self, scale: str) -> None:
        self.view.heatmap.set_scale(scale)
        self.shown = None  # its pixels are on the old scale
        self._request_view()

    def _on_model(self, info: ModelInfo) -> None:
        self.context.jobs.cancel(KIND)
        self._generation, self.steps, self.current, self.shown = None, [], -1, None
        self.model_name = info.name
        self.view.layer.setRange(0, info.n_layers - 1)
        self.view.head.setRange(0, info.n_heads - 1)
        self.view.set_steps(0, -1)
        self.view.row_plot.clear_row(tr("Generate to see each new token's attention"))
        self.view.heatmap.clear_map()
        self.view.set_status(" ")
        self.view.token.setText(" ")
