"""The shell with every tool in tools.TOOLS fits small screens: no tool's view may widen the window past a
1024×700 screen, every tool fits an 800×600 window (views and docks scroll below their room), and switching
tools never resizes the window (the Seq2seq Lab grew it from 742 to 810 px on a 768-px screen)."""

import pytest
from gui_helpers import close, temporary_settings
from PySide6.QtGui import QGuiApplication

from explorer.gui.app import build_window

SMALL_SCREEN = (1024, 700)
SMALLEST_WINDOW = (800, 600)
# The room inside the frame of a maximised window on 1366×768 and 1280×720 screens (a title bar of ~26 px).
LAPTOP_WINDOWS = [(1366, 742), (1280, 694), SMALLEST_WINDOW]


@pytest.fixture
def window(qtbot, tmp_path):
    window = build_window(settings=temporary_settings(tmp_path))
    qtbot.addWidget(window)
    window.show()
    yield window
    close(window)


def test_the_window_with_every_tool_fits_1024_by_700(qtbot, window):
    too_wide = {
        name: (tool.central().minimumSizeHint().width(), tool.central().minimumSizeHint().height())
        for name, tool in window.tools.items()
        if tool.central().minimumSizeHint().width() > SMALL_SCREEN[0] - 200  # the docks need about 200 px beside it
    }
    assert not too_wide, f"these tools' views are too wide for a 1024-px screen beside the docks: {too_wide}"
    needed = window.minimumSizeHint()
    assert needed.width() <= SMALL_SCREEN[0] and needed.height() <= SMALL_SCREEN[1], (needed, SMALL_SCREEN)
    window.resize(*SMALL_SCREEN)
    qtbot.waitUntil(lambda: window.width() <= SMALL_SCREEN[0] and window.height() <= SMALL_SCREEN[1], timeout=5000)


def test_every_tool_fits_an_800_by_600_window(qtbot, window):
    too_big = {}
    for name in window.tools:
        window.open_tool(name)
        needed = window.minimumSizeHint()
        if needed.width() > SMALLEST_WINDOW[0] or needed.height() > SMALLEST_WINDOW[1]:
            too_big[name] = (needed.width(), needed.height())
    assert not too_big, f"the window cannot be made 800×600 with these tools in front: {too_big}"
    window.open_tool("maps")
    window.resize(*SMALLEST_WINDOW)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == SMALLEST_WINDOW, timeout=5000)


@pytest.mark.parametrize("size", LAPTOP_WINDOWS, ids=lambda size: f"{size[0]}x{size[1]}")
def test_switching_tools_never_resizes_the_window(qtbot, window, size):
    screen = QGuiApplication.primaryScreen().availableGeometry()
    frame = window.frameGeometry().size() - window.size()
    # The test screen may be smaller than the laptop's: the window then takes what fits inside its frame.
    size = (min(size[0], screen.width() - frame.width()), min(size[1], screen.height() - frame.height()))
    window.move(screen.topLeft())
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size, timeout=5000)
    for name in [*window.tools, "maps", "seq2seq", "maps"]:
        window.open_tool(name)
        qtbot.wait(20)  # let a layout request run, as the event loop does between a user's clicks
        assert (window.width(), window.height()) == size, f"switching to {name} resized the window"
        central = window.centralWidget()
        assert central.height() > 0 and central.width() > 0
