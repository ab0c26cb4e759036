"""The Seq2seq lab tool: train a small encoder-decoder, GRU or GPT live and watch its attention learn to align.

Training is one cancellable generator job ("lab-train") on the shared job thread; its events come back through
the LabHandle's outbox, drained four times a second, so redraws are throttled however fast the steps are. The
map shows a training snapshot (scrubbed with the step slider) or the model's answer to a typed example.
"""

from __future__ import annotations

import json
from dataclasses import replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer, Signal

from explorer.gui.i18n import tr

from ..base import Tool, ToolContext
from .controls import TrainingControls
from .costs import CostsControl
from .export import LabExport
from .maps import MapControl
from .state import Seq2seqState, checked_settings, default_settings
from .view import Seq2seqView

SETTINGS_KEY = "seq2seq/state"


def recalled(text: str) -> Seq2seqState:
    """The state QSettings remembers from the last session (JSON text), or the defaults if none or bad.
    Run as a job: filling in the lab's defaults imports the lab (and torch)."""
    try:
        state = Seq2seqState.from_dict(json.loads(text)) if text else Seq2seqState()
    except (ValueError, TypeError):
        state = Seq2seqState()
    return state if state.settings else replace(state, settings=default_settings())


class Seq2seqTool(Tool):
    name = "seq2seq"
    title = QT_TRANSLATE_NOOP("", "&Seq2seq Lab")  # marked for lupdate; the Tools menu translates it when built
    shared_docks = ()  # it trains its own models on its own data: the workspace's docks would only take room
    shows_run = False  # nothing here is drawn from the workspace's run: never marked stale by it

    map_changed = Signal(object)  # ShownMap, once drawn
    trained = Signal(int)  # a training job ended (finished, paused or stopped) at this step
    costs_changed = Signal(object)  # list of cost rows, once shown

    def __init__(self, context: ToolContext):
        super().__init__(context)
        self.state = Seq2seqState()
        self._filled = self._filling = False  # the form gets the lab's defaults when first shown
        self.view = Seq2seqView(context.display.colormap, context.display.scale)
        self.training = TrainingControls(self)
        self.maps = MapControl(self)
        self.costs = CostsControl(self)
        self.export = LabExport(self)
        self._remembered = QTimer(self, singleShot=True, interval=500)  # QSettings written once edits settle
        self._remembered.timeout.connect(self._remember)
        form = self.view.form
        form.edited.connect(self._on_edit)
        display = context.display
        display.colormap_changed.connect(self.view.heatmap.set_colormap)
        display.scale_changed.connect(self.view.heatmap.set_scale)
        display.colours_changed.connect(self.view.heatmap.apply_colours)
        display.colours_changed.connect(self.view.curves.apply_colours)
        self.view.heatmap.apply_colours(*display.colours)
        self.view.curves.apply_colours(*display.colours)

    # -- the protocol ---------------------------------------------------------------------------------------
    def central(self):
        return self.view

    def save_state(self) -> dict:
        """The lab's state; {} while it was never opened nor restored: a session then holds nothing of the lab,
        and reopening it leaves the lab to fill in its remembered settings when first shown."""
        if not self._filled:
            return {}
        return self._current_state().to_dict()

    def check_state(self, data: dict) -> None:
        Seq2seqState.from_dict(data)

    def restore_state(self, data: dict) -> None:
        if data:  # {}: the session was saved before the lab was opened; nothing of the lab to restore
            self._apply(Seq2seqState.from_dict(data))

    def may_close(self) -> bool:
        return self.training.checkpoints.may_close()

    def activated(self) -> None:
        if not self._filled and not self._filling:
            self._filling = True  # the lab's defaults import torch: on the job thread, never on this one
            self.view.set_status(tr("Loading the lab…"))
            text = str(self.context.settings.value(SETTINGS_KEY, "") or "")
            self.context.jobs.submit("lab-defaults", lambda ctx: recalled(text), self._apply, self._not_filled)
        self.costs.refresh_model()

    @property
    def form_filled(self) -> bool:
        """Whether the form holds the lab's defaults yet (a job fills it when the lab is first shown)."""
        return self._filled

    def _not_filled(self, message: str) -> None:
        self._filling = False
        self.view.set_status("⚠ " + message)

    # -- settings -------------------------------------------------------------------------------------------
    def settings(self) -> dict | None:
        """The form's settings, checked; None (with the problem shown on its field) when they are not valid."""
        values = self.view.form.values()
        try:
            settings = checked_settings(values)
        except ValueError as error:
            message = str(error)
            self.view.form.show_problem(message, message.split(":", 1)[0].strip())
            return None
        self.view.form.show_problem("")
        return settings

    def _on_edit(self, name: str) -> None:
        values = self.view.form.values()
        if name == "system":  # each system has its own tuned sizes: a fresh start from them
            values = default_settings(values["system"], values["task"])
            self.view.form.set_values(values)
        self.settings()
        self.training.show_model()  # the form may no longer describe the model
        self._remembered.start()

    def _current_state(self) -> Seq2seqState:
        picker, costs = self.view.picker, self.view.costs
        return replace(
            self.state,
            settings=self.view.form.values() if self._filled else self.state.settings,
            kind=picker.current_kind or self.state.kind,
            layer=picker.current_layer,
            head=self.state.head if picker.current_head is None else picker.current_head,
            example=self.view.examples.text(),
            context=costs.context.value(),
            cache_bytes=costs.cache.currentData(),
        )

    def _apply(self, state: Seq2seqState) -> None:
        settings = state.settings or default_settings()
        self.state = replace(state, settings=settings)
        self._filled, self._filling = True, False
        self.view.form.set_values(settings)  # the form greys out what this system does not use
        self.view.form.show_problem("")
        self.view.picker.choose(state.kind, state.layer, state.head)
        self.view.examples.source.setEditText(state.example)
        self.view.costs.set_context(state.context, state.cache_bytes)
        self.training.show_model()
        if self.training.phase == "idle":
            self.view.set_status(tr("Choose settings and press Start."))

    def _remember(self) -> None:
        self.context.settings.setValue(SETTINGS_KEY, json.dumps(self._current_state().to_dict()))

    def remember_soon(self) -> None:
        self._remembered.start()
