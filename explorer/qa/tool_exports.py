"""Every export the window offers, each through its real dialog, in every format the dialog offers, checked.

An export point is one way a user exports: a File-menu action (Maps, Heads, Flow, Compare, Generate,
Foundations, Patching, Query–Key, Corpus) or a view's Export… button (Seq2seq Lab, each Foundations figure).
It is triggered as a click would trigger it; the dialog that opens is answered (dialogs.py) with the next format
in turn, so a long run writes every format of every point about equally often. Once the window is idle again,
the file is read back.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from .dialogs import fill_export, fill_file_dialog, offered_suffixes, through_dialog
from .driver import settle
from .file_checks import check_file


@dataclass
class ExportPoint:
    tool: str  # the tool that must be in front
    label: str  # what the report calls it, e.g. "maps: map on screen"
    trigger: Callable[[], object]  # what the user's click does: a menu action's trigger, a button's click
    probabilities: bool = False  # the file's numbers are attention rows: [0, 1], each summing to 1 (or 0)
    folder: bool = False  # the dialog asks for a folder, and one file per head is written into it
    ready: Callable[[], bool] | None = None  # whether there is something to export; None: the trigger says


@dataclass
class ExportOutcome:
    what: str
    suffix: str = ""
    files: tuple[Path, ...] = ()
    problems: tuple[str, ...] = ()
    skipped: bool = False  # nothing to export yet (no dialog appeared), or the format is not offered


def export_points(window) -> list[ExportPoint]:
    tools = window.tools
    maps, heads, flow, compare = tools["maps"], tools["heads"], tools["flow"], tools["compare"]
    generate, lab = tools["generate"], tools["seq2seq"]
    points = [
        ExportPoint("maps", "maps: map on screen", maps.export_action.trigger, probabilities=True),
        ExportPoint("maps", "maps: every head of the layer", maps.export_layer_action.trigger, True, folder=True),
        ExportPoint("heads", "heads: atlas", heads.export_action.trigger),
        ExportPoint("flow", "flow: rollout", flow.export_rollout_action.trigger, probabilities=True),
        ExportPoint("flow", "flow: flow bars", flow.export_flow_action.trigger),
        ExportPoint("compare", "compare: A, B and B − A", compare.export_action.trigger),
        ExportPoint("generate", "generate: row", generate.row_action.trigger, probabilities=True),
        ExportPoint("generate", "generate: map", generate.map_action.trigger, probabilities=True),
        ExportPoint("seq2seq", "seq2seq: map", lab.view.export_button.click, probabilities=True),
        ExportPoint("patching", "patching: figure on screen", tools["patching"].export_action.trigger),
        ExportPoint("geometry", "query–key: scatter", tools["geometry"].export_action.trigger),
        ExportPoint("corpus", "corpus: atlas", tools["corpus"].export_atlas_action.trigger),
        ExportPoint("corpus", "corpus: top examples", tools["corpus"].export_examples_action.trigger),
    ]
    foundations = tools["foundations"]
    for page in foundations.pages:
        for key, frame in page.frames.items():
            ready = lambda page=page, key=key: key in page.views and page.frames[key].isVisible()  # noqa: E731
            label = f"foundations: {page.name}/{key}"
            points.append(ExportPoint("foundations", label, frame.export_button.click, ready=ready))
    return points


class Exporter:
    """Runs export points through their dialogs; counts what was written, per format and per point."""

    def __init__(self, window, work: Path):
        self.window, self.work = window, work
        self.turns: dict[str, itertools.count] = {}  # point label -> how many times it was exported
        self.per_format: Counter[str] = Counter()
        self.per_point: Counter[str] = Counter()
        self._number = itertools.count(1)

    def export(self, point: ExportPoint, cancel: bool = False) -> ExportOutcome:
        """Export once through the dialog, in the point's next format; cancel: press Cancel as soon as it starts."""
        number = next(self._number)
        target = self.work / f"{number:05d}-{point.tool}"
        picked: list[str] = []

        def answer(dialog) -> None:
            offered = [s for s in offered_suffixes(dialog) if s]
            if not offered:
                dialog.reject()
                return
            # Each point starts one format further than the one before: a short run sees every format too.
            turn = next(self.turns.setdefault(point.label, itertools.count(len(self.turns))))
            suffix = offered[turn % len(offered)]
            picked.append(suffix)
            path = target if point.folder else target.with_suffix(suffix)
            if isinstance(dialog, QFileDialog):
                fill_file_dialog(dialog, path, suffix)
            else:
                fill_export(dialog, path, suffix)

        seen = through_dialog(point.trigger, answer)
        if not seen or not picked:
            return ExportOutcome(f"{point.label}: no export dialog (nothing to export yet)", skipped=True)
        suffix = picked[0]
        if cancel:
            self.window.jobs.cancel("export")  # the status bar's Cancel, pressed at once
            self.window.jobs.cancel("lab-export")
        settle(self.window)
        return self._outcome(point, suffix, target, seen, cancel)

    def _outcome(self, point: ExportPoint, suffix: str, target: Path, seen: str, cancelled: bool) -> ExportOutcome:
        what = f"{point.label} as {suffix} through {seen}" + (", cancelled at once" if cancelled else "")
        if point.folder:
            files = tuple(sorted(target.glob(f"*{suffix}"))) if target.is_dir() else ()
            expected = self.window.workspace.run.n_heads if self.window.workspace.run is not None else 0
            problems = [] if cancelled or len(files) == expected else [f"{len(files)} files for {expected} heads"]
        else:
            path = target.with_suffix(suffix)
            files = (path,) if path.exists() or not cancelled else ()  # a cancelled export may write nothing
            problems = [] if files else ([] if cancelled else [f"{path.name} was not written"])
        folder = target if point.folder else self.work
        strays = [p.name for p in folder.glob(f".{'' if point.folder else target.name}*.part")]  # atomic writes' temps
        problems += [f"left behind: {', '.join(strays)}"] if strays else []
        for path in files:
            problems += check_file(path, point.probabilities)
        if files and not problems:
            self.per_format[suffix] += len(files)
            self.per_point[point.label] += 1
        return ExportOutcome(what, suffix, files, tuple(problems))
