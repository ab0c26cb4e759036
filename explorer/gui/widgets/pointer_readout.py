"""A hover readout that follows what a figure shows, not only the pointer: recomputed whenever the content changes."""

from __future__ import annotations

from PySide6.QtCore import QPointF


class PointerReadout:
    """Mixin for a pyqtgraph GraphicsView with a `hovered = Signal(str)` and `readout_at(scene_pos) -> str`.

    Qt reports the pointer only when it moves. A figure whose content changes under a still pointer (the arrow
    keys step to another head, a new run arrives, a head is knocked out) would otherwise keep reading out the
    previous content's number under the new map. The figure calls `track_pointer()` once, and
    `refresh_readout()` after every change of what it shows: the readout is then recomputed for the cell under
    the pointer, or cleared. While the pointer is elsewhere the figure says nothing, so figures that share one
    readout line do not overwrite each other.
    """

    def track_pointer(self) -> None:
        self.pointer: QPointF | None = None  # scene position of the pointer while it is over this figure
        self.scene().sigMouseMoved.connect(self._pointer_moved)

    def readout_at(self, scene_pos: QPointF) -> str:
        raise NotImplementedError

    def refresh_readout(self) -> None:
        if getattr(self, "pointer", None) is not None:
            self.hovered.emit(self.readout_at(self.pointer))

    def _pointer_moved(self, scene_pos: QPointF) -> None:
        self.pointer = QPointF(scene_pos)
        self.hovered.emit(self.readout_at(self.pointer))

    def leaveEvent(self, event):  # noqa: N802
        self.pointer = None
        self.hovered.emit("")
        super().leaveEvent(event)

    def hideEvent(self, event):  # noqa: N802 - a hidden figure (another page of a stack) reads out nothing
        if getattr(self, "pointer", None) is not None:
            self.pointer = None
            self.hovered.emit("")
        super().hideEvent(event)
