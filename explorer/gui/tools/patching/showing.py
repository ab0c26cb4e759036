"""Showing the Patching tool's results: the sweep on its page (positions or heads), the Heads atlas of the clean
text beside a head sweep, the top heads, the agreement of attribution patching, and the Attribution view."""

from __future__ import annotations

import numpy as np

from explorer.core.display import display_label
from explorer.core.plots import LinesView, MatrixView
from explorer.gui.i18n import token_count, tr

from ..heads.atlas import levels_for
from ..heads.compute import compute_scores
from .compute import AttributionResult, SweepResult
from .figures import agreement_view, attribution_view, heads_matrix, positions_view, ranked_heads
from .state import HEAD_WHATS


def symmetric(values: np.ndarray) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    top = max(float(np.abs(finite).max()) if finite.size else 0.0, 1e-6)
    return -top, top


def cell(text: str):
    from PySide6.QtWidgets import QTableWidgetItem

    item = QTableWidgetItem(text)
    return item


class ResultsPresenter:
    def __init__(self, tool):
        self.tool = tool
        self.results = tool.results
        self.figure: MatrixView | LinesView | None = None  # the sweep's figure as shown (exported as is)

    def connect(self) -> None:
        heads = self.results.heads
        for atlas in (heads.atlas, heads.scores_atlas):
            atlas.head_clicked.connect(self.tool.open_in_maps)
            atlas.hovered.connect(lambda text, a=atlas: self._pointer(a, text))  # after the frame's own readout
        heads.top.cellClicked.connect(self._top_clicked)
        heads.score.currentIndexChanged.connect(lambda _i: self.show_scores())
        heads.position.currentIndexChanged.connect(lambda _i: self._show_heads())
        self.results.agreement.worst.cellClicked.connect(self._worst_clicked)
        display = self.tool.context.display
        for atlas in (heads.atlas, heads.scores_atlas):
            display.colormap_changed.connect(atlas.set_colormap)
        display.colormap_changed.connect(self.results.positions.set_colormap)
        for figure in (heads.atlas, heads.scores_atlas, self.results.positions, self.results.agreement.scatter):
            display.colours_changed.connect(figure.apply_colours)  # the light or dark palette, now and later
            figure.apply_colours(*display.colours)

    def forget(self) -> None:
        tool = self.tool
        tool.result = tool.scores = tool.attribution = None
        self.figure = None
        heads = self.results.heads
        heads.atlas.clear_scores()
        heads.scores_atlas.clear_scores()
        heads.top.setRowCount(0)
        self.results.positions.clear_view()
        self.results.attribution.tokens.clear_scores()
        self.results.show_hints()

    # -- the pair ---------------------------------------------------------------------------------------------
    def describe_pair(self, run, clean: list[str], corrupt: list[str]) -> str:
        if len(clean) != len(corrupt):
            return "⚠ " + tr(
                "The clean text has {a}, the corrupted {b}: patching needs the same number of tokens "
                "(the table shows both tokenizations)"
            ).format(a=token_count(len(clean)), b=token_count(len(corrupt)))
        differ = self.tool.inputs.pairs.differing
        if not differ:
            return "⚠ " + tr("The two texts have the same tokens: a corruption must change at least one")
        where = ", ".join(f"{i} {display_label(clean[i])}→{display_label(corrupt[i])}" for i in differ[:6])
        note = tr("{model} · {tokens} each · they differ at {where}").format(
            model=run.model, tokens=token_count(len(clean)), where=where
        )
        if not run.next_tokens:
            note += " · ⚠ " + tr(
                "{model} is not a causal language model: patching and attribution need one (a next-token answer)"
            ).format(model=run.model)
        return note

    def request_scores(self, run) -> None:
        """The Heads tool's scores of the clean text (sequence 1), for the atlas beside a head sweep."""
        run_id = run.request_id
        if self.tool.scores is not None and self.tool.scores.run_id == run_id:
            return
        job = lambda r, ctx: compute_scores(r, 0, run_id, ctx)  # noqa: E731
        self.tool.context.workspace.query("patching-scores", job, self._got_scores, self.tool.show_failure)

    def _got_scores(self, result) -> None:
        self.tool.scores = result
        self.show_scores()

    def show_scores(self) -> None:
        scores, heads = self.tool.scores, self.results.heads
        if scores is None:
            return
        name = heads.score.currentData()
        values = np.asarray(scores.scores[name], dtype=np.float64)
        heads.scores_atlas.show_scores(values, levels_for(name, values), name)
        heads.scores_frame.set_hint("")
        self._fill_top()

    # -- a sweep ----------------------------------------------------------------------------------------------
    def show_sweep(self, result: SweepResult) -> None:
        tool = self.tool
        tool.result = result
        request = result.request
        heads_page = request.what in HEAD_WHATS
        self.results.show_heads_page(heads_page)
        self.results.setCurrentIndex(0)
        try:
            if heads_page:
                labels = [display_label(t) for t in result.tokens_clean] if result.restored.ndim == 3 else []
                self.results.heads.set_positions(labels)
                self._show_heads()
                for frame in (self.results.heads.sweep_frame, self.results.heads.top_frame):
                    frame.set_hint("")
            else:
                self.figure = positions_view(result)
                self.results.positions.show_view(self.figure)
                self.results.positions_frame.set_hint("")
            self._show_agreement(result)
        except ValueError as error:
            tool.inputs.set_status("⚠ " + str(error))
            return
        tool.inputs.set_status(self.summary(result))
        tool.swept.emit(result)

    def summary(self, result: SweepResult) -> str:
        wrong = f" − logit({result.wrong!r})" if result.wrong is not None else ""
        metric = (
            f"logit({result.answer!r}){wrong}" if result.request.metric == "logit_diff" else f"p({result.answer!r})"
        )
        text = tr("{metric}: clean {clean:.3f}, corrupted {corrupt:.3f} · {seconds:.1f} s").format(
            metric=metric, clean=result.metric_clean, corrupt=result.metric_corrupt, seconds=result.seconds
        )
        if result.request.what in HEAD_WHATS:  # a position sweep has no head to click
            text += " · " + tr("click a head to open it in Maps")
        return text

    def _show_heads(self) -> None:
        result = self.tool.result
        if result is None or result.request.what not in HEAD_WHATS:
            return
        from .figures import heads_view

        position = self.results.heads.position.currentData()
        self.figure = heads_view(result, position) if np.isfinite(heads_matrix(result, position)).all() else None
        values = heads_matrix(result, position)
        atlas = self.results.heads.atlas
        atlas.show_scores(values, symmetric(values), tr("restored fraction"))
        self._fill_top()

    def _fill_top(self) -> None:
        result, heads = self.tool.result, self.results.heads
        if result is None or result.request.what not in HEAD_WHATS:
            return
        position = heads.position.currentData()
        values = heads_matrix(result, position)
        approx = (
            None
            if result.approx is None
            else (
                result.approx[:, :, position if position is not None else -1]
                if result.approx.ndim == 3
                else result.approx
            )
        )
        score = None
        if self.tool.scores is not None:
            score = np.asarray(self.tool.scores.scores[heads.score.currentData()])
        top = ranked_heads(values)
        heads.top.setRowCount(len(top))
        for row, (layer, head, value) in enumerate(top):
            texts = [
                str(layer),
                str(head),
                f"{value:.3f}",
                "" if approx is None else f"{approx[layer, head]:.3f}",
                "" if score is None or score.shape != values.shape else f"{score[layer, head]:.3f}",
            ]
            for column, text in enumerate(texts):
                heads.top.setItem(row, column, cell(text))
        heads.top.resizeColumnsToContents()

    def _top_clicked(self, row: int, _column: int) -> None:
        top = self.results.heads.top
        self.tool.open_in_maps(int(top.item(row, 0).text()), int(top.item(row, 1).text()))

    def _worst_clicked(self, row: int, _column: int) -> None:
        result = self.tool.result
        worst = self.results.agreement.worst
        if result is not None and result.request.what in HEAD_WHATS and result.restored.ndim == 2:
            self.tool.open_in_maps(int(worst.item(row, 0).text()), int(worst.item(row, 1).text()))

    def mark(self, layer: int, head: int) -> None:
        for atlas in (self.results.heads.atlas, self.results.heads.scores_atlas):
            if atlas.values is not None:
                atlas.mark(layer, head)

    def _pointer(self, atlas, text: str) -> None:
        """The pointer over either atlas: both readouts name the head's causal effect and its score together."""
        found = atlas.cell_at(atlas.pointer) if text and atlas.pointer is not None else None
        if found is not None:
            self.describe_head(*found)

    def describe_head(self, layer: int, head: int) -> str:
        heads, result, scores = self.results.heads, self.tool.result, self.tool.scores
        parts = [tr("layer {layer} · head {head}").format(layer=layer, head=head)]
        if result is not None and result.request.what in HEAD_WHATS:
            value = heads_matrix(result, heads.position.currentData())[layer, head]
            parts.append(tr("restored {value}").format(value=f"{value:.3f}"))
        if scores is not None:
            name = heads.score.currentData()
            value = scores.scores[name][layer, head]
            parts.append(f"{name} {value:.3f}" if np.isfinite(value) else f"{name} {tr('n/a')}")
        line = " · ".join(parts)
        for frame in (heads.sweep_frame, heads.scores_frame):
            frame.readout.setText(line)
        return line

    # -- agreement and attribution ----------------------------------------------------------------------------
    def _show_agreement(self, result: SweepResult) -> None:
        page = self.results.agreement
        agreement = result.agreement
        if agreement is None:
            page.summary.setText(
                tr("Run a sweep with Method “both” to compare attribution patching with the exact one")
            )
            page.scatter.clear_view()
            page.worst.setRowCount(0)
            page.scatter_frame.set_hint(page.summary.text())
            page.worst_frame.set_hint(page.summary.text())
            return
        r = tr("undefined") if agreement.correlation is None else f"{agreement.correlation:.3f}"
        page.summary.setText(
            tr("Correlation of attribution patching with the exact sweep: r = {r} over {n} patches").format(
                r=r, n=len(agreement.exact)
            )
        )
        page.scatter.show_view(agreement_view(result))
        page.scatter_frame.set_hint("")
        page.worst_frame.set_hint("")
        page.worst.setRowCount(len(agreement.worst))
        for row, (layer, index, exact, approx) in enumerate(agreement.worst):
            for column, text in enumerate((str(layer), str(index), f"{exact:.3f}", f"{approx:.3f}")):
                page.worst.setItem(row, column, cell(text))
        page.worst.resizeColumnsToContents()

    def show_attribution(self, result: AttributionResult) -> None:
        self.tool.attribution = result
        page = self.results.attribution
        page.tokens.show_scores(result.tokens, result.rows, result.scores)
        page.frame.set_hint("")
        error = tr("n/a") if result.completeness_error is None else f"{result.completeness_error:.2%}"
        page.summary.setText(
            tr(
                "Target {target!r} · integrated gradients' completeness error {error} · each row "
                "coloured on its own scale (hover for values)"
            ).format(target=result.target, error=error)
        )
        self.tool.attributed.emit(result)

    def attribution_figure(self) -> MatrixView | None:
        return None if self.tool.attribution is None else attribution_view(self.tool.attribution)
