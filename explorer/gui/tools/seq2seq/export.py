"""Exporting the lab's map on screen: a figure (PNG, SVG, PDF) from the shared renderer, or data (NPY, CSV, JSON).

The figure is drawn from the map's numbers, never from the widget, with output tokens on the rows and source
tokens on the columns. It is asked for through the Export dialog every tool uses (width, DPI, theme, caption; the
remembered folder and format). Lab maps are small (at most 64 × 64 here), so the figure is drawn by a stepped job
on the GUI thread: the one worker thread may be busy training, and an export should not wait for it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from explorer.export.atomic import write_atomic
from explorer.export.data import write_csv, write_npy
from explorer.export.figure import FIGURE_SUFFIXES, write_head
from explorer.gui.export_dialog import ExportDialog
from explorer.gui.i18n import tr
from explorer.gui.jobs import Progress

from ..tool_export import ToolExport

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


def write_map(path: Path, shown, snapshot, settings: dict, colormap: str, scale: str, **style):
    """A stepped job: write the shown map to path by its suffix; returns the path.

    style: the Export dialog's width, dpi, theme and caption (on or off) for a figure."""
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
        style = {"width": 1600, "dpi": 300, "theme": "light", "caption": True, **style}
        caption = f"{settings.get('system')} on {settings.get('task')} · step {shown.step}" if style["caption"] else ""
        style["caption"] = caption
        write_head(path, shown.matrix, visible, shown.query_tokens, key_tokens=shown.key_tokens, title=title,
                   colormap=colormap, scale=scale, **style)  # fmt: skip
    return str(path)


class LabExport(ToolExport):
    """The lab's map through the Export dialog every tool uses; `exported` says which file was written."""

    def __init__(self, tool):
        super().__init__(tool)
        tool.view.export_button.clicked.connect(self.choose)

    def choose(self) -> None:
        shown = self.tool.maps.shown
        if shown is None:
            return
        suggested = self.folder() / (file_name(shown, self.tool.view.form.values()) + ".png")
        dialog = ExportDialog(self.context.parent, str(suggested), width=1600)
        dialog.setWindowTitle(tr("Export map"))
        dialog.caption.setText(tr("Caption: system, task and training step"))
        dialog.add_format(tr("JSON data"), ".json")
        choice = self.ask_choice(dialog)
        if choice is not None:
            self.export_to(choice.path, **choice.style)

    def export_to(self, path, width: int = 1600, dpi: int = 300, theme: str = "light", caption=True) -> None:
        shown, snapshot = self.tool.maps.shown, self.tool.maps.current()
        if shown is None or snapshot is None:
            return
        settings, display = self.tool.view.form.values(), self.context.display
        style = {"width": width, "dpi": dpi, "theme": theme, "caption": bool(caption)}
        steps = lambda: write_map(Path(path), shown, snapshot, settings, display.colormap, display.scale, **style)  # noqa: E731
        self.context.jobs.submit_stepped("lab-export", steps, self.written, self.failed)
