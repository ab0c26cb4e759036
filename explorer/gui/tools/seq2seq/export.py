"""Exporting the lab's map on screen: a figure (PNG, SVG, PDF) from the shared renderer, or data (NPY, CSV, JSON).

The figure is drawn from the map's numbers, never from the widget, with output tokens on the rows and source
tokens on the columns. Lab maps are small (at most 64 × 64 here), so the figure is drawn by a stepped job on the
GUI thread: the one worker thread may be busy training, and an export should not wait for it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog

from explorer.export.atomic import write_atomic
from explorer.export.data import write_csv, write_npy
from explorer.export.figure import FIGURE_SUFFIXES, write_head
from explorer.gui.i18n import tr
from explorer.gui.jobs import Progress

SUFFIXES = (*FIGURE_SUFFIXES, ".npy", ".csv", ".json")


def file_name(shown, settings: dict) -> str:
    head = "mean" if shown.head < 0 else f"h{shown.head}"
    return f"lab-{settings.get('system')}-{settings.get('task')}-{shown.kind}-l{shown.layer}-{head}-step{shown.step}"


def payload(shown, snapshot, settings: dict) -> dict:
    return {
        "settings": settings, "step": shown.step, "kind": shown.kind, "layer": shown.layer,
        "head": "mean" if shown.head < 0 else shown.head, "source": list(snapshot.source),
        "target": list(snapshot.target), "output": list(snapshot.output), "query_tokens": shown.query_tokens,
        "key_tokens": shown.key_tokens, "attention": shown.matrix.astype(float).tolist(),
    }  # fmt: skip


def write_map(path: Path, shown, snapshot, settings: dict, colormap: str, scale: str):
    """A stepped job: write the shown map to path by its suffix; returns the path."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"path: '{path.name}' is not one of {', '.join(SUFFIXES)}")
    yield Progress(0, 1, tr("exporting"))
    if suffix == ".npy":
        write_npy(path, shown.matrix)
    elif suffix == ".csv":
        write_csv(path, shown.matrix, shown.query_tokens, shown.key_tokens)
    elif suffix == ".json":
        write_atomic(path, json.dumps(payload(shown, snapshot, settings), ensure_ascii=False).encode("utf-8"))
    else:
        visible = np.ones(shown.matrix.shape, dtype=bool)
        title = f"{shown.kind} · layer {shown.layer} · {'mean' if shown.head < 0 else f'head {shown.head}'}"
        caption = f"{settings.get('system')} on {settings.get('task')} · step {shown.step}"
        write_head(path, shown.matrix, visible, shown.query_tokens, key_tokens=shown.key_tokens, title=title,
                   caption=caption, colormap=colormap, scale=scale, width=1600, dpi=200)  # fmt: skip
    return str(path)


class LabExport(QObject):
    exported = Signal(str)  # a file was written

    def __init__(self, tool):
        super().__init__(tool)
        self.tool, self.context = tool, tool.context
        tool.view.export_button.clicked.connect(self.choose)

    def choose(self) -> None:
        shown = self.tool.maps.shown
        if shown is None:
            return
        folder = Path(str(self.context.settings.value("exportFolder", Path.home())))
        name = file_name(shown, self.tool.view.form.values())
        filters = ";;".join([tr("PNG image (*.png)"), tr("SVG drawing (*.svg)"), tr("PDF document (*.pdf)"),
                             tr("NumPy array (*.npy)"), tr("CSV table (*.csv)"), tr("JSON (*.json)")])  # fmt: skip
        path, chosen = QFileDialog.getSaveFileName(self.context.parent, tr("Export map"), str(folder / name), filters)
        if not path:
            return
        if not Path(path).suffix:  # the filter names the format when the user typed none
            path += chosen[chosen.index("*") + 1 : chosen.index(")")]
        self.context.settings.setValue("exportFolder", str(Path(path).parent))
        self.export_to(path)

    def export_to(self, path: str) -> None:
        shown, snapshot = self.tool.maps.shown, self.tool.maps.current()
        if shown is None or snapshot is None:
            return
        settings, display = self.tool.view.form.values(), self.context.display
        self.context.jobs.submit_stepped(
            "lab-export", lambda: write_map(Path(path), shown, snapshot, settings, display.colormap, display.scale),
            self._done, lambda message: self.context.show_error(tr("Export failed"), message),
        )  # fmt: skip

    def _done(self, path: str) -> None:
        self.context.show_status(tr("Exported {path}").format(path=path), 5000)
        self.exported.emit(path)
