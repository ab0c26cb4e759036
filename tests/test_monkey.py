"""The UI monkey, short: a real window through 200 seeded random actions, checked after each one.

The long run (1,000 actions and more) is a command: `python main.py qa monkey --actions 1000 --seed 0`.
"""

import threading

import pytest
from builders import write_hf_model
from gui_helpers import close, open_window

from explorer.qa.monkey import Monkey, describe

CI_ACTIONS = 200
SEED = 0


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory):
    """Two small random models (GQA with RoPE; learned positions) besides a shipped one: fast to switch."""
    root = tmp_path_factory.mktemp("monkey-models")
    write_hf_model(root / "tiny-llama", "llama")
    write_hf_model(root / "tiny-gpt2", "gpt2")
    return [str(root / "tiny-llama"), str(root / "tiny-gpt2")]


def test_the_monkey_finds_nothing_wrong_in_200_actions(qtbot, tmp_path, tiny_models):
    window = open_window(qtbot, tmp_path, model="all-minilm-l6-v2", text="the cat sat on the mat")
    try:
        monkey = Monkey(window, SEED, ["all-minilm-l6-v2", *tiny_models], tmp_path / "monkey")
        report = monkey.run(CI_ACTIONS)
    finally:
        close(window)
    assert report.failures == [], describe(report)
    assert report.done == CI_ACTIONS
    assert report.errors_shown > 0  # the bad files were tried, and refused


def test_a_job_cancelled_after_it_finished_still_delivers_its_result(qtbot):
    """Found by the monkey: a model switch cancelled from the status bar just as the load finished left the
    engine on the new model and the window on the old one, so the next runs were labelled wrongly."""
    from explorer.gui.jobs import JobRunner

    runner, results, finished = JobRunner(), [], threading.Event()

    def load(ctx):
        finished.set()  # from here on the job cannot see the cancel: it has done its work
        return "the new model"

    runner.submit("load", load, results.append)
    assert finished.wait(30)
    runner.cancel("load")  # the user's Cancel, before the result has crossed to the GUI thread
    qtbot.waitUntil(lambda: runner.idle(), timeout=30_000)
    runner.shutdown()
    assert results == ["the new model"]


def test_the_soak_command_reports_resident_memory(qtbot, capsys):
    """A smoke test of `qa soak` (the real figures come from `python main.py qa soak --runs 500`)."""
    from explorer.cli.main import main

    assert main(["qa", "soak", "--runs", "3", "--models", "all-minilm-l6-v2"]) == 0
    report = capsys.readouterr().out
    assert "soak: 3 typing runs and 3 model/variant switches" in report
    assert "RSS at start" in report and "after warm-up" in report and "growth after warm-up" in report
