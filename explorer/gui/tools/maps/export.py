"""Exporting from the Maps tool: the map on screen, or every head of the layer.

The maps of a layer are computed by a job. Data files (.npy, .csv) are written inside that job. Images need
a Qt figure, which lives on the GUI thread, so they are drawn as a stepped job, one head per event-loop turn:
the window stays responsive, and the status bar's Cancel stops the export between two files.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from explorer.core.display import encode
from explorer.export.data import write_csv, write_npy
from explorer.export.image import export_png, export_svg
from models.runtime.budget import MemoryBudgetError, check_export

from ...export_dialog import ExportDialog
from ...jobs import Progress
from ...widgets.heatmap import HeatmapFigure

IMAGE_SUFFIXES = (".png", ".svg")
JOB = "export"


def head_file(folder: Path, model: str, layer: int, head: int, suffix: str) -> Path:
    return folder / f"{model.replace('/', '_')}_layer{layer:02d}_head{head:02d}{suffix}"


def write_data_files(run, layer: int, seq: int, folder: Path, suffix: str, model: str):
    """A generator job: every head of one layer as .npy or .csv files, with progress per head."""
    maps = run.layer_attention(layer, seq)  # (H, N, N)
    tokens = run.tokens[seq]
    folder.mkdir(parents=True, exist_ok=True)
    for head, matrix in enumerate(maps):
        path = head_file(folder, model, layer, head, suffix)
        write_npy(path, matrix) if suffix == ".npy" else write_csv(path, matrix, tokens, tokens)
        yield Progress(head + 1, len(maps), f"exported {head + 1}/{len(maps)} heads")
    return len(maps)


class MapsExport(QObject):
    layer_exported = Signal(int)  # files written: every head of the layer

    def __init__(self, tool):
        super().__init__(tool)
        self.tool = tool
        self.context = tool.context

    # -- the map on screen --------------------------------------------------------------------------------
    def suggested_name(self, suffix: str = ".png") -> str:
        s, run = self.tool.state, self.context.session.run
        what = "mean" if s.view == "mean" else "heads" if s.view == "grid" else f"head{s.head}"
        folder = Path(str(self.context.settings.value("exportFolder", Path.home())))
        model = run.model.replace("/", "_") if run else "attention"
        return str(folder / f"{model}_layer{s.layer}_{what}{suffix}")

    def export_current(self) -> None:
        if self.tool.last_map is None:
            self.context.show_status("Nothing to export yet", 5000)
            return
        width = max(800, self.tool.view.heatmap.width() * 2)
        dialog = ExportDialog(self.context.parent, self.suggested_name(), width=width)
        if dialog.exec() == ExportDialog.Accepted:
            self.export_to(dialog.target(), dialog.width.value(), dialog.dpi.value())

    def export_to(self, path: Path, width: int = 1600, dpi: int = 300) -> bool:
        """Write the shown map; the format follows the extension. Errors become a dialog."""
        result, run = self.tool.last_map, self.context.session.run
        suffix = path.suffix.lower()
        try:
            if result is None or run is None:
                raise ValueError("nothing to export yet")
            if suffix == ".png":
                export_png(self.tool.view.current_figure().ci, path, width, dpi)
            elif suffix == ".svg":
                export_svg(self.tool.view.current_figure().ci, path)
            elif suffix == ".npy":
                write_npy(path, result.matrix)
            elif suffix == ".csv":
                tokens = run.tokens[result.request.seq]
                write_csv(path, result.matrix, tokens, tokens)
            else:
                raise ValueError(f"unknown format '{suffix}'; use .png, .svg, .npy or .csv")
        except (ValueError, OSError) as error:
            self.context.show_error("Export failed", str(error))
            return False
        self.context.settings.setValue("exportFolder", str(path.parent))
        self.context.show_status(f"Exported {path}", 8000)
        return True

    # -- every head of the layer --------------------------------------------------------------------------
    def export_layer(self) -> None:
        if self.context.session.run is None:
            self.context.show_status("Nothing to export yet", 5000)
            return
        folder = str(Path(str(self.context.settings.value("exportFolder", Path.home()))))
        width = max(800, self.tool.view.heatmap.width() * 2)
        dialog = ExportDialog(self.context.parent, folder, folder=True, width=width)
        if dialog.exec() == ExportDialog.Accepted:
            self.export_layer_to(dialog.target(), dialog.suffix, dialog.width.value(), dialog.dpi.value())

    def export_layer_to(self, folder: Path, suffix: str, width: int = 1600, dpi: int = 300) -> None:
        """Start exporting every head of the current layer; layer_exported is emitted when it is done."""
        session, layer, seq = self.context.session, self.tool.state.layer, self.context.session.state.seq
        model = session.run.model
        try:  # every head's map is in memory at once: refuse now what cannot fit
            check_export(
                session.run.n_heads, len(session.run.tokens[seq]), suffix, "the map on screen (File → Export…)"
            )
        except MemoryBudgetError as error:
            self.context.show_error("Export failed", str(error))
            return
        failed = lambda message: self.context.show_error("Export failed", f"{message}\n(folder: {folder})")  # noqa: E731
        if suffix not in IMAGE_SUFFIXES:
            session.query(
                JOB,
                lambda run, ctx: write_data_files(run, layer, seq, folder, suffix, model),
                lambda written: self._finished(written, layer, folder),
                failed,
            )
            return
        scale, colormap, size = self.context.display.scale, self.context.display.colormap, self.tool.view.heatmap.size()

        def compute(run, ctx):
            maps = run.layer_attention(layer, seq)  # (H, N, N)
            return maps, encode(maps, run.visible(seq), scale), run.tokens[seq]

        def draw(result) -> None:
            maps, pixels, tokens = result

            def steps():
                folder.mkdir(parents=True, exist_ok=True)
                figure = HeatmapFigure(colormap=colormap, scale=scale)
                figure.resize(size)
                try:
                    for head in range(len(maps)):
                        figure.show_matrix(maps[head], pixels[head], tokens, tokens, f"layer {layer} · head {head}")
                        path = head_file(folder, model, layer, head, suffix)
                        export_png(figure.ci, path, width, dpi) if suffix == ".png" else export_svg(figure.ci, path)
                        yield Progress(head + 1, len(maps), f"exported {head + 1}/{len(maps)} heads")
                finally:
                    figure.deleteLater()
                return len(maps)

            self.context.jobs.submit_stepped(JOB, steps, lambda written: self._finished(written, layer, folder), failed)

        session.query(JOB, compute, draw, failed)

    def _finished(self, written: int, layer: int, folder: Path) -> None:
        self.context.settings.setValue("exportFolder", str(folder))
        self.context.show_status(f"Exported {written} heads of layer {layer} to {folder}", 8000)
        self.layer_exported.emit(written)
