"""The Maps tool's Lines view: every head of the layer as lines, asked of the run and exported from the numbers.

The lines come from each head's own map as the heatmap shows it (compute.compute_lines), as one "map" job, so
a lines request and a map request overtake each other as the view changes. Once a layer's lines are here, a
head change (←/→, the head box, a chip) only redraws them. Long texts get a threshold (explorer.core.lines):
0.05 past 256 tokens by default, never below the floor of their length, which the view states.
"""

from __future__ import annotations

from pathlib import Path

from explorer.core.lines import default_threshold, isolate, minimum_threshold
from explorer.core.views import LinesResult, MapRequest
from explorer.export.figure import FIGURE_SUFFIXES
from explorer.export.figure_style import caption_text, default_name, weighting_text
from explorer.export.figure_text import figure_text
from explorer.export.lines_figure import lines_payload, write_lines, write_lines_json

from ...export_dialog import ExportDialog
from ...i18n import tr
from .compute import compute_lines

LINES_SUFFIXES = (*FIGURE_SUFFIXES, ".json")


class MapsLines:
    def __init__(self, tool):
        self.tool, self.context = tool, tool.context
        self.figure = tool.view.lines
        self.last: LinesResult | None = None
        self.threshold: float | None = None  # the user's choice; None: the length's default
        self._head: int | None = None  # the navigation's head when the lines were last drawn
        self.figure.threshold_changed.connect(self.set_threshold)

    def n_tokens(self) -> int:
        workspace = self.context.workspace
        return len(workspace.run.tokens[workspace.state.seq])

    def current_threshold(self) -> float:
        n = self.n_tokens()
        return default_threshold(n) if self.threshold is None else max(self.threshold, minimum_threshold(n))

    def request(self) -> None:
        """Lines of the state's layer: from the lines already here when they fit, else from a job."""
        workspace, s = self.context.workspace, self.tool.state
        if workspace.run is None:
            return
        run_id, seq = workspace.run.request_id, workspace.state.seq
        request = MapRequest(
            s.layer, s.head, seq, "lines", self.context.display.scale, s.weighting, self.current_threshold()
        )
        last = self.last
        if last is not None and last.run_id == run_id and _same_lines(last.request, request):
            self.show(last)
            return
        workspace.query("map", lambda run, ctx: compute_lines(run, request, ctx.job_id, run_id), self.show)

    def set_threshold(self, threshold: float) -> None:
        self.threshold = threshold
        if self.tool.state.view == "lines":
            self.request()

    def show(self, result: LinesResult) -> None:
        self.last = result
        state, run = self.tool.state, self.context.workspace.run
        if state.view != "lines" or run is None:
            return  # kept: the view may come back to it
        request = result.request
        tokens = run.tokens[request.seq]
        layer = tr("layer {layer}").format(layer=request.layer)
        what = tr("lines") + (" · " + tr("norm-weighted") if request.weighting == "norm" else "")
        shown = (state.head,) if state.head != self._head or not self.figure.shown else None
        self._head = state.head
        self.tool.view.show_lines(
            tokens, result.heads, result.pairs, request.threshold, f"{layer} · {what}", shown,
            minimum_threshold(len(tokens)),
        )  # fmt: skip
        if not self.context.jobs.busy("run"):
            self.tool.view.set_updating(False)

    # -- export ---------------------------------------------------------------------------------------------
    def suggested_name(self, suffix: str = ".svg") -> str:
        s, run = self.tool.state, self.context.workspace.run
        options = run.options.describe() if run is not None else {}
        model = run.model if run else "attention"
        weighting = weighting_text(s.weighting, renormalize=True) if s.weighting != "attention" else ""
        return str(self.tool.export.folder() / default_name(model, s.layer, "lines", options, suffix, weighting))

    def export_current(self) -> None:
        if self.last is None or not self.figure.shown:
            self.context.show_status(tr("Nothing to export yet"), 5000)
            return
        dialog = ExportDialog(self.context.parent, self.suggested_name(), width=1600)
        dialog.set_formats(
            ((tr("PNG image"), ".png"), (tr("SVG vector image"), ".svg"), (tr("PDF vector document"), ".pdf"),
             (tr("JSON lines data"), ".json"))
        )  # fmt: skip
        choice = self.tool.export.ask_choice(dialog)
        if choice is not None:
            self.export_to(choice.path, **choice.style)

    def export_to(self, path, width: int = 1600, dpi: int = 300, theme: str = "light", caption=True) -> bool:
        """The lines on screen (the heads shown, a pinned token's alone) as a figure or JSON, by a job."""
        export, path = self.tool.export, Path(path)
        result, run = self.last, self.context.workspace.run
        if result is None or run is None or len(run.tokens[result.request.seq]) != self.figure.n_tokens:
            export.failed(tr("the lines are being updated; export again when they are shown"))
            return False
        if path.suffix.lower() not in LINES_SUFFIXES:
            message = tr("unknown format '{suffix}'; use {formats}")
            export.failed(message.format(suffix=path.suffix, formats=", ".join(LINES_SUFFIXES)))
            return False
        request, selected, tokens = result.request, self.figure.selected, list(self.figure.tokens)
        heads = [isolate(result.heads[h], *(selected or (None, None))) for h in self.figure.shown]
        options = run.options.describe()
        weighting = weighting_text(request.weighting, renormalize=True) if request.weighting != "attention" else ""
        shown = ", ".join(str(h) for h in self.figure.shown)
        title = figure_text("layer {layer}", layer=request.layer) + " · " + figure_text("lines")
        note = caption_text(run.model, request.layer, None, options, weighting) if caption else ""
        style = {"pairs": result.pairs, "threshold": request.threshold, "selected": selected}
        about = {"model": run.model, "layer": request.layer, "weighting": request.weighting, "heads_shown": shown}

        def job(ctx):
            ctx.report(0, 1, tr("drawing {name}").format(name=path.name))
            if path.suffix.lower() == ".json":
                write_lines_json(path, lines_payload(tokens, heads, result.pairs, request.threshold, **about))
            else:
                write_lines(path, tokens, heads, width=width, dpi=dpi, before_write=ctx.check, title=title,
                            caption=note, theme=theme, **style)  # fmt: skip
            return path

        export.submit(job)
        return True


def _same_lines(a: MapRequest, b: MapRequest) -> bool:
    """The same lines, whatever the head: every head of the layer is computed at once."""
    return (a.layer, a.seq, a.weighting, a.threshold) == (b.layer, b.seq, b.weighting, b.threshold)
