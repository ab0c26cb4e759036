"""File → Export Head Atlas…: the atlas as a figure (PNG, SVG, PDF) or every head's scores as CSV or JSON.

Figures are drawn by a job on the worker thread, as the Maps tool's are (matplotlib, explorer/export): the
window stays responsive and the status bar's Cancel stops the export before the file is written. Tables are
small (one row per head) and are written at once.
"""

from __future__ import annotations

from pathlib import Path

from explorer.export.atlas_figure import write_atlas
from explorer.export.figure import FIGURE_SUFFIXES
from explorer.export.figure_style import caption_text, default_name
from explorer.export.figure_text import figure_text
from explorer.export.head_tables import TABLE_SUFFIXES, kv_group_of, write_scores

from ...export_dialog import ExportDialog
from ...i18n import tr
from ..tool_export import ToolExport
from .view import choice_label


def atlas_formats() -> tuple[tuple[str, str], ...]:
    return (
        (tr("PNG image"), ".png"),
        (tr("SVG vector image"), ".svg"),
        (tr("PDF vector document"), ".pdf"),
        (tr("CSV table"), ".csv"),
        (tr("JSON data"), ".json"),
    )


class AtlasExportDialog(ExportDialog):
    """The Export dialog with the atlas's formats."""

    def __init__(self, parent, suggested: str):
        super().__init__(parent, suggested, width=1600)
        self.setWindowTitle(tr("Export Head Atlas"))
        self.caption.setText(tr("Caption: model, score and attention variant"))
        self.set_formats(atlas_formats())


class AtlasExport(ToolExport):
    def suggested_name(self, suffix: str = ".png") -> str:
        run = self.context.workspace.run
        model = run.model if run else "heads"
        options = run.options.describe() if run else {}
        folder = self.folder()
        return str(folder / default_name(model, None, f"atlas {self.tool.state.score}", options, suffix))

    def export_atlas(self) -> None:
        if self.tool.shown is None:
            self.context.show_status(tr("Nothing to export yet: open the Heads tool and wait for the atlas"), 5000)
            return
        choice = self.ask_choice(AtlasExportDialog(self.context.parent, self.suggested_name()))
        if choice is not None:
            self.export_to(choice.path, **choice.style)

    def export_to(self, path, width: int = 1600, dpi: int = 300, theme: str = "light", caption=True) -> bool:
        """Write the atlas on screen; the format follows the extension. A figure is drawn by a job, and
        `exported` says when it is written. Errors become a dialog; False if refused at once."""
        path, shown, run = Path(path), self.tool.shown, self.context.workspace.run
        suffix = path.suffix.lower()
        try:
            if shown is None or run is None:
                raise ValueError(tr("nothing to export yet"))
            if suffix in FIGURE_SUFFIXES:
                self._start_figure(path, shown, run, width, dpi, theme, caption)
                return True
            if suffix not in TABLE_SUFFIXES:
                formats = ", ".join(suffix for _, suffix in atlas_formats())
                raise ValueError(tr("unknown format '{suffix}'; use {formats}").format(suffix=suffix, formats=formats))
            seq = shown.seq
            write_scores(
                path,
                shown.scores,
                kv_group_of(run.kv_groups, run.n_heads),
                model=run.model,
                tokens=run.tokens[seq],
                ids=run.ids[seq],
                options=run.options.describe(),
                importance=shown.importance,
            )
        except (ValueError, OSError) as error:
            self.failed(str(error))
            return False
        self.written(path)
        return True

    def _start_figure(self, path: Path, shown, run, width: int, dpi: int, theme: str, caption: bool) -> None:
        knocked = tuple(run.options.ablate)
        # The title names the score; the caption says where it was measured, without naming the score again.
        note = caption_text(run.model, None, None, run.options.describe()) if caption else ""
        if caption and knocked:
            note += f" · {figure_text('knocked out')}: " + ", ".join(f"L{layer}H{head}" for layer, head in knocked)
        style = {
            "levels": shown.levels,
            "label": shown.label,
            "title": choice_label(shown.choice),  # as the picker names it, in the interface's language
            "caption": note,
            "knocked_out": knocked,
            "colormap": self.context.display.colormap,
            "theme": theme,
            "width": width,
            "dpi": dpi,
        }
        values = shown.values.copy()

        def job(ctx):
            ctx.report(0, 1, tr("drawing {name}").format(name=path.name))
            write_atlas(path, values, before_write=ctx.check, **style)
            return path

        self.submit(job)
