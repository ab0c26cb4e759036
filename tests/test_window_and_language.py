"""The window on small screens, the Language menu with its restart, and File → Examples. No model is loaded."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from gui_helpers import temporary_settings
from PySide6.QtCore import QMargins, QRect

from explorer.core.session import load_session
from explorer.core.views import ModelInfo
from explorer.gui import app, language
from explorer.gui.i18n import LANGUAGE_KEY
from explorer.gui.jobs import JobRunner
from explorer.gui.shell import Shell, fit_rect
from explorer.gui.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
NO_FRAME = QMargins()
MODEL_SHAPE = dict(
    architecture="llama",
    n_layers=2,
    n_heads=4,
    n_kv_heads=2,
    n_ctx=64,
    causal=True,
    positional="rope",
    rope_theta=10000.0,
    device="cpu",
    devices=("cpu",),
    source="test",
)


@pytest.fixture
def shell(qtbot, tmp_path):
    window = Shell(Workspace(JobRunner()), temporary_settings(tmp_path))
    qtbot.addWidget(window)
    yield window
    window.close()


def test_fit_rect_shrinks_a_window_too_big_and_moves_one_off_screen():
    screen = QRect(0, 0, 853, 533)
    assert fit_rect(QRect(0, 0, 1400, 900), NO_FRAME, screen) == screen
    assert fit_rect(QRect(600, 400, 400, 300), NO_FRAME, screen) == QRect(453, 233, 400, 300)
    assert fit_rect(QRect(-50, -20, 400, 300), NO_FRAME, screen) == QRect(0, 0, 400, 300)
    assert fit_rect(QRect(10, 20, 400, 300), NO_FRAME, screen) == QRect(10, 20, 400, 300), "it fits: left alone"


def test_fit_rect_keeps_the_frame_on_screen_too():
    """frame: the window with its title bar; the result is the geometry inside it."""
    title_bar = QMargins(1, 30, 1, 1)
    screen = QRect(0, 24, 1280, 776)  # a panel above
    fitted = fit_rect(QRect(0, 0, 1402, 931), title_bar, screen)
    assert fitted == QRect(1, 54, 1278, 745)
    assert QRect(fitted).adjusted(-1, -30, 1, 1) == screen


def test_the_default_size_and_a_saved_bigger_window_are_clamped_to_the_screen(shell, tmp_path):
    available = shell.screen().availableGeometry()  # 800×600 on the offscreen platform
    shell.restore_layout()
    assert available.contains(shell.frameGeometry()), "the default 1400×900 is too big for this screen"
    shell.setGeometry(QRect(200, 100, 3000, 2000))
    shell.settings.setValue("geometry", shell.saveGeometry())
    again = Shell(Workspace(JobRunner()), shell.settings)
    try:
        again.restore_layout()
        assert available.contains(again.frameGeometry())
    finally:
        again.close()


CHECK_AT_SCALE = """
import json, sys
from PySide6.QtWidgets import QApplication
from explorer.gui.workspace import Workspace
from explorer.gui.jobs import JobRunner
from explorer.gui.settings import open_settings
from explorer.gui.shell import Shell
app = QApplication([])
window = Shell(Workspace(JobRunner()), open_settings())
window.restore_layout()
window.show()
for _ in range(20):
    app.processEvents()
screen = window.screen()
print(json.dumps({"screen": screen.availableGeometry().getRect(), "window": window.frameGeometry().getRect(),
                  "ratio": screen.devicePixelRatio()}))
window.close()
"""


def test_at_scale_factor_1_5_on_a_1280x800_screen_the_window_fits(tmp_path):
    """The issue's case: the window opened larger than the screen. Qt scales 1280×800 to 853×533."""
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": 1280, "height": 800}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "QT_SCALE_FACTOR": "1.5"}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    result = subprocess.run(
        [sys.executable, "-c", CHECK_AT_SCALE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["ratio"] == 1.5 and seen["screen"] == [0, 0, 853, 533]
    x, y, width, height = seen["window"]
    assert x >= 0 and y >= 0 and x + width <= 853 and y + height <= 533, seen


def test_the_language_menu_remembers_the_choice_and_restarts_only_when_asked(shell):
    actions = shell.language_actions.actions()
    assert [a.text() for a in actions] == ["Follow the System", "English", "简体中文"]
    assert [a.isChecked() for a in actions] == [True, False, False]
    asked = []
    language.choose_language(shell, "zh_CN", ask=lambda: asked.append(True) or False)
    assert shell.settings.value(LANGUAGE_KEY) == "zh_CN" and asked == [True] and shell.isVisible() is False
    language.choose_language(shell, "zh_CN", ask=lambda: asked.append(True) or False)
    assert asked == [True], "choosing the language already chosen asks nothing"


def test_a_restart_hands_the_session_to_the_new_process(shell, monkeypatch):
    shell.show()
    started = []
    assert language.restart(shell, start=lambda argv, env: started.append((argv, env)) or True)
    assert language.RESTORE_SESSION not in started[0][1], "no model yet: nothing to carry over"
    shell.show()
    shell.workspace.model = ModelInfo(name="some-model", **MODEL_SHAPE)  # as if loaded: no real load needed
    shell.workspace.state.model = "some-model"
    shell.workspace.state.texts = ["猫坐在垫子上，因为它累了。", "second"]
    started.clear()
    assert language.restart(shell, start=lambda argv, env: started.append((argv, env)) or True)
    ((argv, env),) = started
    assert argv[0] == sys.executable and not shell.isVisible(), "the old window closes"
    path = env[language.RESTORE_SESSION]
    assert load_session(path).texts == ["猫坐在垫子上，因为它累了。", "second"]
    monkeypatch.setenv(language.RESTORE_SESSION, path)
    assert app.restored_session().texts[0] == "猫坐在垫子上，因为它累了。"
    assert not Path(path).exists() and language.RESTORE_SESSION not in os.environ, "read once, then gone"
    assert app.restored_session() is None


def test_a_restart_that_cannot_start_keeps_the_window(shell):
    shell.show()
    assert not language.restart(shell, start=lambda argv, env: False)
    assert shell.isVisible() and shell.error_dialog is not None


def test_the_examples_menu_offers_chinese_sentences(shell):
    texts = {action.toolTip(): action for action in shell.examples_menu.actions() if not action.isSeparator()}
    assert "猫坐在垫子上，因为它累了。" in texts and "The cat sat on the mat because it was warm." in texts
    texts["奖杯放不进箱子里，因为它太大了。"].trigger()
    assert shell.workspace.state.texts == ["奖杯放不进箱子里，因为它太大了。"]
