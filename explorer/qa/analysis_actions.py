"""What the endurance run does in the Patching, Query–Key and Corpus tools: run, change a control, check no stale value.

Each action acts as a user would (a button's click, a combo's choice, a file dialog answered) and returns a
Step whose problems say where the tool shows something that is not of its current inputs: a sweep of other
texts or answers, a scatter of another head, method or run, a corpus atlas of another score, or a ⚠ status.
"""

from __future__ import annotations

import json
from pathlib import Path

from .dialogs import fill_file_dialog, through_dialog
from .driver import settle
from .tool_actions import Step, cycle_combo

CORPUS_TEXTS = (
    "The cat sat on the mat, and the cat slept.",
    "When Mary and John went to the store, John gave a drink to Mary.",
    "One two three four five, one two three four five.",
    "The river ran past the old mill and into the town.",
    "She read the letter twice before she put it away.",
    "A B C D E F G, A B C D E F G.",
)
WARNING = "⚠"
TYPED_PAIR = ("When A and B went out, B gave a drink to", "When A and B went out, A gave a drink to")


def corpus_file(work: Path) -> Path:
    """A small corpus (.jsonl) in the run's folder, written once: what Corpus and "Pool over a corpus…" open."""
    path = work / "qa-corpus.jsonl"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = (json.dumps({"id": f"t{i}", "text": text}) for i, text in enumerate(CORPUS_TEXTS))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _warned(label, what: str) -> list[str]:
    text = label.text()
    return [f"{what} says {text!r}"] if text.lstrip().startswith(WARNING) else []


# -- Patching ---------------------------------------------------------------------------------------------------
def patching_sweep(window, visit: int) -> Step:
    """Patching: a template (or, on even visits, a pair typed in), both texts run, the answer and wrong answer
    picked from the clean run's predictions, then Run sweep; the sweep shown must be of exactly these inputs.

    A template whose two texts the model's tokenizer splits into different lengths (a character-level one) must
    be refused with a ⚠ in the status; the pair typed in then differs by one letter, the same length anywhere."""
    inputs = window.tools["patching"].inputs
    model = window.workspace.model
    if model is not None and not model.causal:
        return _refused_on_an_encoder(window)
    refused: list[str] = []
    if visit % 2:
        index = visit // 2 % max(inputs.template.count() - 1, 1)  # the templates in turn, not "your own texts"
        inputs.template.setCurrentIndex(index)
        inputs.template.activated.emit(index)
        settle(window, 600.0)
        if _lengths(window) is not None and len(set(_lengths(window))) > 1:
            inputs.run_button.click()
            settle(window, 600.0)
            refused = [] if inputs.status.text().startswith(WARNING) else [
                f"a pair of {_lengths(window)} tokens was swept without a word: {inputs.status.text()!r}"]  # fmt: skip
    if not visit % 2 or refused or inputs.status.text().startswith(WARNING):
        for line, text in ((inputs.clean, TYPED_PAIR[0]), (inputs.corrupt, TYPED_PAIR[1])):
            line.setText(text)
            line.textEdited.emit(text)  # what typing sends: the template becomes "your own texts"
        inputs.clean.returnPressed.emit()
        settle(window, 600.0)
    if inputs.answer.count() >= 2:  # the model's own top two: single tokens whatever its tokenizer
        inputs.answer.setCurrentIndex(0)
        inputs.wrong.setCurrentIndex(1)
    inputs.run_button.click()
    settle(window, 600.0)
    what = f"patching: sweep {inputs.what.currentData()}, {inputs.method.currentData()} on {inputs.clean.text()!r}"
    return Step(what, refused + sweep_problems(window.tools["patching"]))


def _refused_on_an_encoder(window) -> Step:
    """Patching reads a next-token prediction: on an encoder, Run sweep must say so (a ⚠), and show no sweep."""
    tool = window.tools["patching"]
    tool.inputs.run_button.click()
    settle(window, 600.0)
    said = tool.inputs.status.text()
    problems = [] if said.startswith(WARNING) else [f"Run sweep on an encoder says {said!r}, not a ⚠"]
    return Step("patching: refused on an encoder, with a message", problems)


def _lengths(window) -> list[int] | None:
    run = window.workspace.run
    return None if run is None or run.n_sequences != 2 else [sum(run.is_real[s]) for s in (0, 1)]


def sweep_problems(tool) -> list[str]:
    """The sweep shown is of the texts, answers and choices on screen, and its numbers are finite."""
    import numpy as np

    inputs, result = tool.inputs, tool.result
    problems = _warned(inputs.status, "the Patching status")
    if result is None:
        return problems or ["Run sweep showed no sweep and no error"]
    request = result.request
    shown = (request.clean, request.corrupt, request.answer, request.what, request.direction, request.method)
    asked = (inputs.clean.text(), inputs.corrupt.text(), inputs.token(inputs.answer), inputs.what.currentData(),
             inputs.direction.currentData(), inputs.method.currentData())  # fmt: skip
    if shown != asked:
        problems.append(f"stale sweep: it is of {shown}, the inputs say {asked}")
    if not np.isfinite(result.restored).any():
        problems.append(f"the sweep's restored fractions are all non-finite ({result.restored.shape})")
    return problems


def patching_change(window, visit: int) -> Step:
    """Patching: the next direction (odd visits) or method (even visits), then Run sweep again."""
    inputs = window.tools["patching"].inputs
    if window.workspace.model is not None and not window.workspace.model.causal:
        return Step("patching: change, skipped (the model is an encoder)")
    box, what = (inputs.direction, "direction") if visit % 2 else (inputs.method, "method")
    cycle_combo(window, box, f"patching: {what}")
    box.activated.emit(box.currentIndex())  # what a user's choice sends: the tool remembers it
    inputs.run_button.click()
    settle(window, 600.0)
    tool = window.tools["patching"]
    return Step(f"patching: {what} {box.currentData()}, sweep again", sweep_problems(tool))


def patching_attribute(window) -> Step:
    """Patching: the Attribution tab's Attribute; the tokens shown must be of the clean text's head asked for."""
    tool = window.tools["patching"]
    if window.workspace.model is not None and not window.workspace.model.causal:
        return Step("patching: attribute, skipped (the model is an encoder)")
    page = tool.results.attribution
    tool.results.setCurrentWidget(page)
    page.run_button.click()
    settle(window, 600.0)
    problems = _warned(page.summary, "the Attribution summary")
    result = tool.attribution
    if result is None and not problems:
        problems.append("Attribute showed no attribution and no error")
    elif result is not None and (result.layer, result.head) != (page.layer.value(), page.head.value()):
        problems.append(f"stale attribution: L{result.layer}H{result.head}, the spin boxes say "
                        f"L{page.layer.value()}H{page.head.value()}")  # fmt: skip
    tool.results.setCurrentIndex(0)
    return Step(f"patching: attribute L{page.layer.value()}H{page.head.value()}", problems)


# -- Query–Key ----------------------------------------------------------------------------------------------------
def geometry_problems(window) -> list[str]:
    """The page on screen shows the tool's head (and method) of the current run, or says why not."""
    tool, workspace = window.tools["geometry"], window.workspace
    run, state = workspace.run, tool.state
    problems = _warned(tool.view.status, "the Query–Key status")
    if run is None or problems:
        return problems
    if state.page == "neuron":
        shown = tool.neuron
        key = None if shown is None else (shown.run_id, shown.seq, shown.layer, shown.head)
    else:
        shown = tool.scatter
        key = None if shown is None else (shown.layer, shown.head, shown.method)
        if shown is not None and shown.pool is None:
            key = (shown.run_id, shown.seq, *key)
    wanted = (state.layer, state.head) if state.page == "neuron" else (state.layer, state.head, state.method)
    if state.page == "neuron" or not tool.pooled:
        wanted = (run.request_id, workspace.state.seq, *wanted)
    if key != wanted:
        problems.append(f"stale {state.page}: it shows {key}, the controls and the run say {wanted}")
    return problems


def geometry_change(window, visit: int) -> Step:
    """Query–Key: the other tab, the next head, and on the scatter the next projection."""
    tool = window.tools["geometry"]
    view = tool.view
    view.tabs.setCurrentIndex(1 - view.tabs.currentIndex())
    settle(window, 600.0)
    view.head.setValue((view.head.value() + 1) % (view.head.maximum() + 1))
    settle(window, 600.0)
    what = f"query–key: {tool.state.page}, head {tool.state.head}"
    if tool.state.page == "scatter" and visit > 1:  # t-SNE and UMAP take a while: from the second visit on
        what = cycle_combo(window, view.method, what + ", projection").what
    return Step(what, geometry_problems(window))


def geometry_pool(window, work: Path) -> Step:
    """Query–Key: Pool over a corpus… through its file dialog, then back to the current text."""
    tool = window.tools["geometry"]
    path = corpus_file(work)
    seen = through_dialog(tool.view.pool_button.click, lambda d: fill_file_dialog(d, path, ".jsonl"))
    settle(window, 600.0)
    problems = geometry_problems(window)
    scatter = tool.scatter
    if not problems and (scatter is None or scatter.pool is None or Path(scatter.pool[0]) != path):
        problems.append(f"Pool over a corpus… through {seen or 'no dialog'} shows no scatter pooled over {path.name}")
    if tool.view.text_button.isEnabled():
        tool.view.text_button.click()
        settle(window, 600.0)
        problems += geometry_problems(window)
        if tool.scatter is not None and tool.scatter.pool is not None:
            problems.append("Current text still shows the pooled scatter")
    return Step(f"query–key: pool over {path.name} through {seen or 'no dialog'}, then the current text", problems)


# -- Corpus -------------------------------------------------------------------------------------------------------
def corpus_run(window, work: Path) -> Step:
    """Corpus: Open Corpus… through its dialog, Run; the atlas must be of this corpus and the loaded model."""
    tool = window.tools["corpus"]
    path = corpus_file(work)
    seen = through_dialog(tool.view.open_corpus_button.click, lambda d: fill_file_dialog(d, path, ".jsonl"))
    settle(window, 600.0)
    tool.view.run_button.click()
    settle(window, 600.0)
    problems = _warned(tool.view.status, "the Corpus status")
    results, model = tool.results, window.workspace.model
    if results is None and not problems:
        problems.append(f"Run over {path.name} (opened through {seen or 'no dialog'}) showed no results and no error")
    elif results is not None and model is not None and results.summary["model"] != model.name:
        problems.append(f"stale corpus results: of {results.summary['model']}, the model is {model.name}")
    return Step(f"corpus: open {path.name} through {seen or 'no dialog'}, run", problems)


def corpus_browse(window) -> Step:
    """Corpus: the next score, a head clicked, its first example opened in Maps (the example becomes the text)."""
    tool = window.tools["corpus"]
    if tool.results is None:
        return Step("corpus: browse (no results to browse)")
    cycle_combo(window, tool.view.picker, "corpus: score")
    problems = [] if tool.score == tool.view.picker.currentData() else [
        f"the picker says {tool.view.picker.currentData()}, the atlas shows {tool.score}"]  # fmt: skip
    tool.view.atlas.head_clicked.emit(0, 0)
    settle(window, 600.0)
    problems += _warned(tool.view.status, "the Corpus status")
    if tool.view.examples.rowCount():
        tool.view.example_chosen.emit(0)
        settle(window, 600.0)
        first = tool.results.summary["scores"][tool.score]["top"][0][0][0]  # L0H0's top example
        example = tool.results.texts.get(first["text_id"])
        if example is not None and list(window.workspace.state.texts) != [example]:
            problems.append("the example opened is not the workspace's text")
    return Step(f"corpus: score {tool.score}, L0H0's first example in Maps", problems)
