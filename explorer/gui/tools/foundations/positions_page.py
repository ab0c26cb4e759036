"""Page 3, positional encodings side by side: sinusoidal, learned, RoPE, ALiBi, T5 buckets and 2-D sin-cos.

One encoding at a time, each as two figures with its formulas. Learned positions are the loaded model's own
table (MiniLM's 512 rows, GPT-2's wpe), read from the workspace's current run as a job; any other model gets a
hint saying which to load.
"""

from __future__ import annotations

from explorer.gui.i18n import tr

from . import positions_views as views
from .page import Page


class PositionsPage(Page):
    name = "positions"

    def __init__(self, tool):
        super().__init__(tool)
        c = self.controls
        names = (
            tr("Sinusoidal"),
            tr("Learned (loaded model)"),
            tr("RoPE"),
            tr("ALiBi"),
            tr("T5 buckets"),
            tr("2-D sin-cos"),
        )
        c.choice("kind", tr("Encoding"), list(zip(views.KINDS, names)), "sinusoidal")
        c.integer("length", tr("Positions"), 2, 1024, 64)
        c.integer("dim", tr("Dimension d"), 4, 1024, 64)
        c.flag("cosine", tr("Cosine similarity (else dot product)"), False)
        c.real("theta", tr("RoPE base θ"), 2.0, 10_000_000.0, 10_000.0, decimals=0)
        c.integer("distance", tr("Max relative distance"), 1, 8192, 256)
        c.integer("pair", tr("Pair i"), 0, 511, 0)
        c.integer("heads", tr("Heads"), 1, 64, 8)
        c.integer("head", tr("Head"), 0, 63, 0)
        c.integer("buckets", tr("Buckets"), 4, 256, 32)
        c.integer("max_distance", tr("Max distance"), 2, 4096, 128)
        c.flag("bidirectional", tr("Bidirectional (else causal)"), True)
        c.integer("height", tr("Grid height H"), 1, 64, 14)
        c.integer("width", tr("Grid width W"), 1, 64, 14)
        c.integer("row", tr("Patch row"), 0, 63, 7)
        c.integer("column", tr("Patch column"), 0, 63, 7)
        # Until a model with learned positions is loaded its two figures say so (not empty −1…0 axes); every
        # other figure is drawn at once and titles itself.
        waiting = {"learned": tr("Learned positions"), "learned-similarity": tr("Learned positions: similarity")}
        hint = tr("Drawn from a model with learned positions: choose all-minilm-l6-v2 in the Model list.")
        for kind in views.KINDS:
            first, second = views.FRAMES[kind]
            for key, column in ((first, 0), (second, 1)):
                add = self.add_lines if key in views.LINE_FRAMES else self.add_matrix
                add(key, waiting.get(key, key), 0, column, hint=hint if key in waiting else "")
        self.learned_table = None  # (model name, [P, D]) once read
        self.controls.changed.connect(lambda name: name == "kind" and self._arrange())
        self.controls.restored.connect(self._arrange)  # a restored session shows its encoding's rows and figures
        self.context.workspace.model_changed.connect(self._model_changed)
        self._arrange()

    def _arrange(self) -> None:
        kind = self.controls.value("kind")
        for name, control in self.controls.controls.items():
            if name != "kind":
                self.form.setRowVisible(control.widget, name in views.SETTINGS[kind])
        for frames_kind, keys in views.FRAMES.items():
            for key in keys:
                self.frames[key].setVisible(frames_kind == kind)
        self.formulas.set_formulas(views.formulas(kind))

    def _model_changed(self, _info) -> None:
        self.learned_table = None
        if self.controls.value("kind") == "learned" and self.isVisible():
            self.recompute()

    def compute(self) -> bool | None:
        v = self.controls.values()
        kind = v["kind"]
        keys = views.FRAMES[kind]
        for key in keys:
            self.forget_view(key)
        if kind == "learned":
            return self._learned(v)
        build = {
            "sinusoidal": views.sinusoidal,
            "rope": views.rope,
            "alibi": views.alibi,
            "t5": views.t5,
            "2d-sincos": views.sincos_2d,
        }[kind]
        for key, view in zip(keys, build(v)):
            self.show_view(key, view)
        self.say("")

    def _learned(self, v: dict) -> bool:
        workspace = self.context.workspace
        model = workspace.model
        if model is None or workspace.run is None:
            raise ValueError(
                tr(
                    "Learned positions come from the loaded model: "
                    "load all-minilm-l6-v2 (512 learned positions) or a GPT-2 folder."
                )
            )
        if self.learned_table is not None and self.learned_table[0] == model.name:
            self._show_learned(v)
            return False

        def job(run, ctx):
            from models.lab.foundations import positions

            return run.owner.name, positions.learned(run.owner)

        def failed(message: str) -> None:
            self.fail(
                message
                + " · "
                + tr("Load all-minilm-l6-v2 (512 learned positions) or a GPT-2 folder to see a learned table.")
            )

        self.say(tr("reading {model}'s position embeddings…").format(model=model.name))
        workspace.query("foundations-learned", job, self._got_learned, failed)
        return True

    def _got_learned(self, result) -> None:
        self.learned_table = result
        self._show_learned(self.controls.values())
        self.computed.emit()

    def _show_learned(self, v: dict) -> None:
        name, table = self.learned_table
        for key, view in zip(views.FRAMES["learned"], views.learned(table, name, v)):
            self.show_view(key, view)
        self.say(
            tr("{model}: {n} learned positions of dimension {d}").format(model=name, n=len(table), d=table.shape[1])
        )
