"""Page 1, attention pooling: Nadaraya–Watson kernel regression as attention, and its trainable twin.

The non-parametric fit is redrawn as the kernel or the bandwidth moves (a 50 × 50 matrix costs microseconds);
the parametric w is trained as a job whose loss curve and w are drawn live, and which Stop cancels.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton

from explorer.core.plots import LinesView, MatrixView, Series
from explorer.gui.i18n import tr
from explorer.gui.jobs import Progress

from .page import Feed, Page

KERNELS = ("gaussian", "boxcar", "constant", "epanechnikov")
DATA_SETTINGS = ("n", "noise", "seed")


class PoolingPage(Page):
    name = "pooling"

    def __init__(self, tool):
        super().__init__(tool)
        c = self.controls
        self.kernel_names = dict(zip(KERNELS, (tr("Gaussian"), tr("Boxcar"), tr("Constant"), tr("Epanechnikov"))))
        c.choice("kernel", tr("Kernel"), list(self.kernel_names.items()), "gaussian")
        c.log_slider("bandwidth", tr("Bandwidth h"), 0.02, 5.0, 0.5)
        c.integer("n", tr("Training points"), 2, 400, 50)
        c.real("noise", tr("Noise σ"), 0.0, 3.0, 0.5)
        c.integer("seed", tr("Seed"), 0, 99999, 0)
        c.integer("steps", tr("Training steps (w)"), 1, 20000, 300)
        self.train_button, self.stop_button = QPushButton(tr("Train w")), QPushButton(tr("Stop"))
        self.stop_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.train_button)
        buttons.addWidget(self.stop_button)
        self.form.addRow(buttons)
        self.train_button.clicked.connect(self.train)
        self.stop_button.clicked.connect(self.stop)
        self.add_matrix("attention", tr("Attention weights"), 0, 0)
        trained_here = tr("Press “Train w” to learn w from these points: its attention weights appear here.")
        self.add_matrix("parametric", tr("Parametric attention weights"), 0, 1, hint=trained_here)
        self.add_lines("fit", tr("Fit"), 1, 0)
        self.add_lines("loss", tr("Training loss"), 1, 1, hint=tr("Press “Train w”: its loss appears here, live."))
        self.feed = Feed(self, self._draw_training)
        self.model = self._training = None  # the ParametricPooling trained on the current data, if any
        self.history: list[tuple[int, float, float]] = []  # (step, loss, w) of its training so far
        self.formulas.set_formulas(
            [
                (
                    tr("Pooling (queries x, keys xᵢ, values yᵢ)"),
                    "f(x) = Σᵢ α(x, xᵢ) yᵢ\nα(x, xᵢ) = K(uᵢ) / Σⱼ K(uⱼ),  uᵢ = (x − xᵢ) / h",
                ),
                (
                    tr("Kernels"),
                    "Gaussian  K(u) = exp(−u²/2)\nBoxcar  K(u) = 1 if |u| ≤ 1, else 0\n"
                    "Constant  K(u) = 1\nEpanechnikov  K(u) = max(0, 1 − u²)",
                ),
                (
                    tr("Parametric (w learned)"),
                    "α(x, xᵢ) = softmaxᵢ(−((x − xᵢ)·w)² / 2)\nloss = ½·mean((f(xᵢ) − yᵢ)²), leave-one-out",
                ),
                (tr("Data"), "xᵢ ~ U[0, 5] sorted,  yᵢ = 2 sin xᵢ + xᵢ^0.8 + ε,  ε ~ N(0, σ²)"),
            ],
            tr("A narrow bandwidth (or a large w) sharpens the rows: each test point attends to its nearest keys."),
        )

    def data(self):
        from models.lab.foundations import pooling

        v = self.controls.values()
        return pooling.make_data(v["n"], v["noise"], v["seed"])

    def setting_changed(self, name: str) -> None:
        if name in DATA_SETTINGS and (self.model is not None or self.stop_button.isEnabled()):
            self.stop()
            self.model, self.history = None, []  # w was fitted to other data
            self.forget_view("parametric")
            self.forget_view("loss")
        super().setting_changed(name)

    def compute(self) -> None:
        from models.lab.foundations import pooling

        v = self.controls.values()
        x_train, y_train, x_test, y_true = self.data()
        self.forget_view("attention")
        y_pred, attention = pooling.nadaraya_watson(x_train, y_train, x_test, v["kernel"], v["bandwidth"])
        self.show_view(
            "attention",
            self._attention_view(
                "nw-attention",
                attention,
                x_train,
                x_test,
                tr("Attention weights · {kernel}, h = {h:.3g}").format(
                    kernel=self.kernel_names[v["kernel"]], h=v["bandwidth"]
                ),
            ),
        )
        curves = [
            Series(tr("truth"), x_test, y_true, "dashed"),
            Series(tr("samples"), x_train, y_train, "points"),
            Series(tr("Nadaraya–Watson"), x_test, y_pred),
        ]
        if self.model is not None:
            curves.append(
                Series(tr("parametric (w = {w:.3g})").format(w=self.model.w), x_test, self.model.predict(x_test)[0])
            )
        self.show_view("fit", LinesView("nw-fit", tr("Fit against the truth"), "x", "y", tuple(curves)))
        self.say(tr("{n} training points · {m} test points").format(n=len(x_train), m=len(x_test)))

    @staticmethod
    def _attention_view(name: str, attention, x_train, x_test, title: str) -> MatrixView:
        return MatrixView(
            name,
            title,
            attention,
            tr("test point x"),
            tr("training point xᵢ"),
            "α",
            row_ticks=tuple(f"{x:.2f}" for x in x_test),
            column_ticks=tuple(f"{x:.2f}" for x in x_train),
        )

    # -- the parametric version, trained live -----------------------------------------------------------------
    def train(self) -> None:
        from models.lab.foundations import pooling

        try:
            x_train, y_train, _, _ = self.data()
            steps, seed = self.controls.value("steps"), self.controls.value("seed")
            model = self.model or pooling.ParametricPooling(x_train, y_train, seed=seed)
        except ValueError as error:
            self.fail(str(error))
            return
        self._training, first, feed = model, model.step, self.feed
        feed.items = list(self.history)  # a second Train goes on from where the first stopped

        def job(ctx):
            for step, loss, w in model.train(steps):
                feed.items.append((step, loss, w))
                if (step - first) % 25 == 0:
                    yield Progress(step - first, steps, tr("training w"))
            return model

        self.train_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.feed.start()
        self.submit("train", job, self._trained, self._train_failed)

    def stop(self) -> None:
        """Cancel the training job; w keeps the value it reached (the next Train continues from it)."""
        if self.stop_button.isEnabled():
            self.context.jobs.cancel(f"foundations-{self.name}-train")
            self._trained(self._training)

    def _finish(self) -> None:
        self.feed.stop()
        self.train_button.setEnabled(True)
        self.stop_button.setEnabled(False)

    def _trained(self, model) -> None:
        self._finish()
        self.model, self.history = model, list(self.feed.items)
        self.recompute()

    def _train_failed(self, message: str) -> None:
        self._finish()
        self.fail(message)

    def _draw_training(self, items: list) -> None:
        steps = [s for s, _, _ in items]
        losses = [loss for _, loss, _ in items]
        w = items[-1][2]
        view = LinesView(
            "parametric-loss",
            tr("Training loss · w = {w:.4g}").format(w=w),
            tr("step"),
            tr("loss"),
            (Series(tr("leave-one-out loss"), steps, losses),),
        )
        self.show_view("loss", view)
        x_train, _, x_test, _ = self.data()
        from models.lab.foundations import pooling

        attention = pooling.parametric_attention(x_train, x_test, w)
        title = tr("Parametric attention weights · w = {w:.4g}").format(w=w)
        self.show_view("parametric", self._attention_view("parametric-attention", attention, x_train, x_test, title))
