"""QKScatter alone: queries as circles and keys as triangles where the coordinates say, coloured by kind, position
or token; hover names the point, a click emits it and rings it; what cannot be drawn is refused."""

import numpy as np
import pytest
from widget_helpers import click_scene, in_view, move_to_scene, show

from explorer.gui.widgets.qk_scatter import KIND_COLOURS, TOKEN_PALETTE, QKScatter

COORDS = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
KINDS = ["query", "query", "key", "key"]
POSITIONS = [0, 1, 0, 1]
TOKENS = ["The", " cat", "The", " cat"]


@pytest.fixture
def scatter(qtbot):
    widget = show(qtbot, QKScatter(), 500, 400)
    widget.show_points(COORDS, KINDS, POSITIONS, TOKENS, "kind", title="layer 1 · head 2", axis="PCA")
    widget.getPlotItem().vb.setRange(xRange=(-0.5, 1.5), yRange=(-0.5, 1.5), padding=0)
    return widget


def spot_colours(scatter) -> list[str]:
    return [spot.brush().color().name() for spot in scatter.points.points()]


def test_points_sit_at_their_coordinates_with_their_kinds_shape_and_colour(scatter):
    spots = scatter.points.points()
    assert [(s.pos().x(), s.pos().y()) for s in spots] == [tuple(c) for c in COORDS]
    assert [s.symbol() for s in spots] == ["o", "o", "t1", "t1"]
    assert spot_colours(scatter) == [KIND_COLOURS[k] for k in KINDS]
    assert scatter.getPlotItem().getAxis("bottom").labelText == "PCA 1"


def test_colour_by_position_and_by_token(scatter):
    scatter.set_colour_by("position")
    first, last = spot_colours(scatter)[:2]
    assert first == "#440154" and last == "#fde725", "viridis from the first position to the last"
    scatter.set_colour_by("token")
    assert spot_colours(scatter) == [TOKEN_PALETTE[0], TOKEN_PALETTE[1], TOKEN_PALETTE[0], TOKEN_PALETTE[1]]


def test_hover_names_the_point_and_a_click_emits_and_rings_it(qtbot, scatter, every_mouse_move):
    box = scatter.getPlotItem().vb
    with qtbot.waitSignal(scatter.hovered) as hovered:
        move_to_scene(qtbot, scatter, in_view(box, 1.0, 1.0))
    assert hovered.args == ['key 1 "␣cat"']
    with qtbot.waitSignal(scatter.point_clicked) as clicked:
        click_scene(qtbot, scatter, in_view(box, 1.0, 0.0))
    assert clicked.args == ["query", 1]
    assert scatter.chosen == 1 and list(scatter.ring.data["x"]) == [1.0]
    assert scatter.readout_at(in_view(box, 0.5, 0.5)) == "", "nothing between the points"


def test_what_cannot_be_drawn_is_refused(scatter):
    with pytest.raises(ValueError, match="not finite"):
        scatter.show_points(np.array([[0.0, np.nan]]), ["query"], [0], ["a"])
    with pytest.raises(ValueError, match="is not \\(P, 2\\)"):
        scatter.show_points(np.zeros((2, 3)), KINDS[:2], POSITIONS[:2], TOKENS[:2])
    with pytest.raises(ValueError, match="colour_by"):
        scatter.set_colour_by("size")
    assert len(scatter.points.points()) == 4, "the last good picture stays"


def test_few_points_carry_their_tokens(scatter):
    assert [item.toPlainText() for item in scatter.labels] == ["The", "␣cat", "The", "␣cat"]
    assert (scatter.labels[1].pos().x(), scatter.labels[1].pos().y()) == (1.0, 0.0)
    scatter.clear_points("nothing")
    assert scatter.labels == []
