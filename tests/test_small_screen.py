"""The shell with every tool in tools.TOOLS fits a 1024×700 screen: no tool's view may widen the window past it."""

from gui_helpers import close, temporary_settings

from explorer.gui.app import build_window

SMALL_SCREEN = (1024, 700)


def test_the_window_with_every_tool_fits_1024_by_700(qtbot, tmp_path):
    window = build_window(settings=temporary_settings(tmp_path))
    qtbot.addWidget(window)
    window.show()
    try:
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
    finally:
        close(window)
