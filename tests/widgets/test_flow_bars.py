"""FlowBars alone: one bar per input token at its flow, the query marked, masked tokens grey, bad values refused."""

import numpy as np
import pytest
from widget_helpers import click_scene, in_view, move_to_scene, show

from explorer.gui.widgets.flow_bars import BAR_COLOUR, QUERY_COLOUR, FlowBars

TOKENS = ["<pad>", "The", " cat", " sat"]
VALUES = np.array([np.nan, 1.0, 0.25, 0.5], dtype=np.float32)


@pytest.fixture
def bars(qtbot):
    widget = show(qtbot, FlowBars(), 500, 300)
    widget.show_flow(VALUES, TOKENS, query=3)
    return widget


def test_one_bar_per_unmasked_token_at_its_flow_and_a_grey_stub_for_the_masked(bars):
    assert np.array_equal(bars.bars.opts["x"], [1, 2, 3])
    assert np.allclose(bars.bars.opts["height"], [1.0, 0.25, 0.5])
    assert np.array_equal(bars.masked.opts["x"], [0])
    colours = [brush.color().name() for brush in bars.bars.opts["brushes"]]
    assert colours == [BAR_COLOUR, BAR_COLOUR, QUERY_COLOUR], "the query's own bar is marked"
    x_range, y_range = bars.getViewBox().viewRange()
    assert x_range == pytest.approx([-0.5, 3.5]) and y_range == pytest.approx([0.0, 1.05])
    assert "flow into 3" in bars.getPlotItem().titleLabel.text


def test_hover_reads_the_value_and_a_click_names_the_position(qtbot, bars, every_mouse_move):
    box = bars.getViewBox()
    with qtbot.waitSignal(bars.hovered) as hovered:
        move_to_scene(qtbot, bars, in_view(box, 2, 0.1))
    assert hovered.args == ['2 "␣cat" → 3: 0.2500']
    assert bars.describe(0) == '0 "<pad>": masked'
    with qtbot.waitSignal(bars.position_clicked) as clicked:
        click_scene(qtbot, bars, in_view(box, 1, 0.1))
    assert clicked.args == [1]


@pytest.mark.parametrize(
    "values, query, message",
    [
        ([0.5, np.inf, 0.2], 0, "not finite"),
        ([0.5, -0.1, 0.2], 0, "0..1"),
        ([0.5, 1.2, 0.2], 0, "0..1"),
        ([np.nan, 0.5, 0.2], 0, "query"),
        ([0.5, 0.5, 0.2], 3, "query"),
    ],
)
def test_values_that_are_not_a_flow_are_refused_and_not_drawn(bars, values, query, message):
    with pytest.raises(ValueError, match=message):
        bars.show_flow(np.array(values), ["a", "b", "c"], query)
    assert np.allclose(bars.bars.opts["height"], [1.0, 0.25, 0.5]), "the previous flow stays"


def test_a_message_replaces_the_bars(bars):
    bars.show_message("too long for flow: use rollout")
    assert len(bars.bars.opts["x"]) == 0 and bars.values is None
    assert bars.getPlotItem().titleLabel.text == "too long for flow: use rollout"
