"""The job runner on its own: progress, results, cancellation and overtaken jobs, with no model and no sleeps.

Jobs here block on threading.Events the test controls, so every ordering is forced, not hoped for.
"""

import threading

import pytest

from explorer.gui.jobs import JobRunner, Progress
from models.errors import Cancelled

TIMEOUT_MS = 10_000


@pytest.fixture
def runner(qtbot):
    jobs = JobRunner()
    yield jobs
    jobs.shutdown()


def test_a_generator_job_reports_progress_then_its_result(qtbot, runner):
    seen, results = [], []
    runner.progress.connect(lambda kind, progress: seen.append((kind, progress.done, progress.total)))

    def job(ctx):
        for step in range(3):
            yield Progress(step + 1, 3, f"step {step + 1}")
        return "done"

    with qtbot.waitSignal(runner.ended, timeout=TIMEOUT_MS):
        runner.submit("work", job, results.append)
    assert results == ["done"]
    assert seen == [("work", 1, 3), ("work", 2, 3), ("work", 3, 3)]
    assert not runner.busy("work")


def test_a_plain_job_reports_through_its_context(qtbot, runner):
    seen, results = [], []
    runner.progress.connect(lambda kind, progress: seen.append(progress.fraction))

    def job(ctx):
        for layer in range(4):
            ctx.report(layer + 1, 4)  # what a model's progress callback does
        return 42

    with qtbot.waitSignal(runner.ended, timeout=TIMEOUT_MS):
        runner.submit("work", job, results.append)
    assert results == [42] and seen == [0.25, 0.5, 0.75, 1.0]


def test_an_overtaken_result_is_dropped_and_a_queued_job_never_starts(qtbot, runner):
    release, started, results = threading.Event(), [], []

    def slow(ctx):
        started.append("slow")
        release.wait(TIMEOUT_MS / 1000)
        return "slow"  # finishes, but a newer job of its kind exists by then

    def queued(ctx):
        started.append("queued")
        return "queued"

    def newest(ctx):
        started.append("newest")
        return "newest"

    runner.submit("run", slow, results.append)
    qtbot.waitUntil(lambda: started == ["slow"], timeout=TIMEOUT_MS)
    runner.submit("run", queued, results.append)
    runner.submit("run", newest, results.append)
    release.set()
    qtbot.waitUntil(lambda: results == ["newest"], timeout=TIMEOUT_MS)
    assert started == ["slow", "newest"], "the overtaken queued job never ran"
    assert results == ["newest"], "only the newest result reaches the GUI"


def test_cancel_stops_a_running_job_at_its_next_report(qtbot, runner):
    first_step, steps_after, results, errors = threading.Event(), [], [], []

    def long_job(ctx):
        yield Progress(1, 100)
        first_step.set()
        while True:  # would run forever: only cancellation ends it
            steps_after.append(1)
            yield Progress(2, 100)

    runner.submit("load", long_job, results.append, errors.append)
    assert first_step.wait(TIMEOUT_MS / 1000)
    with qtbot.waitSignal(runner.ended, timeout=TIMEOUT_MS) as ended:
        runner.cancel("load")
    assert ended.args == ["load"]
    # The worker is free again: a new job runs and returns.
    with qtbot.waitSignal(runner.ended, timeout=TIMEOUT_MS):
        runner.submit("load", lambda ctx: "next", results.append)
    assert results == ["next"] and errors == []


def test_context_check_raises_cancelled_once_overtaken(qtbot, runner):
    entered, release, outcomes = threading.Event(), threading.Event(), []

    def job(ctx):
        entered.set()
        release.wait(TIMEOUT_MS / 1000)
        try:
            ctx.check()
        except Cancelled:
            outcomes.append("cancelled")
            raise
        outcomes.append("went on")

    runner.submit("map", job)
    assert entered.wait(TIMEOUT_MS / 1000)
    runner.submit("map", lambda ctx: None)
    release.set()
    qtbot.waitUntil(lambda: outcomes == ["cancelled"], timeout=TIMEOUT_MS)


def test_errors_become_messages_and_the_runner_keeps_working(qtbot, runner):
    errors, results = [], []

    def bad_input(ctx):
        raise ValueError("text: is empty; type some text")

    def bug(ctx):
        return {}["missing"]

    with qtbot.waitSignal(runner.ended, timeout=TIMEOUT_MS):
        runner.submit("run", bad_input, results.append, errors.append)
    with qtbot.waitSignal(runner.ended, timeout=TIMEOUT_MS):
        runner.submit("run", bug, results.append, errors.append)
    assert errors == ["text: is empty; type some text", "unexpected KeyError: 'missing'"]
    with qtbot.waitSignal(runner.ended, timeout=TIMEOUT_MS):
        runner.submit("run", lambda ctx: 7, results.append, errors.append)
    assert results == [7]


def test_kinds_do_not_overtake_each_other(qtbot, runner):
    results = []
    runner.submit("map", lambda ctx: "map", results.append)
    runner.submit("overview", lambda ctx: "overview", results.append)
    qtbot.waitUntil(lambda: sorted(results) == ["map", "overview"], timeout=TIMEOUT_MS)


def test_a_stepped_job_runs_on_the_gui_thread_and_can_be_cancelled(qtbot, runner):
    threads, results, seen = [], [], []
    gui_thread = threading.get_ident()
    runner.progress.connect(lambda kind, progress: seen.append(progress.done))

    def draw_three():
        for step in range(3):
            threads.append(threading.get_ident())
            yield Progress(step + 1, 3)
        return "drawn"

    with qtbot.waitSignal(runner.ended, timeout=TIMEOUT_MS):
        runner.submit_stepped("export", draw_three, results.append)
    assert results == ["drawn"] and seen == [1, 2, 3]
    assert set(threads) == {gui_thread}

    drawn = []

    def endless():
        while True:
            drawn.append(1)
            if len(drawn) == 2:
                runner.cancel("export")  # what the status bar's Cancel does between two files
            yield Progress(len(drawn), 10)

    with qtbot.waitSignal(runner.ended, timeout=TIMEOUT_MS):
        runner.submit_stepped("export", endless, results.append)
    qtbot.waitUntil(lambda: not runner.busy("export"), timeout=TIMEOUT_MS)
    assert len(drawn) == 2 and results == ["drawn"]
