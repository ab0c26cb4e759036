"""What the endurance run does in each tool besides exporting: train, stop, cancel, navigate, change a setting.

Each action acts as a user would (a button's click, a key on the focused map, a menu action) and returns a
Step: what was done, and any problem seen on the way. The checks that hold after every action (window alive,
nothing logged, no error dialog) are the endurance run's; the ones here are each action's own.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QGraphicsView

from .dialogs import fill_file_dialog, through_dialog
from .driver import settle, spin, wait_until

TRAIN_SECONDS = 2.0  # each training click trains this long before Stop: a few steps, whatever the machine
LAB_SNAPSHOT_EVERY = 10  # the lab's form is set to snapshot this often, so a short run has a map to export
LAB_TIMEOUT_S = 120.0
LAB_DRAIN_S = 0.6  # a few of the lab's drain ticks (250 ms): its last events are in by then
READOUT = re.compile(r"q\s*(\d+).*?k\s*(\d+).*?:\s*(-?[\d.]+(?:e-?\d+)?)\s*$")  # q 9 "␣was" → k 1 "…": 0.0718


@dataclass
class Step:
    what: str
    problems: list[str] = field(default_factory=list)
    stale: bool = False  # a run was cancelled: the window keeps the previous map on purpose


def open_tool(window, name: str) -> Step:
    """The Tools menu's entry for the tool (what Ctrl+1…7 trigger)."""
    action = next((a for a in window.tool_actions.actions() if a.data() == name), None)
    if action is None:
        return Step(f"open {name}", [f"the Tools menu has no entry for {name}"])
    action.trigger()
    if name == "seq2seq":  # the form fills with the lab's defaults by a job when the lab is first shown
        wait_until(lambda: window.tools["seq2seq"].form_filled, 120.0, "the lab's form")
    settle(window, 600.0)  # Heads computes every head's scores the first time: slow on a big model
    return Step(f"open {name}", [] if window.active_tool is window.tools[name] else [f"{name} is not in front"])


def train_lab(window) -> Step:
    """Seq2seq Lab: Start, train a couple of seconds, Pause, Resume, Stop; the map must follow the steps."""
    lab, view = window.tools["seq2seq"], window.tools["seq2seq"].view
    if not view.start_button.isEnabled():
        view.reset_button.click()
        settle(window)
    before = lab.training.history.summary().get("step", 0) if lab.training.handle else 0
    if lab.training.phase == "idle":  # as a user would: snapshots often, so a short run has maps to show
        values = view.form.values()
        view.form.set_values({**values, "snapshot_every": LAB_SNAPSHOT_EVERY})
    view.start_button.click()
    _run_for(TRAIN_SECONDS)
    snapshots = len(lab.training.history.snapshots)
    wanted = lambda: len(lab.training.history.snapshots) > snapshots  # noqa: E731
    wait_until(lambda: wanted() or lab.training.phase != "training", LAB_TIMEOUT_S, "a lab snapshot")
    view.pause_button.click()
    _run_for(0.3)
    view.pause_button.click()  # Resume
    _run_for(0.5)
    view.stop_button.click()
    settle(window)
    _take_in_last_step(lab)
    step = lab.training.history.summary().get("step", 0)
    problems = [] if lab.training.phase == "stopped" else [f"the lab is {lab.training.phase!r} after Stop"]
    if step <= before and lab.training.phase == "stopped":
        problems.append(f"training reached step {step} after Start, no further than {before}")
    return Step(f"seq2seq: train to step {step}, pause, resume, stop", problems)


def _take_in_last_step(lab) -> None:
    """After Stop the job ends between two steps; the lab takes in that last step on its next drain tick."""
    handle = lab.training.handle
    if handle is not None:
        wait_until(lambda: not handle.busy, LAB_TIMEOUT_S, "the lab's job to stop")
    _run_for(LAB_DRAIN_S)


def save_and_load_lab(window, folder: Path) -> Step:
    """Seq2seq Lab: Save… to a new file and Load… it back, both through the file dialogs."""
    lab, view = window.tools["seq2seq"], window.tools["seq2seq"].view
    if not view.save_button.isEnabled():
        return Step("seq2seq: save and load (nothing trained to save)")
    path = folder / f"lab-{time.monotonic_ns()}.safetensors"
    saved = through_dialog(view.save_button.click, lambda d: fill_file_dialog(d, path, ".safetensors"))
    settle(window)
    problems = [] if path.is_file() else [f"Save… through {saved or 'no dialog'} wrote no {path.name}"]
    step = lab.training.history.summary().get("step", 0)
    loaded = through_dialog(view.load_button.click, lambda d: fill_file_dialog(d, path, ".safetensors"))
    settle(window)
    after = lab.training.history.summary().get("step", 0)
    if not problems and (lab.training.phase != "stopped" or after != step):
        problems.append(f"Load… of the model saved at step {step} shows {lab.training.phase!r} at step {after}")
    return Step(f"seq2seq: save at step {step} through {saved}, load through {loaded}", problems)


def reset_lab(window) -> Step:
    view = window.tools["seq2seq"].view
    if view.reset_button.isEnabled():
        view.reset_button.click()
    settle(window)
    return Step("seq2seq: reset")


def train_foundations(window, page_name: str) -> Step:
    """Foundations: a trainable page's Train, a couple of seconds, then Stop (or let it finish)."""
    tool = window.tools["foundations"]
    tool.show_page(page_name)
    settle(window)
    page = tool.by_name[page_name]
    page.train_button.click()
    _run_for(TRAIN_SECONDS)
    if page.stop_button.isEnabled():
        page.stop_button.click()
    settle(window)
    problems = [] if page.train_button.isEnabled() else [f"{page_name}: Train stays disabled after Stop"]
    return Step(f"foundations: train {page_name}, stop", problems)


def show_page(window, page_name: str) -> Step:
    window.tools["foundations"].show_page(page_name)
    settle(window)
    return Step(f"foundations: page {page_name}")


def generate(window, stop_at_once: bool) -> Step:
    tool = window.tools["generate"]
    model = window.workspace.model
    if model is None or not model.causal:
        return Step("generate: skipped, the model is an encoder")
    tool.view.generate_button.click()
    if stop_at_once:
        tool.view.stop_button.click()
    settle(window, 300.0)
    return Step("generate, then Stop at once" if stop_at_once else f"generate {len(tool.steps)} steps")


def cycle_combo(window, combo, what: str, skip: tuple = ()) -> Step:
    """Pick the combo's next entry (Colour by, head reduction, measure …), as a user choosing from the list."""
    for offset in range(1, combo.count() + 1):
        index = (combo.currentIndex() + offset) % combo.count()
        if combo.itemData(index) not in skip:
            combo.setCurrentIndex(index)
            break
    settle(window, 600.0)
    return Step(f"{what}: {combo.currentText()}")


def knock_out_and_clear(window) -> Step:
    """Heads: Ctrl+click a head (the atlas's knockout signal), then Clear knockouts."""
    view = window.tools["heads"].view
    view.atlas.knockout_toggled.emit(0, 0)
    settle(window, 600.0)
    knocked = window.workspace.state.options.ablate
    view.clear_button.click()
    settle(window, 600.0)
    problems = [] if knocked else ["Ctrl+click knocked no head out"]
    left = window.workspace.state.options.ablate
    problems += [f"Clear knockouts left {sorted(left)} knocked out"] if left else []
    return Step("heads: knock out L0H0, then clear", problems)


def cancel_run(window) -> Step:
    """Run Again (F5), then Cancel Run (Ctrl+.) at once, then F5 again: the map comes back for the same text."""
    QTest.keyClick(window, Qt.Key_F5)
    QTest.keyClick(window, Qt.Key_Period, Qt.ControlModifier)
    settle(window)
    QTest.keyClick(window, Qt.Key_F5)
    settle(window)
    return Step("F5, then Ctrl+. at once, then F5")


def navigate_maps(window, rng) -> Step:
    """Maps: click a cell, then arrow keys to another head and layer; the readout must belong to the new map."""
    maps = window.tools["maps"]
    figure = maps.view.heatmap
    if maps.last_map is None or not figure.isVisible():
        return Step("maps: navigate (no single-head map shown)")
    view = figure if isinstance(figure, QGraphicsView) else figure.findChild(QGraphicsView)
    target = view.viewport() if view is not None else figure
    n = maps.last_map.matrix.shape[-1]
    row = rng.randrange(n)
    cell = cell_point(figure, view, row, rng.randint(0, row))  # on or below the diagonal: seen under any mask
    QTest.mouseMove(target, cell)  # the readout follows the pointer; the click selects the cell
    QTest.mouseClick(target, Qt.LeftButton, Qt.NoModifier, cell)
    figure.setFocus()
    keys = [rng.choice((Qt.Key_Left, Qt.Key_Right, Qt.Key_Up, Qt.Key_Down)) for _ in range(rng.randint(1, 5))]
    for key in keys:
        QTest.keyClick(figure, key)
        spin(10)
    settle(window)
    return Step(f"maps: click a cell, {len(keys)} arrow keys", readout_problems(maps))


def cell_point(figure, view, row: int, column: int) -> QPoint:
    """Where cell (row, column) of the heatmap is drawn, in its view's viewport (the centre if unknown)."""
    box = getattr(getattr(figure, "plot", None), "getViewBox", lambda: None)()
    if box is None or view is None:
        return QPoint(view.viewport().width() // 2, view.viewport().height() // 2) if view else QPoint(10, 10)
    return view.mapFromScene(box.mapViewToScene(QPointF(column, row)))


def readout_problems(maps) -> list[str]:
    """A number under the map is the shown map's value at that cell, or the line is empty (issue 21, item 3)."""
    text, result = maps.view.hover.text().strip(), maps.last_map
    match = READOUT.search(text)
    if not match or result is None or result.matrix.ndim != 2:
        return []
    q, k, shown = int(match[1]), int(match[2]), float(match[3])
    matrix = result.matrix
    if q >= matrix.shape[0] or k >= matrix.shape[1]:
        return [f"the readout {text!r} names a cell outside the {matrix.shape} map on screen"]
    actual = float(matrix[q, k])
    digits = len(match[3].split(".")[1]) if "." in match[3] else 0
    if abs(actual - shown) > 0.6 * 10.0**-digits + 1e-6 and abs(actual - shown) > 1e-3 * abs(actual):
        request = result.request
        return [f"stale readout: {text!r} under L{request.layer}H{request.head}, whose value there is {actual:.4g}"]
    return []


def _run_for(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        spin(20)
