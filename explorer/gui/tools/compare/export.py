"""File → Export Comparison…: the shown comparison as a figure (A, B, B − A) or as data (diff map or everything).

Everything goes through explorer/export/compare_files.py, the writer `analyze compare --out` uses, so a file
from the window holds what the command would write for the same text, variants and head: .json the whole
comparison (both variants, the per-head KL and JS grids, the head's maps, both next-token lists), .npy/.csv the
B − A map, .png/.svg/.pdf the three panels. The runs of A and B live in the tool's PairCache, which only jobs
touch, so every export is a job on the job thread (Cancel in the status bar stops a figure before it is written).
"""

from __future__ import annotations

from pathlib import Path

from explorer.core.summary_pixels import EXACT_UP_TO
from explorer.export.compare_files import SUFFIXES, write_comparison
from explorer.export.figure_style import default_name

from ...export_dialog import ExportDialog
from ...i18n import tr
from ..tool_export import ToolExport


class CompareExportDialog(ExportDialog):
    """The Export dialog with JSON (the whole comparison) added to the data formats."""

    def __init__(self, parent, suggested: str):
        super().__init__(parent, suggested, width=1600)
        self.setWindowTitle(tr("Export Comparison"))
        self.caption.setText(tr("Caption: model, head and both variants"))
        self.add_format(tr("JSON: the whole comparison"), ".json")


class CompareExport(ToolExport):
    def suggested_name(self, suffix: str = ".png") -> str:
        result, state = self.tool.result, self.tool.state
        model = result.model_a if result else "attention"
        folder = self.folder()
        return str(folder / (default_name(model, state.layer, state.head, None, "") + "_compare" + suffix))

    def export(self) -> None:
        if self.tool.result is None:
            self.context.show_status(tr("Nothing to export yet: open the Compare tool and wait for it"), 5000)
            return
        choice = self.ask_choice(CompareExportDialog(self.context.parent, self.suggested_name()))
        if choice is not None:
            self.export_to(choice.path, **choice.style)

    def export_to(self, path, width: int = 1600, dpi: int = 300, theme: str = "light", caption=True) -> bool:
        """Write the comparison on screen and its shown head; the format follows the extension. The file is
        written by a job, and `exported` says when. Errors become a dialog; False if refused at once."""
        path, result = Path(path), self.tool.result
        try:
            if result is None:
                raise ValueError(tr("nothing to export yet"))
            if len(result.tokens) > EXACT_UP_TO:  # every format holds whole N × N maps: 4 GB each at 32k tokens
                message = tr("Export Comparison writes whole maps, for texts of up to {limit} tokens; this one has {n}")
                raise ValueError(message.format(limit=EXACT_UP_TO, n=len(result.tokens)))
            if path.suffix.lower() not in SUFFIXES:
                formats = ", ".join(SUFFIXES)
                raise ValueError(
                    tr("unknown format '{suffix}'; use {formats}").format(suffix=path.suffix, formats=formats)
                )
        except ValueError as error:
            self.failed(str(error))
            return False
        cache, key, where = self.tool.cache, result.key, (self.tool.state.layer, self.tool.state.head)
        style = {"width": width, "dpi": dpi, "theme": theme, "caption": bool(caption)}
        style["colormap"] = self.context.display.colormap
        stale = tr("the comparison changed before it could be written; wait for the new one and export again")

        def job(ctx):
            from models.analysis import diff_map

            ctx.report(0, 1, tr("writing {name}").format(name=path.name))
            if cache.key != key or cache.comparison is None:
                raise ValueError(stale)
            run_a = cache.runs[0]
            layer, head = min(where[0], run_a.n_layers - 1), min(where[1], run_a.n_heads - 1)
            head_diff = diff_map(*cache.runs, layer, head)
            write_comparison(path, cache.comparison, head_diff, before_write=ctx.check, **style)
            return path

        self.submit(job)
        return True
