"""One visit to each tool during the endurance run: what is done there, in order, before moving on.

Each visit changes something the tool shows (a score, a query, a page, a generation, a training run),
exports every one of the tool's export points once (each in its next format; every fourth export is cancelled
as soon as it starts), and for the labs trains and stops. The visit is a list of (kind, what, action) so the
run can check the window after each action and name it in a failure.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

from .analysis_actions import (
    corpus_browse,
    corpus_run,
    geometry_change,
    geometry_pool,
    patching_attribute,
    patching_change,
    patching_sweep,
)
from .tool_actions import (
    Step,
    cancel_run,
    cycle_combo,
    generate,
    knock_out_and_clear,
    navigate_maps,
    reset_lab,
    save_and_load_lab,
    show_page,
    train_foundations,
    train_lab,
)

CANCEL_EVERY = 4  # of the exports, every fourth is cancelled as soon as it starts
TRAINABLE_PAGES = ("pooling", "classifier")
EXPENSIVE_SCORES = ("importance",)  # one run per head: Heads shows it every third visit only

_exports = itertools.count(1)
_visits = itertools.count(1)
_tool_visits: dict[str, int] = {}  # tool -> how many times it was visited: the newest tools do more from the second
ONE_ACTION_FIRST = ("patching", "geometry", "corpus")  # the first round (all the short run sees) stays short

Action = tuple[str, str, Callable[[], object]]


def tool_visit(run, name: str, points: list) -> Iterator[Action]:
    """The actions of one visit to the tool name; run is the Endurance run (its window changes over time)."""
    visit = next(_visits)
    _tool_visits[name] = _tool_visits.get(name, 0) + 1
    if name in ONE_ACTION_FIRST:
        visit = _tool_visits[name]
    if name == "foundations":
        yield from _foundations(run, visit, points)
        return
    yield from VISITS[name](run, visit)
    yield from _exports_of(run, points)


def _exports_of(run, points: list) -> Iterator[Action]:
    for point in points:
        cancel = next(_exports) % CANCEL_EVERY == 0
        yield "export", f"export {point.label}", lambda point=point, cancel=cancel: run.export(point, cancel)


def _page_exports(run, points: list) -> Iterator[Action]:
    """The figures of the Foundations page on screen that show something: each has its own Export… button."""
    page = run.window.tools["foundations"].page.name
    yield from _exports_of(run, [p for p in points if p.label.startswith(f"foundations: {page}/") and p.ready()])


def _maps(run, visit: int) -> Iterator[Action]:
    yield "navigate", "maps: click a cell and use the arrow keys", lambda: navigate_maps(run.window, run.rng)
    if visit % 2 == 0:
        yield "cancel", "maps: run again and cancel", lambda: cancel_run(run.window)
    yield "change", "maps: next weighting", lambda: _combo(run, "maps", "weighting", "maps: weighting")


def _heads(run, visit: int) -> Iterator[Action]:
    skip = () if visit % 3 == 0 else EXPENSIVE_SCORES
    yield "change", "heads: Colour by the next score", lambda: _combo(run, "heads", "picker", "heads: colour by", skip)
    yield "change", "heads: knock out and clear", lambda: knock_out_and_clear(run.window)


def _flow(run, visit: int) -> Iterator[Action]:
    yield "change", "flow: next head reduction", lambda: _combo(run, "flow", "head_reduce", "flow: heads")
    yield "change", "flow: previous query", lambda: _step_spin(run, "flow", "query", -1)


def _compare(run, visit: int) -> Iterator[Action]:
    preset = lambda: _combo(run, "compare", "preset", "compare: preset", (-1,), "variants")  # noqa: E731
    yield "change", "compare: next preset", preset
    yield "change", "compare: next measure", lambda: _combo(run, "compare", "measure", "compare: measure")


def _generate(run, visit: int) -> Iterator[Action]:
    yield "cancel", "generate and stop at once", lambda: generate(run.window, stop_at_once=True)
    yield "train", "generate", lambda: generate(run.window, stop_at_once=False)


def _seq2seq(run, visit: int) -> Iterator[Action]:
    if visit % 4 == 0:
        yield "change", "seq2seq: reset", lambda: reset_lab(run.window)
    yield "train", "seq2seq: train a few steps", lambda: train_lab(run.window)
    if visit % 2 == 0:
        yield "file", "seq2seq: save and load", lambda: save_and_load_lab(run.window, run.work)


def _foundations(run, visit: int, points: list) -> Iterator[Action]:
    """Train a trainable page and export its figures; then another page, and its figures."""
    pages = [page.name for page in run.window.tools["foundations"].pages]
    trainable = TRAINABLE_PAGES[visit % len(TRAINABLE_PAGES)]
    yield "train", f"foundations: train {trainable}", lambda: train_foundations(run.window, trainable)
    yield from _page_exports(run, points)
    page = [name for name in pages if name not in TRAINABLE_PAGES][visit % (len(pages) - len(TRAINABLE_PAGES))]
    yield "change", f"foundations: page {page}", lambda: show_page(run.window, page)
    yield from _page_exports(run, points)


def _patching(run, visit: int) -> Iterator[Action]:
    """The first visit sweeps once (the short run's budget); later ones change a control and attribute too."""
    yield "run", "patching: sweep", lambda: patching_sweep(run.window, visit)
    if visit > 1:
        yield "change", "patching: direction or method", lambda: patching_change(run.window, visit)
        yield "run", "patching: attribute", lambda: patching_attribute(run.window)


def _geometry(run, visit: int) -> Iterator[Action]:
    yield "change", "query–key: tab and head", lambda: geometry_change(run.window, visit)
    if visit > 1:
        yield "run", "query–key: pool over a corpus", lambda: geometry_pool(run.window, run.work)


def _corpus(run, visit: int) -> Iterator[Action]:
    yield "run", "corpus: open and run", lambda: corpus_run(run.window, run.work)
    if visit > 1:
        yield "change", "corpus: score, head, example", lambda: corpus_browse(run.window)


VISITS = {
    "maps": _maps,
    "heads": _heads,
    "flow": _flow,
    "compare": _compare,
    "generate": _generate,
    "seq2seq": _seq2seq,
    "patching": _patching,
    "geometry": _geometry,
    "corpus": _corpus,
}


def _combo(run, tool: str, name: str, what: str, skip: tuple = (), holder: str = "view") -> Step:
    """The combo named name on the tool's view (or another of its widgets, holder)."""
    return cycle_combo(run.window, getattr(getattr(run.window.tools[tool], holder), name), what, skip)


def _step_spin(run, tool: str, name: str, delta: int) -> Step:
    from .driver import settle

    spin = getattr(run.window.tools[tool].view, name)
    value = spin.value() + delta
    spin.setValue(value if spin.minimum() <= value <= spin.maximum() else spin.maximum())
    settle(run.window)
    return Step(f"{tool}: {name} {spin.value()}")
