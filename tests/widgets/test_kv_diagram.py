"""KVDiagram alone: the groups it is given, drawn one colour per KV head, and the label it is given."""

import numpy as np
import pytest
from PySide6.QtGui import QImage
from widget_helpers import show

from explorer.gui.widgets.kv_diagram import GROUP_COLOURS, KVDiagram


def drawn_colours(widget) -> set[tuple[int, int, int]]:
    """Every RGB colour in a rendering of the widget."""
    image = widget.grab().toImage().convertToFormat(QImage.Format_RGB888)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    rows = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(height, stride)[:, : width * 3]
    return {tuple(int(c) for c in rgb) for rgb in rows.reshape(-1, 3)}


def rgb(colour) -> tuple[int, int, int]:
    return colour.red(), colour.green(), colour.blue()


@pytest.fixture
def diagram(qtbot):
    return show(qtbot, KVDiagram(), 300, 80)


def test_keeps_the_groups_and_names_them_with_the_given_label(diagram):
    diagram.set_groups([[0, 1, 2], [3, 4, 5]], "GQA · model's own")
    assert diagram.groups == [[0, 1, 2], [3, 4, 5]]
    assert diagram.toolTip() == "GQA · model's own: 6 query heads share 2 KV head(s)"


def test_draws_one_colour_per_kv_head_and_its_query_heads(diagram):
    diagram.set_groups([[0, 1], [2, 3], [4, 5]], "GQA")
    colours = drawn_colours(diagram)
    for g in range(3):
        assert rgb(GROUP_COLOURS[g]) in colours, f"KV head {g} is drawn"
        assert rgb(GROUP_COLOURS[g].lighter(130)) in colours, f"the query heads of KV head {g} are drawn"
    assert rgb(GROUP_COLOURS[3]) not in colours, "no fourth KV head"


def test_one_kv_head_for_all_is_one_colour(diagram):
    diagram.set_groups([list(range(8))], "MQA")
    colours = drawn_colours(diagram)
    assert rgb(GROUP_COLOURS[0]) in colours and rgb(GROUP_COLOURS[1]) not in colours
    assert diagram.toolTip() == "MQA: 8 query heads share 1 KV head(s)"


def test_no_groups_draw_nothing(diagram):
    colours = drawn_colours(diagram)
    assert not colours & {rgb(c) for c in GROUP_COLOURS}
