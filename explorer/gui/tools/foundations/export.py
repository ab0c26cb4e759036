"""Exporting one figure of the Foundations tool: as a figure (PNG, SVG, PDF) or its numbers (NPY, CSV, JSON).

Every file is written by a job on the worker thread through the shared renderer (explorer/export/plot_figure.py,
which draws with figure.py's save and figure_style's fonts), so the window stays responsive and Cancel stops it
before the file is written.
"""

from __future__ import annotations

from pathlib import Path

from explorer.export.plot_figure import suffixes_for, write_plot

from ...export_dialog import ExportDialog
from ...i18n import tr
from ..tool_export import ToolExport


def format_label(suffix: str) -> str:
    labels = {
        ".png": tr("PNG image"),
        ".svg": tr("SVG vector image"),
        ".pdf": tr("PDF vector document"),
        ".npy": tr("NumPy array"),
        ".csv": tr("CSV table"),
        ".json": tr("JSON data"),
    }
    return labels[suffix]


class ViewExportDialog(ExportDialog):
    """The Export dialog with the formats this view can be written in."""

    def __init__(self, parent, suggested: str, suffixes: tuple[str, ...]):
        super().__init__(parent, suggested, width=1600)
        self.setWindowTitle(tr("Export Figure"))
        self.caption.setText(tr("Caption: the page's settings"))
        self.set_formats(tuple((format_label(suffix), suffix) for suffix in suffixes))


class ViewExport(ToolExport):
    def suggested_name(self, view, suffix: str = ".png") -> str:
        folder = self.folder()
        return str(folder / f"foundations_{view.name}{suffix}")

    def ask(self, view, caption: str) -> None:
        choice = self.ask_choice(ViewExportDialog(self.context.parent, self.suggested_name(view), suffixes_for(view)))
        if choice is not None:
            style = dict(choice.style)
            self.export_to(choice.path, view, caption if style.pop("caption") else "", **style)

    def export_to(self, path, view, caption: str = "", width: int = 1600, dpi: int = 300, theme: str = "light"):
        """Write the view by a job; the format follows the extension. Errors become a dialog."""
        path = Path(path)
        style = {"caption": caption, "colormap": self.context.display.colormap, "theme": theme}

        def job(ctx):
            ctx.report(0, 1, tr("writing {name}").format(name=path.name))
            write_plot(path, view, width=width, dpi=dpi, before_write=ctx.check, **style)
            return path

        self.submit(job)
