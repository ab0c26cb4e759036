"""Page 2, score functions: dot, scaled dot, general, additive and cosine side by side, and why 1/√d matters.

Queries and keys are random N(0, 1) or a real head's captured post-RoPE Q and K from the workspace's current run
(asked of the run as a job). The second view plots the mean row entropy of softmax(QKᵀ) against d, with and
without the 1/√d, and shows both maps at a chosen d.
"""

from __future__ import annotations

import numpy as np

from explorer.core.plots import LinesView, MatrixView, Series
from explorer.gui.i18n import token_count, tr

from .page import Page

KINDS = ("dot", "scaled-dot", "general", "additive", "cosine")
DIMS = tuple(2**e for e in range(1, 11))  # d = 2 … 1024
SCORE_FRAMES = tuple(f"score-{kind}" for kind in KINDS)
SCALE_FRAMES = ("entropy", "unscaled", "scaled")


def compute_scores(q: np.ndarray, k: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    """Each kind's attention weights [n, m] (rows sum to 1), checked finite."""
    from models.lab.foundations import scores

    weights = {kind: scores.score_weights(q, k, kind, seed) for kind in KINDS}
    for kind, matrix in weights.items():
        if not np.isfinite(matrix).all() or not np.allclose(matrix.sum(axis=1), 1.0, atol=1e-6):
            raise ValueError(
                tr("{kind}: the weights are not finite rows summing to 1; nothing is drawn").format(kind=kind)
            )
    return weights


class ScoresPage(Page):
    name = "scores"

    def __init__(self, tool):
        super().__init__(tool)
        c = self.controls
        c.choice("show", tr("Show"), [("scores", tr("The five scores")), ("scale", tr("Why 1/√d"))], "scores")
        c.choice(
            "source",
            tr("Queries and keys"),
            [("random", tr("Random N(0, 1)")), ("model", tr("Loaded model's Q and K"))],
            "random",
        )
        c.integer("n", tr("Queries n"), 1, 128, 12)
        c.integer("m", tr("Keys m"), 1, 128, 12)
        c.integer("d", tr("Dimension d"), 1, 4096, 64)
        c.integer("layer", tr("Layer"), 0, 255, 0)
        c.integer("head", tr("Head"), 0, 255, 0)
        c.integer("seed", tr("Seed"), 0, 99999, 0)
        positions = ((0, 0), (0, 1), (0, 2), (1, 0), (1, 1))
        for kind, (row, column) in zip(KINDS, positions):
            self.add_matrix(f"score-{kind}", kind, row, column)
        self.add_lines("entropy", tr("Row entropy against d"), 0, 0, 2)
        self.add_matrix("unscaled", tr("softmax(QKᵀ)"), 1, 0)
        self.add_matrix("scaled", tr("softmax(QKᵀ/√d)"), 1, 1)
        self.formulas.set_formulas(
            [
                (tr("Attention weights"), "α = softmax(score(q, k)) over the keys"),
                ("dot", "score = q·k"),
                ("scaled dot", "score = q·k / √d"),
                ("general", "score = qᵀ W k,   W ∈ ℝ^{d×d}, Wᵢⱼ ~ N(0, 1/d)"),
                ("additive", "score = vᵀ tanh(W_q q + W_k k)"),
                ("cosine", "score = q·k / (‖q‖ ‖k‖)"),
                (tr("Why 1/√d"), "q, k ~ N(0, I_d) ⇒ Var(q·k) = d\nH = −Σⱼ αⱼ log αⱼ  (0 … log m nats)"),
            ],
            tr("W, W_q, W_k and v are seeded random stand-ins for learned parameters."),
        )
        self.controls.changed.connect(lambda name: name == "show" and self._arrange())
        self.controls.restored.connect(self._arrange)  # a restored session shows the figures of its choice
        self._arrange()

    def _arrange(self) -> None:
        scale = self.controls.value("show") == "scale"
        for key in SCORE_FRAMES:
            self.frames[key].setVisible(not scale)
        for key in SCALE_FRAMES:
            self.frames[key].setVisible(scale)

    def compute(self) -> bool | None:
        v = self.controls.values()
        if v["show"] == "scale":
            self._compute_scale(v)
        elif v["source"] == "model":
            return self._ask_model(v)
        else:
            from models.lab.foundations import scores

            q, k = scores.random_qk(v["n"], v["m"], v["d"], v["seed"])
            self._show_scores(
                compute_scores(q, k, v["seed"]), [f"q{i}" for i in range(v["n"])], [f"k{j}" for j in range(v["m"])]
            )
            self.say(tr("random queries [{n}, {d}] and keys [{m}, {d}]").format(n=v["n"], m=v["m"], d=v["d"]))

    def _ask_model(self, v: dict) -> bool:
        workspace = self.context.workspace
        if workspace.run is None:
            raise ValueError(tr("no run yet: load a model and type a text, or choose random queries and keys"))
        layer, head, seed = v["layer"], v["head"], v["seed"]

        def job(run, ctx):
            from models.lab.foundations import scores

            q, k, labels = scores.captured_qk(run, layer, head)
            return compute_scores(q, k, seed), labels, q.shape[1]

        def done(result) -> None:
            weights, labels, d = result
            self._show_scores(weights, labels, labels)
            note = tr("{model} · layer {layer} · head {head} · {tokens} · d = {d} (post-RoPE, no mask)")
            tokens = token_count(len(labels))
            self.say(note.format(model=workspace.run.model, layer=layer, head=head, tokens=tokens, d=d))
            self.computed.emit()

        self.say(tr("reading the head's Q and K…"))
        workspace.query("foundations-scores-qk", job, done, self.fail)
        return True

    def _show_scores(self, weights: dict, rows: list[str], columns: list[str]) -> None:
        # One colour scale for the five panels: they are there to be compared, and a panel scaled to its own
        # maximum makes cosine's near-uniform 0.07–0.10 look as sharp as dot's 0–0.9.
        top = float(max(max(matrix.max() for matrix in weights.values()), 1e-9))
        for kind, matrix in weights.items():
            view = MatrixView(
                f"scores-{kind}",
                tr("{kind} · attention weights").format(kind=kind),
                matrix,
                tr("query"),
                tr("key"),
                "α",
                levels=(0.0, top),
                row_ticks=tuple(rows),
                column_ticks=tuple(columns),
            )
            self.show_view(f"score-{kind}", view)

    def _compute_scale(self, v: dict) -> None:
        from models.lab.foundations import scores

        n, m, d, seed = v["n"], v["m"], v["d"], v["seed"]
        plain = scores.entropy_against_dimension(DIMS, scaled=False, seed=seed, n=n, m=m)
        scaled = scores.entropy_against_dimension(DIMS, scaled=True, seed=seed, n=n, m=m)
        dims = np.asarray(DIMS, dtype=np.float64)
        curves = (
            Series(tr("softmax(QKᵀ/√d)"), dims, scaled),
            Series(tr("softmax(QKᵀ)"), dims, plain),
            Series(tr("uniform: log m"), dims, np.full(len(DIMS), np.log(m)), "dashed"),
        )
        self.show_view(
            "entropy",
            LinesView(
                "entropy-vs-d",
                tr("Mean row entropy against d ({n} queries, {m} keys)").format(n=n, m=m),
                "d",
                tr("entropy (nats)"),
                curves,
                log_x=True,
            ),
        )
        q, k = scores.random_qk(n, m, d, seed)
        for key, kind, title in (("unscaled", "dot", "softmax(QKᵀ)"), ("scaled", "scaled-dot", "softmax(QKᵀ/√d)")):
            weights = scores.score_weights(q, k, kind)
            entropy = float(scores.row_entropy(weights).mean())
            view = MatrixView(
                f"weights-{kind}-d{d}",
                f"{title} · d = {d} · H = {entropy:.3f}",
                weights,
                tr("query"),
                tr("key"),
                "α",
                levels=(0.0, 1.0),
            )
            self.show_view(key, view)
        self.say(tr("entropy from d = 2 to 1024; the maps use d = {d}").format(d=d))
