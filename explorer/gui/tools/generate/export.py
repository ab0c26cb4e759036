"""File → Export Generation Row… / Map…: the shown step's row or map as a figure (PNG, SVG, PDF) or as data.

Both go through the shared renderer (explorer/export/figure.py): the map as one head's figure, the row as a
one-query map (the new token as the only query, every token so far as keys). Figures are drawn by a job on the
worker thread; .npy and .csv are written at once, atomically (explorer/export/data.py).
"""

from __future__ import annotations

from pathlib import Path

from explorer.core.display import visible_of
from explorer.export.data import write_csv, write_npy
from explorer.export.figure import FIGURE_SUFFIXES, write_head
from explorer.export.figure_style import caption_text, default_name
from explorer.export.figure_text import figure_text, layer_head_text

from ...export_dialog import ExportDialog
from ...i18n import tr
from ..tool_export import ToolExport

SUFFIXES = (*FIGURE_SUFFIXES, ".npy", ".csv")


def shown_arrays(view, what: str):
    """(matrix, visible, query tokens, key tokens) of the row ((1, n): the new token's) or the map ((n, n))."""
    if what == "row":
        return view.row[None, :], view.row_visible[None, :], [view.info.token], view.tokens
    if what == "map":
        return view.matrix, visible_of(view.pixels), view.tokens, view.tokens
    raise ValueError(f"what: '{what}' is not row or map")


class GenerationExport(ToolExport):
    def suggested_name(self, what: str, suffix: str = ".png") -> str:
        view = self.tool.shown
        model = self.tool.model_name or "generation"
        folder = self.folder()
        layer, head = (view.layer, view.head) if view else (None, None)
        step = f"step{view.info.step + 1:03d}-{what}" if view else what
        return str(folder / default_name(model, layer, head, self.tool.options_described(), f"_{step}{suffix}"))

    def export(self, what: str) -> None:
        if self.tool.shown is None:
            self.context.show_status(tr("Nothing to export yet: generate some tokens first"), 5000)
            return
        choice = self.ask_choice(ExportDialog(self.context.parent, self.suggested_name(what), width=1600))
        if choice is not None:
            self.export_to(choice.path, what, **choice.style)

    def export_to(self, path, what: str, width: int = 1600, dpi: int = 300, theme: str = "light", caption=True) -> bool:
        """Write the shown step's row or map; the format follows the extension. False if refused at once."""
        path, view = Path(path), self.tool.shown
        suffix = path.suffix.lower()
        try:
            if view is None:
                raise ValueError(tr("nothing to export yet"))
            matrix, visible, queries, keys = shown_arrays(view, what)
            if suffix in FIGURE_SUFFIXES:
                self._start_figure(path, view, what, (matrix, visible, queries, keys), width, dpi, theme, caption)
                return True
            if suffix == ".npy":
                write_npy(path, matrix[0] if what == "row" else matrix)
            elif suffix == ".csv":
                write_csv(path, matrix, queries, keys, visible=visible)
            else:
                formats = ", ".join(SUFFIXES)
                raise ValueError(tr("unknown format '{suffix}'; use {formats}").format(suffix=suffix, formats=formats))
        except (ValueError, OSError) as error:
            self.failed(str(error))
            return False
        self.written(path)
        return True

    def _start_figure(self, path: Path, view, what: str, arrays, width, dpi, theme, caption) -> None:
        matrix, visible, queries, keys = arrays
        step = figure_text("step {step}", step=view.info.step + 1)
        step += f" · {view.info.token!r} (p = {view.info.probability:.3f})"
        note = caption_text(self.tool.model_name, view.layer, view.head, self.tool.options_described())
        style = {
            "title": " · ".join((layer_head_text(view.layer, view.head), step)),
            "caption": note if caption else "",
            "colormap": self.context.display.colormap,
            "scale": self.context.display.scale,
            "theme": theme,
            "width": width,
            "dpi": dpi,
            "key_tokens": keys,
        }

        def job(ctx):
            ctx.report(0, 1, tr("drawing {name}").format(name=path.name))
            write_head(path, matrix, visible, queries, before_write=ctx.check, **style)
            return path

        self.submit(job)
