"""The tool area sizes its stack by the page in front only (issue 21 item 5: at 1366×768 the Heads view scrolled,
its atlas cut at layer 8, because the stack took the tallest page's height for its width, Generate's 1,090 px)."""

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer.gui.tool_area import ToolArea


def page(text: str) -> QWidget:
    widget = QWidget()
    layout = QVBoxLayout(widget)
    label = QLabel(text)
    label.setWordWrap(True)  # a wrapped label gives the page a height for its width
    layout.addWidget(label)
    layout.addStretch(1)
    return widget


def test_a_short_page_in_front_fills_the_area_without_scrolling(qtbot):
    area = ToolArea()
    qtbot.addWidget(area)
    tall, short = page("word " * 4000), page("a short page")
    area.stack.addWidget(tall)
    area.stack.addWidget(short)
    area.stack.setCurrentWidget(short)
    area.resize(400, 300)
    area.show()
    qtbot.waitExposed(area)
    qtbot.wait(50)
    assert area.stack.height() <= area.viewport().height()
    assert not area.verticalScrollBar().isVisible()
    area.stack.setCurrentWidget(tall)  # the tall page in front scrolls, as it must
    qtbot.wait(50)
    assert area.stack.height() > area.viewport().height() and area.verticalScrollBar().isVisible()
