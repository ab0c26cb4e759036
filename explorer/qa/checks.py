"""What must hold whenever the window is idle: the map shown belongs to the shown text, model and options.

Each check returns a list of problems (empty when all is well), so the monkey can report every one of them
with the action that led there.
"""

from __future__ import annotations

import numpy as np

from explorer.gui.variant_bridge import options_from_choice
from models.options import resolve


def engine_model(window):
    """The engine's loaded model: the truth the checks compare the window against (read only while idle)."""
    return window.workspace.engine_model


def check_window(window, stale: bool) -> list[str]:
    """stale: the last run failed or was cancelled, so the window keeps the previous run's map on purpose."""
    workspace, maps = window.workspace, window.tools["maps"]
    run, model = workspace.run, workspace.model
    if model is None:
        return [] if run is None else ["a run is shown without a model"]
    problems = []
    if run is None:
        return problems if stale else ["a model is loaded, the window is idle, and no run is shown"]
    if run.model != model.name:
        problems.append(f"the run is of {run.model!r} but the model is {model.name!r}")
    if maps.state.view == "lines":
        problems += check_lines(maps.lines.last, run, workspace.state.seq, maps.state, stale)
    else:
        problems += check_map(maps.last_map, run, workspace.state.seq, maps.state, stale)
    if not stale:
        problems += check_inputs(window, run)
    return problems


def check_inputs(window, run) -> list[str]:
    """The run is of the workspace's texts and options, and the controls show them."""
    workspace, problems = window.workspace, []
    state = workspace.state
    if workspace.model.name != state.model:
        problems.append(f"the session names model {state.model!r} but {workspace.model.name!r} is loaded")
    if run.n_sequences != len(state.texts):
        problems.append(f"the run has {run.n_sequences} sequences, the session {len(state.texts)} texts")
    editor = window.shared.editor.toPlainText()
    if state.texts and editor != state.texts[state.seq]:
        problems.append(f"the editor shows {editor[:40]!r}, the workspace's text is {state.texts[state.seq][:40]!r}")
    config = engine_model(window).config
    try:
        wanted = resolve(state.options, config)
    except ValueError as error:
        return [*problems, f"the session holds options the model refuses ({error}) and the run has no error"]
    if run.options != wanted:
        problems.append(f"the run used {run.options}, the session's options resolve to {wanted}")
    panel = window.shared.variant_panel
    try:
        shown = resolve(options_from_choice(panel.choice()), config)
    except ValueError as error:
        shown = f"invalid ({error})"
    if shown != wanted:
        problems.append(f"the variant panel shows {shown}, the session's options are {wanted}")
    return problems


def check_map(result, run, seq: int, state, stale: bool) -> list[str]:
    if result is None:
        return [] if stale else ["no map is shown for the current run"]
    problems = []
    request = result.request
    if result.run_id != run.request_id:
        problems.append(f"the map is of run {result.run_id}, the shown run is {run.request_id}")
    shown, wanted = (request.layer, request.head, request.mode, request.seq), (state.layer, state.head, state.view, seq)
    if not stale and shown != wanted:
        problems.append(f"the map shows {request}, the Maps tool is at {state} on sequence {seq}")
    n = len(run.tokens[request.seq]) if request.seq < run.n_sequences else -1
    expected = (run.n_heads, n, n) if request.mode == "grid" else (n, n)
    if result.matrix.shape != expected:
        problems.append(f"the map is {result.matrix.shape} for a run of {n} tokens (expected {expected})")
    problems += check_values(result.matrix)
    return problems


def check_lines(result, run, seq: int, state, stale: bool) -> list[str]:
    """The Lines view's lines are of the shown run, layer and sequence; every weight is a probability."""
    if result is None:
        return [] if stale else ["no lines are shown for the current run"]
    request, problems = result.request, []
    if result.run_id != run.request_id:
        problems.append(f"the lines are of run {result.run_id}, the shown run is {run.request_id}")
    if not stale and (request.layer, request.seq) != (state.layer, seq):
        problems.append(f"the lines show {request}, the Maps tool is at {state} on sequence {seq}")
    n = len(run.tokens[request.seq]) if request.seq < run.n_sequences else -1
    for one in result.heads:
        if len(one) and (max(one.rows.max(), one.cols.max()) >= n or not np.isfinite(one.weights).all()):
            problems.append(f"head {one.head}'s lines are outside the {n} tokens or not finite")
        elif len(one) and (one.weights.min() < request.threshold or one.weights.max() > 1 + 1e-5):
            problems.append(f"head {one.head}'s lines hold weights outside [{request.threshold:g}, 1]")
    return problems


def check_values(matrix: np.ndarray) -> list[str]:
    """Attention rows are probabilities: finite, in [0, 1], each summing to 1 (or 0 for a row that sees no key)."""
    if not np.isfinite(matrix).all():
        return ["the map holds values that are not finite"]
    if matrix.size and (matrix.min() < -1e-6 or matrix.max() > 1 + 1e-5):
        return [f"the map holds values outside [0, 1]: {matrix.min():g} … {matrix.max():g}"]
    sums = matrix.sum(axis=-1)
    bad = ~(np.isclose(sums, 1.0, atol=1e-3) | np.isclose(sums, 0.0, atol=1e-6))
    return [f"{int(bad.sum())} map rows sum to neither 1 nor 0 (e.g. {sums[bad].ravel()[0]:g})"] if bad.any() else []


def check_against_engine(window) -> list[str]:
    """Expensive: run the workspace's texts again ourselves, and compare tokens and the shown head's map."""
    workspace, maps = window.workspace, window.tools["maps"]
    run, result = workspace.run, maps.last_map
    if run is None or result is None:
        return []
    fresh = engine_model(window).run(list(workspace.state.texts), options=workspace.state.options)
    problems = []
    if fresh.tokens != run.tokens:
        problems.append(f"the shown tokens {run.tokens} are not the text's tokens {fresh.tokens}")
    elif result.request.mode == "head":
        r = result.request
        expected = fresh.attention(r.layer, r.head, r.seq)
        if not np.allclose(expected, result.matrix, atol=1e-5):
            difference = np.abs(expected - result.matrix).max()
            problems.append(f"the shown map of {r} differs from a fresh run's by {difference:g}")
    return problems
