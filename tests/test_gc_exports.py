"""Repeated exports through the real Export dialog do not crash the app (issue 21, item 1), on a real display.

Before the fix, the window vanished with "Segmentation fault … Garbage-collecting" inside matplotlib on the
job thread within a few dozen exports (by the 2nd at worst): each export left an Export dialog behind,
and Python's cycle collector finalised it on the job thread. The exports run in a child process, so a crash
fails this test instead of ending the test session; under Xvfb when it is installed (where the crash came
soonest), offscreen otherwise. test_gc_thread.py checks the mechanism itself without a display.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
EXPORTS = 45  # PNG, SVG and PDF in turn: before the fix, most runs crashed by the 20th
THRESHOLD = 20  # gc.set_threshold: collections as often as on a busy heap, so a crash comes soon

CHILD = """
import gc
import sys
from pathlib import Path
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from explorer.gui.app import build_window
from explorer.qa.driver import wait_until

work, count = Path(sys.argv[1]), int(sys.argv[2])
gc.set_threshold(int(sys.argv[3]), 10, 10)
app = QApplication(sys.argv[:1])
settings = QSettings(str(work / "settings.ini"), QSettings.IniFormat)
text = "The cat sat on the mat because it was tired."
window = build_window(model="smollm2-135m-instruct", text=text, settings=settings)
window.resize(1300, 850)
window.show()
maps = window.tools["maps"]
wait_until(lambda: maps.last_map is not None, 900, "the first map")
written = []
maps.export.exported.connect(written.append)
for index in range(count):
    suffix = (".png", ".svg", ".pdf")[index % 3]

    def answer(suffix=suffix, index=index):
        dialog = QApplication.activeModalWidget()
        dialog.path.setText(str(work / f"export{index}{suffix}"))  # the format follows the file's suffix
        dialog.accept()

    QTimer.singleShot(50, answer)
    maps.export.export_current()  # what File -> Export... does
    wait_until(lambda: len(written) > index, 300, f"export {index}")
window.close()
print("exported", len(written))
"""


def display_environment(tmp_path):
    """An Xvfb display for the child when Xvfb is installed (and its process), else the offscreen platform."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CONFIG_HOME=str(tmp_path / "config"))
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        return env, None
    read, write = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as numbers:
        display = numbers.readline().strip()
    if not display:
        server.kill()
        return env, None
    env.pop("QT_QPA_PLATFORM", None)
    env["DISPLAY"] = f":{display}"
    return env, server


def test_a_dozen_exports_in_a_row_through_the_dialog_do_not_crash(tmp_path, smollm):
    # smollm: the model is in the test session's cache before the child loads it
    env, server = display_environment(tmp_path)
    try:
        child = subprocess.run(
            [sys.executable, "-c", CHILD, str(tmp_path), str(EXPORTS), str(THRESHOLD)],
            env=env,
            capture_output=True,
            text=True,
            timeout=1100,
        )
    finally:
        if server is not None:
            server.kill()
            server.wait()
    assert child.returncode == 0, f"the app died (status {child.returncode}):\n{child.stderr[-3000:]}"
    assert f"exported {EXPORTS}" in child.stdout
    for index in range(EXPORTS):
        suffix = (".png", ".svg", ".pdf")[index % 3]
        path = tmp_path / f"export{index}{suffix}"
        assert path.stat().st_size > 0, path.name
        if suffix == ".png":
            with Image.open(path) as image:
                assert image.width == 1600
        elif suffix == ".svg":
            assert ElementTree.parse(path).getroot().tag.endswith("svg"), path.name
        else:
            assert path.read_bytes().startswith(b"%PDF-"), path.name
