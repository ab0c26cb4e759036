"""A map that no longer matches the text says so until it does (issue 21 item 19): emptying the text, or a
run cancelled before it finished, leaves the last good run on screen, greyed under a banner in every tool that
shows the run, with the token strip, next tokens and timings greyed too; a run of the current text lifts it."""

import pytest
from gui_helpers import close, maps_of, open_window, wait_for_map

from explorer.gui.widgets.stale_mark import is_marked_stale

SENTENCE = "The animal didn't cross the street because it was too tired."


@pytest.fixture
def window(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path)
    yield window
    close(window)


def marked(window) -> bool:
    figures = (maps_of(window).view.heatmap, window.tools["flow"].view.heatmap, window.shared.timings_panel.chart)
    return all(is_marked_stale(figure) for figure in figures) and not window.shared.token_strip.isEnabled()


def unmarked(window) -> bool:
    figures = (maps_of(window).view.heatmap, window.tools["flow"].view.heatmap, window.shared.timings_panel.chart)
    return not any(is_marked_stale(f) for f in figures) and window.shared.token_strip.isEnabled()


def test_emptying_the_text_marks_the_views_stale_until_a_text_runs(qtbot, window):
    banner = window.centre.banner
    assert not banner.isVisible() and unmarked(window)
    window.shared.editor.setPlainText("")
    qtbot.waitUntil(lambda: banner.isVisible(), timeout=30000)
    assert "empty" in banner.text() and marked(window)
    assert maps_of(window).view.heatmap.matrix is not None, "the last good map stays, greyed, not blanked"
    window.open_tool("seq2seq")
    assert not banner.isVisible(), "the Seq2seq Lab shows nothing of the session's run"
    window.open_tool("flow")
    assert banner.isVisible()
    window.open_tool("maps")
    wait_for_map(qtbot, window, lambda: window.shared.editor.setPlainText("A cat."))
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=30000)
    assert unmarked(window) and not window.freshness.stale


def test_a_cancelled_run_leaves_the_views_marked_and_f5_clears_them(qtbot, window):
    workspace, banner = window.workspace, window.centre.banner
    engine = workspace._engine_jobs
    run_texts = engine.run_texts

    def cancelled(ctx, texts, options):
        workspace.jobs._newest.cancel("run")  # what the status bar's Cancel does, at a known moment
        ctx.report(1, 30, "")
        return run_texts(ctx, texts, options)

    engine.run_texts = cancelled
    with qtbot.waitSignal(workspace.jobs.ended, check_params_cb=lambda kind: kind == "run", timeout=60000):
        window.shared.editor.setPlainText(SENTENCE + " It slept.")
    engine.run_texts = run_texts
    qtbot.waitUntil(lambda: banner.isVisible(), timeout=10000)
    assert "Out of date" in banner.text() and marked(window)
    assert len(workspace.run.tokens[0]) < 16, "the map on screen is still the old sentence's"
    wait_for_map(qtbot, window, workspace.rerun)
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=30000)
    assert unmarked(window)


def test_an_ordinary_run_never_flashes_the_mark(qtbot, window):
    """Typing runs the model again: the views are faded as "updating…", never marked stale on the way."""
    flashes = []
    window.freshness.marked_changed.connect(flashes.append)
    wait_for_map(qtbot, window, lambda: window.shared.editor.setPlainText(SENTENCE + " It slept."))
    qtbot.wait(50)
    assert flashes == [] and not window.centre.banner.isVisible()
