"""File → Export Patching Figure… and each figure's Export… button: the sweep (layer × position or layer × head),
the agreement scatter or the attribution table, as a figure (PNG, SVG, PDF) or its numbers (NPY, CSV, JSON).

Every file is written by a job through the shared renderer (explorer/export/plot_figure.py), as the Foundations
tool's figures are: the window stays responsive and the status bar's Cancel stops it before the file is written.
"""

from __future__ import annotations

import textwrap

from explorer.export.plot_figure import suffixes_for

from ...i18n import tr
from ..foundations.export import ViewExport, ViewExportDialog
from .figures import agreement_view, heads_view

CAPTION_CHARS = 90  # a caption line's width in characters: it fits the figure's width at the default size


class PatchingExport(ViewExport):  # writes a view as Foundations does: ViewExport.export_to
    def connect_frames(self) -> None:
        results = self.tool.results
        results.positions_frame.export_requested.connect(lambda: self.export_named("sweep"))
        for frame in (results.heads.sweep_frame, results.heads.top_frame):
            frame.export_requested.connect(lambda: self.export_named("sweep"))
        results.heads.scores_frame.export_requested.connect(lambda: self.export_named("scores"))
        results.agreement.scatter_frame.export_requested.connect(lambda: self.export_named("agreement"))
        results.agreement.worst_frame.export_requested.connect(lambda: self.export_named("agreement"))
        results.attribution.frame.export_requested.connect(lambda: self.export_named("attribution"))

    def figure(self, which: str):
        """The view of one figure, as shown; ValueError when there is none yet."""
        tool = self.tool
        if which == "sweep" and tool.result is not None:
            heads = tool.results.heads
            if tool.result.request.what in ("heads", "pattern", "heads_by_position"):
                return heads_view(tool.result, heads.position.currentData())
            return tool.presenter.figure
        if which == "scores" and tool.scores is not None:
            from explorer.core.plots import MatrixView

            name = tool.results.heads.score.currentData()
            return MatrixView(
                f"patching-heads-{name}",
                tool.results.heads.score.currentText(),
                tool.scores.scores[name],
                tr("layer"),
                tr("head"),
                name,
            )
        if which == "agreement" and tool.result is not None and tool.result.agreement is not None:
            return agreement_view(tool.result)
        if which == "attribution" and tool.attribution is not None:
            return tool.presenter.attribution_figure()
        raise ValueError(tr("Nothing to export yet: run a sweep (or an attribution) first"))

    def shown(self) -> str:
        results = self.tool.results
        return {1: "agreement", 2: "attribution"}.get(results.currentIndex(), "sweep")

    def export_shown(self) -> None:
        self.export_named(self.shown())

    def export_named(self, which: str) -> None:
        try:
            view = self.figure(which)
        except ValueError as error:
            self.context.show_status(str(error), 6000)
            return
        suggested = str(self.folder() / f"{view.name}.png")
        dialog = ViewExportDialog(self.context.parent, suggested, suffixes_for(view))
        dialog.setWindowTitle(tr("Export Patching Figure"))
        dialog.caption.setText(tr("Caption: model, texts, answer and metric"))
        choice = self.ask_choice(dialog)
        if choice is not None:
            style = dict(choice.style)
            self.export_to(choice.path, view, self.caption() if style.pop("caption") else "", **style)

    def caption(self) -> str:
        """The model, the answer and both metrics on one line, the two texts on the next (wrapped: a caption wider
        than the figure runs off both edges)."""
        result, run = self.tool.result, self.context.workspace.run
        model = run.model if run is not None else ""
        state = self.tool.state
        first = model
        if result is not None:
            first += f" · {result.answer!r}" + (f" vs {result.wrong!r}" if result.wrong is not None else "")
            first += f" · {result.metric_clean:.3g} → {result.metric_corrupt:.3g}"
        texts = textwrap.fill(f"{state.clean!r} → {state.corrupt!r}", CAPTION_CHARS)
        return f"{first}\n{texts}"
