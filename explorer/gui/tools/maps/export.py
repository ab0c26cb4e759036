"""Exporting from the Maps tool: the map on screen, or every head of the layer.

Figures come from the one figure renderer (explorer/export/figure.py, matplotlib): drawn from the map's numbers
and the visible mask, never from the widget on screen, so a selection or hover outline never reaches a file.
Figures take seconds at large N, so they are drawn by jobs on the worker thread, like the layer's data files:
the window stays responsive, the status bar shows the export after a second, and its Cancel stops it before
the next file is written (a figure being drawn is finished in memory, then dropped). matplotlib's settings are
global, and every figure is drawn on that one worker thread, so two never mix. A norm-weighted map is exported
as shown (rows renormalised), and its caption and file name say so.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal

from explorer.core.display import visible_of
from explorer.core.summary_pixels import block_labels
from explorer.export.data import write_csv, write_npy
from explorer.export.figure import FIGURE_SUFFIXES, write_head, write_heads
from explorer.export.figure_style import caption_text, default_name, weighting_text
from explorer.export.figure_text import figure_text
from models.runtime.budget import MemoryBudgetError, check_export

from ...export_dialog import ExportDialog
from ...i18n import tr
from ...jobs import Progress
from ..tool_export import FOLDER_KEY, ToolExport

JOB = "export"
SUFFIXES = (*FIGURE_SUFFIXES, ".npy", ".csv")


def head_file(
    folder: Path, model: str, layer: int, head: int, suffix: str, options: dict | None = None, weighting: str = ""
) -> Path:
    return folder / default_name(model, layer, head, options, suffix, weighting_text_of(weighting))


def weighting_text_of(weighting: str) -> str:
    """What captions and file names call the tool's weighting: the window shows norm-weighted rows renormalised."""
    return weighting_text(weighting, renormalize=True) if weighting else ""


def layer_maps(run, layer: int, seq: int, weighting: str):
    """float32 (H, N, N): every head of the layer as the window shows it (job thread; the engine imports torch)."""
    if weighting == "attention":
        return run.layer_attention(layer, seq)
    from models.runtime.weighting import weighted_layer_attention

    return weighted_layer_attention(run, layer, seq, weighting, renormalize=True)


def write_data_files(
    run, layer: int, seq: int, folder: Path, suffix: str, model: str, options: dict, weighting: str = "attention"
):
    """A generator job: every head of one layer as .npy or .csv files, with progress per head."""
    maps = layer_maps(run, layer, seq, weighting)  # (H, N, N)
    tokens, visible = run.tokens[seq], run.visible(seq)
    folder.mkdir(parents=True, exist_ok=True)
    for head, matrix in enumerate(maps):
        path = head_file(folder, model, layer, head, suffix, options, weighting)
        if suffix == ".npy":
            write_npy(path, matrix)
        else:
            write_csv(path, matrix, tokens, tokens, visible=visible)
        yield Progress(head + 1, len(maps), tr("exported {done}/{total} heads").format(done=head + 1, total=len(maps)))
    return len(maps)


def layer_title(run, layer: int) -> str:
    """ "layer 5", and its kind where the model's layers differ: "layer 5 (global)" (Gemma 3)."""
    title, kinds = figure_text("layer {layer}", layer=layer), getattr(run, "layer_kinds", ())
    if layer < len(kinds) and (len(set(kinds)) > 1 or kinds[layer] != "global"):
        kind = kinds[layer]
        word = figure_text("global") if kind == "global" else figure_text("local, window {window}", window=kind[6:])
        title += f" ({word})"
    return title


def _what(mode: str, head: int) -> int | str:
    """The head, or a word for the layer's other views: what a file name and a caption call the map."""
    return {"mean": "mean", "grid": "heads"}.get(mode, head)


def write_figure_files(maps, visible, tokens, folder: Path, suffix: str, names, check, **style):
    """A generator job: one figure per head of a layer, with progress per head.

    names(head) -> (path, caption, title); check() raises when the job is cancelled, between drawing and writing.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for head in range(len(maps)):
        path, caption, title = names(head)
        write_head(path, maps[head], visible, tokens, before_write=check, caption=caption, title=title, **style)
        yield Progress(head + 1, len(maps), tr("exported {done}/{total} heads").format(done=head + 1, total=len(maps)))
    return len(maps)


class MapsExport(ToolExport):
    layer_exported = Signal(int)  # files written: every head of the layer; `exported`: the map on screen

    def _options(self) -> dict:
        run = self.context.workspace.run
        return run.options.describe() if run is not None else {}

    # -- the map on screen --------------------------------------------------------------------------------
    def suggested_name(self, suffix: str = ".png") -> str:
        """The default file: the export folder, and a name with the model, layer, head and variant."""
        s, run = self.tool.state, self.context.workspace.run
        model, weighting = run.model if run else "attention", weighting_text_of(s.weighting)
        name = default_name(model, s.layer, _what(s.view, s.head), self._options(), suffix, weighting)
        return str(self.folder() / name)

    def export_current(self) -> None:
        if self.tool.state.view == "lines":
            self.tool.lines.export_current()
            return
        if self.tool.last_map is None:
            self.context.show_status(tr("Nothing to export yet"), 5000)
            return
        choice = self.ask_choice(ExportDialog(self.context.parent, self.suggested_name(), width=1600))
        if choice is not None:
            self.export_to(choice.path, **choice.style)

    def export_to(self, path: Path, width: int = 1600, dpi: int = 300, theme: str = "light", caption=True) -> bool:
        """Write the shown map; the format follows the extension. Data files are written at once; a figure is drawn
        by a job, and `exported` says when it is written. Errors become a dialog. False if refused at once."""
        result, run = self.tool.last_map, self.context.workspace.run
        path, suffix = Path(path), Path(path).suffix.lower()
        try:
            if result is None or run is None:
                raise ValueError(tr("nothing to export yet"))
            tokens = run.tokens[result.request.seq]
            shown = int(result.col_edges[-1]) if result.summary else result.matrix.shape[-1]
            if len(tokens) != shown:  # a new run's tokens, before its map has arrived
                raise ValueError(tr("the map is being updated; export again when it is shown"))
            if result.summary and suffix not in FIGURE_SUFFIXES:
                raise ValueError(
                    tr(
                        "this map of {n} tokens is shown as block summaries ({n}² values would not fit); export it as "
                        "a figure, or use `main.py export` with one layer and head to write its values"
                    ).format(n=len(tokens))
                )
            if suffix in FIGURE_SUFFIXES:
                self._start_figure(path, result, run, tokens, width, dpi, theme, caption)
                return True
            if suffix == ".npy":
                write_npy(path, result.matrix)
            elif suffix == ".csv":
                write_csv(path, result.matrix, tokens, tokens, visible=visible_of(result.pixels))
            else:
                raise ValueError(
                    tr("unknown format '{suffix}'; use {formats}").format(suffix=suffix, formats=", ".join(SUFFIXES))
                )
        except (ValueError, OSError) as error:
            self.failed(str(error))
            return False
        self.written(path)
        return True

    def _start_figure(self, path: Path, result, run, tokens, width: int, dpi: int, theme: str, caption: bool) -> None:
        request, display = result.request, self.context.display
        what, weighting = _what(request.mode, request.head), weighting_text_of(request.weighting)
        style = {
            "colormap": display.colormap,
            "scale": display.scale,
            "theme": theme,
            "caption": caption_text(run.model, request.layer, what, self._options(), weighting) if caption else "",
            "width": width,
            "dpi": dpi,
        }
        matrix, visible = result.matrix, visible_of(result.pixels)  # numpy arrays the GUI no longer changes
        shown = {"grid": "all heads", "mean": "mean over heads"}.get(request.mode)
        head_text = figure_text(shown) if shown else figure_text("head {head}", head=what)
        title = layer_title(run, request.layer) + " · " + head_text
        write = write_heads if request.mode == "grid" else write_head
        title += " · " + figure_text("norm-weighted") if request.weighting == "norm" else ""
        if result.summary:  # one value per block of cells: its labels are position ranges, and the caption says so
            tokens = block_labels(tokens, result.row_edges)
            note = figure_text("each pixel: the maximum of a block of cells" if request.reduce == "max" else
                               "each pixel: the mean of a block of cells")  # fmt: skip
            style["caption"] = f"{style['caption']} · {note}" if style["caption"] else note

        def job(ctx):
            ctx.report(0, 1, tr("drawing {name}").format(name=path.name))
            write(path, matrix, visible, tokens, title=title, before_write=ctx.check, **style)
            return path

        self.submit(job)

    # -- every head of the layer --------------------------------------------------------------------------
    def export_layer(self) -> None:
        if self.context.workspace.run is None:
            self.context.show_status(tr("Nothing to export yet"), 5000)
            return
        choice = self.ask_choice(ExportDialog(self.context.parent, str(self.folder()), folder=True, width=1600))
        if choice is not None:
            self.export_layer_to(choice.path, choice.suffix, **choice.style)

    def export_layer_to(
        self, folder: Path, suffix: str, width: int = 1600, dpi: int = 300, theme: str = "light", caption=True
    ) -> None:
        """Start exporting every head of the current layer; layer_exported is emitted when it is done."""
        workspace, layer, seq = self.context.workspace, self.tool.state.layer, self.context.workspace.state.seq
        weighting = self.tool.state.weighting
        model, options, folder = workspace.run.model, self._options(), Path(folder)
        try:  # every head's map is in memory at once: refuse now what cannot fit
            check_export(
                workspace.run.n_heads, len(workspace.run.tokens[seq]), suffix, tr("the map on screen (File → Export…)")
            )
        except MemoryBudgetError as error:
            self.context.show_error(tr("Export failed"), str(error))
            return
        failed = lambda message: self.context.show_error(  # noqa: E731
            tr("Export failed"), tr("{message}\n(folder: {folder})").format(message=message, folder=folder)
        )
        finished = lambda written: self._finished(written, layer, folder)  # noqa: E731
        if suffix not in FIGURE_SUFFIXES:
            job = lambda run, ctx: write_data_files(run, layer, seq, folder, suffix, model, options, weighting)  # noqa: E731
            workspace.query(JOB, job, finished, failed)
            return
        display = self.context.display
        style = {"colormap": display.colormap, "scale": display.scale, "theme": theme, "width": width, "dpi": dpi}

        def names(head: int) -> tuple[Path, str, str]:
            note = caption_text(model, layer, head, options, weighting_text_of(weighting)) if caption else ""
            title = layer_title(workspace.run, layer) + " · " + figure_text("head {head}", head=head)
            title += " · " + figure_text("norm-weighted") if weighting == "norm" else ""
            return head_file(folder, model, layer, head, suffix, options, weighting), note, title

        def job(run, ctx):
            maps, visible, tokens = layer_maps(run, layer, seq, weighting), run.visible(seq), run.tokens[seq]
            return write_figure_files(maps, visible, tokens, folder, suffix, names, ctx.check, **style)

        workspace.query(JOB, job, finished, failed)

    def _finished(self, written: int, layer: int, folder: Path) -> None:
        self.context.settings.setValue(FOLDER_KEY, str(folder))
        message = tr("Exported {written} heads of layer {layer} to {folder}")
        self.context.show_status(message.format(written=written, layer=layer, folder=folder), 8000)
        self.layer_exported.emit(written)
