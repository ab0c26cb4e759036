"""Every exit path of a command that opened a window stops the job thread first (issue 22).

A model that cannot be loaded used to print its clear error and then abort the process with SIGABRT (exit 134,
"QThread: Destroyed while thread 'jobs' is still running"): the window was never closed, so its job thread was
still running when Python tore the QThread down.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_main(*args: str, tmp_path) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_qa_monkey_with_an_unknown_model_exits_with_its_error_not_an_abort(tmp_path):
    done = run_main("qa", "monkey", "--models", "no-such-model", "--actions", "1", tmp_path=tmp_path)
    assert "no-such-model: could not be loaded" in done.stderr
    assert "QThread: Destroyed" not in done.stderr, done.stderr
    assert done.returncode == 2, done.stderr  # a user error: one line and status 2, never SIGABRT (134 / -6)


def test_a_job_runner_left_running_is_stopped_when_python_exits(tmp_path):
    """The safety net under every path: a runner nobody shut down is stopped at interpreter exit."""
    script = (
        "from PySide6.QtCore import QCoreApplication\n"
        "app = QCoreApplication([])\n"
        "from explorer.gui.jobs import JobRunner\n"
        "runner = JobRunner()\n"
        "print('started', flush=True)\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    command = [sys.executable, "-c", script]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert "started" in done.stdout
    assert "QThread: Destroyed" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
