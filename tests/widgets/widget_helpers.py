"""Showing a widget alone and pointing at places in a pyqtgraph scene, the way a user's mouse would."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor


def show(qtbot, widget, width: int = 500, height: int = 400):
    """The widget alone in a window of a known size, laid out and exposed, so geometry questions have answers."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def viewport_point(graphics_view, scene_point: QPointF):
    """Where a scene point lies on the view's viewport, which is what receives the mouse."""
    return graphics_view.mapFromScene(scene_point)


def click_scene(qtbot, graphics_view, scene_point: QPointF, button=Qt.LeftButton) -> None:
    qtbot.mouseClick(graphics_view.viewport(), button, pos=viewport_point(graphics_view, scene_point))


def move_to_scene(qtbot, graphics_view, scene_point: QPointF) -> None:
    qtbot.mouseMove(graphics_view.viewport(), pos=viewport_point(graphics_view, scene_point))


def in_view(view_box, x: float, y: float) -> QPointF:
    """A point given in a ViewBox's data coordinates (column x, row y), in scene coordinates."""
    return view_box.mapViewToScene(QPointF(x, y))


def colour_name(colour) -> str:
    return QColor(colour).name()
