"""The endurance run, short: two minutes of every tool, every export through its real dialog, training,
cancelling and both languages, with the window checked after every action (issue 21).

It runs the real command in a child process, so a crash (the export segfault of issue 21 was one) fails this
test instead of taking pytest down. Under X when it can: a private Xvfb if one is installed (the crash showed
under xcb, not offscreen), else offscreen. Two minutes of wall time: marked slow, like the tests that load a
shipped model; the long run (30 minutes, real models) is `python main.py qa endurance`.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from builders import write_hf_model

ROOT = Path(__file__).resolve().parent.parent
MINUTES = 2.0
EVERY_FORMAT = {".png", ".svg", ".pdf", ".npy", ".csv", ".json"}


def private_display():
    """(Xvfb process, DISPLAY) on a display number Xvfb picks itself, or (None, None) without Xvfb."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        return None, None
    read, write = os.pipe()
    process = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        process.kill()
        return None, None
    return process, f":{number}"


@pytest.mark.slow
def test_two_minutes_of_every_tool_and_export_find_nothing_wrong(tmp_path):
    models = [tmp_path / "tiny-llama", tmp_path / "tiny-gpt2"]  # small and fast; a causal one, so Generate runs
    write_hf_model(models[0], "llama")
    write_hf_model(models[1], "gpt2")
    xvfb, display = private_display()
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"))
    if display:
        env["DISPLAY"] = display
        env.pop("QT_QPA_PLATFORM", None)  # the conftest's offscreen: the real X server instead
    else:
        env.pop("DISPLAY", None)
    command = [sys.executable, str(ROOT / "main.py"), "qa", "endurance", "--minutes", str(MINUTES)]
    command += ["--models", ",".join(map(str, models)), "--work", str(tmp_path / "work")]
    log = tmp_path / "endurance.log"  # a file, not a pipe: what it printed is there even if it hangs
    try:
        with open(log, "w") as out:
            child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True)
            try:
                status = child.wait(timeout=MINUTES * 60 + 600)
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGUSR1)  # the command prints every thread's stack on SIGUSR1
                time.sleep(2)
                child.kill()
                status = child.wait()
    finally:
        if xvfb is not None:
            xvfb.kill()
            xvfb.wait()
    printed = log.read_text()
    report = printed[printed.rfind("endurance: ") :]
    assert status == 0, f"exit {status}\n{printed[-8000:]}"
    assert f"on {'xcb' if display else 'offscreen'}" in printed
    assert re.search(r"\d+ actions in [\d.]+ min, 0 failures", report), report
    kinds = dict((k, int(n)) for k, n in re.findall(r"(\w+) (\d+)", report.split("actions: ", 1)[1].split("\n")[0]))
    assert {"export", "train", "cancel", "language", "open"} <= set(kinds), report  # each kind of action ran
    formats = set(re.findall(r"(\.\w+) \d+", report.split("exports: ", 1)[1].split("\n")[0]))
    assert formats == EVERY_FORMAT, report
    used = report.split("export points used: ", 1)[1].split("\n")[0]
    exporting = ("maps", "heads", "flow", "compare", "generate", "seq2seq", "foundations", "patching", "query–key")
    for tool in (*exporting, "corpus"):
        assert f"{tool}: " in used, f"no export from {tool}\n{report}"
    for visited in ("= patching: sweep", "= query–key: scatter", "= corpus: open qa-corpus.jsonl"):
        assert visited in printed, f"the tour did not do {visited[2:]!r}\n{printed[-8000:]}"
    written = [p for p in (tmp_path / "work" / "exports").rglob("*") if p.is_file()]
    assert len(written) >= 20
