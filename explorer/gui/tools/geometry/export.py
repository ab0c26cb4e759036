"""File → Export Query–Key Scatter…: the shown scatter as a figure (PNG, SVG, PDF) or every point as JSON.

Both go through explorer/export/qk_files.py, the writer `analyze qk` uses: the figure is drawn by a job on the
worker thread (Cancel stops it before the file is written), JSON is written at once and atomically.
"""

from __future__ import annotations

from pathlib import Path

from explorer.export.figure import FIGURE_SUFFIXES
from explorer.export.figure_style import caption_text, default_name
from explorer.export.qk_files import SUFFIXES, write_qk

from ...export_dialog import ExportDialog, formats
from ...i18n import tr
from ..tool_export import ToolExport


class ScatterExportDialog(ExportDialog):
    """The Export dialog offering what write_qk writes: the figure formats and JSON (every point); not NPY or CSV,
    which the shared dialog offers and the scatter has no table for (the export failed after the dialog)."""

    def __init__(self, parent, suggested: str):
        super().__init__(parent, suggested, width=1600)
        figures = tuple((label, suffix) for label, suffix in formats() if suffix in SUFFIXES)
        self.set_formats((*figures, (tr("JSON data"), ".json")))


class ScatterExport(ToolExport):
    def suggested_name(self, suffix: str = ".png") -> str:
        run, state = self.context.workspace.run, self.tool.state
        model = run.model if run else "qk"
        options = self.tool.options_described()
        return str(self.folder() / default_name(model, state.layer, state.head, options, suffix, f"qk-{state.method}"))

    def export(self) -> None:
        if self.tool.scatter is None:
            self.context.show_status(tr("Nothing to export yet: open the scatter and wait for it"), 5000)
            return
        choice = self.ask_choice(ScatterExportDialog(self.context.parent, self.suggested_name()))
        if choice is not None:
            self.export_to(choice.path, **choice.style)

    def export_to(self, path, width: int = 1600, dpi: int = 300, theme: str = "light", caption=True) -> bool:
        """Write the shown scatter; the format follows the extension. A figure is drawn by a job, and `exported`
        says when it is written. Errors become a dialog; False if refused at once."""
        path, run, result = Path(path), self.context.workspace.run, self.tool.scatter
        try:
            if result is None or run is None:
                raise ValueError(tr("nothing to export yet"))
            if path.suffix.lower() not in SUFFIXES:
                formats = ", ".join(SUFFIXES)
                raise ValueError(
                    tr("unknown format '{suffix}'; use {formats}").format(suffix=path.suffix, formats=formats)
                )
            about = {"model": run.model, "ids": run.ids[result.seq], "options": run.options.describe()}
            if result.pool is not None:  # pooled over a corpus: its points carry their text ids, not these
                about = {"model": run.model, "corpus": result.pool[0], "options": run.options.describe()}
            options = run.options.describe()
            style = {"width": width, "dpi": dpi, "theme": theme, "colour_by": self.tool.state.colour_by}
            style["caption"] = caption_text(run.model, result.layer, result.head, options) if caption else ""
            write = lambda check=None: write_qk(path, result.points, about, before_write=check, **style)  # noqa: E731
            if path.suffix.lower() in FIGURE_SUFFIXES:
                self.submit(lambda ctx: self._draw(ctx, path, write))
                return True
            write()
        except (ValueError, OSError) as error:
            self.failed(str(error))
            return False
        self.written(path)
        return True

    @staticmethod
    def _draw(ctx, path: Path, write) -> Path:
        ctx.report(0, 1, tr("drawing {name}").format(name=path.name))
        write(ctx.check)  # Cancel, seen once the figure is drawn, stops it before the file is written
        return path
