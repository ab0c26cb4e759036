"""File → Export Rollout… / Export Flow…: the shown rollout map or flow bars as a figure or as data.

Both go through explorer/export/flow_files.py, the writer `analyze rollout|flow` uses: figures by the shared
renderer (drawn by a job on the worker thread, so Cancel stops them before the file is written), data as .npy,
.csv or .json, written at once and atomically.
"""

from __future__ import annotations

from pathlib import Path

from explorer.export.figure import FIGURE_SUFFIXES
from explorer.export.figure_style import caption_text, default_name
from explorer.export.flow_files import SUFFIXES, write_flow, write_rollout

from ...export_dialog import ExportDialog
from ...i18n import tr
from ..tool_export import ToolExport


class FlowExportDialog(ExportDialog):
    """The Export dialog with JSON added to the data formats."""

    def __init__(self, parent, suggested: str):
        super().__init__(parent, suggested, width=1600)
        self.add_format(tr("JSON data"), ".json")


class FlowExport(ToolExport):
    def suggested_name(self, what: str, suffix: str = ".png") -> str:
        run = self.context.workspace.run
        model = run.model if run else what
        folder = self.folder()
        return str(folder / default_name(model, None, what, self.tool.options_described(), suffix))

    def export(self, what: str) -> None:
        if (self.tool.rollout if what == "rollout" else self.tool.flow) is None:
            self.context.show_status(tr("Nothing to export yet: open the Flow tool and wait for it"), 5000)
            return
        choice = self.ask_choice(FlowExportDialog(self.context.parent, self.suggested_name(what)))
        if choice is not None:
            self.export_to(choice.path, what, **choice.style)

    def export_to(self, path, what: str, width: int = 1600, dpi: int = 300, theme: str = "light", caption=True) -> bool:
        """Write the shown rollout ("rollout") or flow ("flow"); the format follows the extension. A figure is
        drawn by a job, and `exported` says when it is written. Errors become a dialog; False if refused at once."""
        path, run = Path(path), self.context.workspace.run
        result = self.tool.rollout if what == "rollout" else self.tool.flow
        try:
            if result is None or run is None:
                raise ValueError(tr("nothing to export yet"))
            if path.suffix.lower() not in SUFFIXES:
                formats = ", ".join(SUFFIXES)
                raise ValueError(
                    tr("unknown format '{suffix}'; use {formats}").format(suffix=path.suffix, formats=formats)
                )
            tokens = run.tokens[result.seq]
            about = {"model": run.model, "ids": run.ids[result.seq], "options": run.options.describe()}
            about["residual"] = result.residual
            style = {"width": width, "dpi": dpi, "theme": theme}
            style["caption"] = caption_text(run.model, None, None, run.options.describe()) if caption else ""
            if what == "rollout":
                about["head_reduce"] = result.head_reduce
                style.update(colormap=self.context.display.colormap, scale=self.context.display.scale)
                write = lambda check=None: write_rollout(  # noqa: E731
                    path, result.matrix, result.reach, tokens, about, before_write=check, **style
                )
            else:
                write = lambda check=None: write_flow(  # noqa: E731
                    path, result.values, tokens, result.query, about, before_write=check, **style
                )
            if path.suffix.lower() in FIGURE_SUFFIXES:
                self._start_figure(path, write)
                return True
            write()
        except (ValueError, OSError) as error:
            self.failed(str(error))
            return False
        self.written(path)
        return True

    def _start_figure(self, path: Path, write) -> None:
        def job(ctx):
            ctx.report(0, 1, tr("drawing {name}").format(name=path.name))
            write(ctx.check)  # Cancel, seen once the figure is drawn, stops it before the file is written
            return path

        self.submit(job)
