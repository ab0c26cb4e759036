"""The colour bar's axis makes room for its tick values and its title (issue 21 item 22: Compare's "B − A
(attention)" was drawn over ticks such as -0.04, in pyqtgraph's fixed 45 px)."""

import pyqtgraph as pg
from widget_helpers import show

from explorer.gui.widgets.colour_bar import colour_bar


def test_the_title_sits_beside_the_widest_tick_not_over_it(qtbot):
    view = show(qtbot, pg.GraphicsLayoutWidget(), 300, 400)
    bar = colour_bar((-0.04, 0.04), pg.colormap.get("viridis"), 12)
    bar.axis.setLabel("B − A (attention)")
    view.ci.addItem(bar)
    bar.setLevels((-0.04, 0.04))
    axis = bar.axis

    def rooms() -> tuple[float, float]:
        tick_room = axis.textWidth + axis.style["tickTextOffset"][0] + max(0, axis.style["tickLength"])
        return tick_room, axis.label.boundingRect().height() * 0.8

    # The axis measures its tick text when it draws, and the layout applies the new width on a later turn of the
    # event loop (on a loaded machine, more than 100 ms later): wait for it rather than for a fixed time.
    qtbot.waitUntil(lambda: axis.width() >= sum(rooms()) - 1, timeout=5000)
    tick_room, title_room = rooms()
    assert axis.width() > 45  # wider than pyqtgraph's fixed width, which the title overlapped
    title_left = axis.mapRectToParent(axis.label.mapRectToParent(axis.label.boundingRect())).left()
    assert title_left >= axis.mapRectToParent(axis.boundingRect()).left() + tick_room - title_room * 0.25
