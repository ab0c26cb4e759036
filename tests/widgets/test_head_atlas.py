"""HeadAtlas alone: an (L, H) score grid from numpy, n/a grey, clicks, Ctrl+click knockouts and their ✕ marks."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from widget_helpers import click_scene, in_view, show

from explorer.core.display import MASKED_RGB
from explorer.gui.widgets.head_atlas import HeadAtlas, encode_scores
from explorer.gui.widgets.heatmap import lookup_table

LAYERS, HEADS = 4, 3


def scores() -> np.ndarray:
    values = np.random.default_rng(2).random((LAYERS, HEADS))
    values[1, 2] = np.nan
    return values


@pytest.fixture
def atlas(qtbot):
    atlas = show(qtbot, HeadAtlas(), 400, 400)
    atlas.show_scores(scores(), (0.0, 1.0), "prefix_matching")
    return atlas


def centre(atlas, layer, head):
    return in_view(atlas.plot.getViewBox(), head, layer)


def test_cells_are_coloured_by_score_and_na_is_grey(atlas):
    image = atlas.image.image
    assert image.shape == (LAYERS, HEADS, 3)
    assert np.array_equal(image, lookup_table("viridis")[encode_scores(scores(), (0.0, 1.0))])
    assert tuple(image[1, 2]) == MASKED_RGB
    assert atlas.bar.levels() == (0.0, 1.0) and atlas.describe(1, 2) == "layer 1 · head 2: n/a"


def test_levels_other_than_fractions(atlas):
    atlas.show_scores(scores() * 3, (0.0, 3.0), "entropy, nats")
    assert atlas.bar.levels() == (0.0, 3.0)
    assert np.array_equal(atlas.image.image, lookup_table("viridis")[encode_scores(scores() * 3, (0.0, 3.0))])


def test_small_values_are_labelled_in_plain_units(atlas):
    """Importance of a weak head is a few thousandths of a nat: the bar says so, without an SI prefix."""
    atlas.show_scores((scores() - 0.5) * 0.008, (-0.004, 0.004), "change in log p, nats")
    label = atlas.bar.axis.labelString()
    assert "change in log p, nats" in label and "(x" not in label, "no '(x0.001)' appended"
    ticks = [text for level in atlas.bar.axis.tickValues(-0.004, 0.004, 300) for text in level[1]]
    strings = atlas.bar.axis.tickStrings(ticks, atlas.bar.axis.autoSIPrefixScale, 0.002)
    assert "0.002" in strings or "-0.002" in strings, strings


def test_click_opens_and_ctrl_click_toggles(qtbot, atlas):
    with qtbot.waitSignal(atlas.head_clicked) as clicked:
        click_scene(qtbot, atlas, centre(atlas, 3, 1))
    assert clicked.args == [3, 1]
    with qtbot.waitSignal(atlas.knockout_toggled) as toggled:
        qtbot.mouseClick(atlas.viewport(), Qt.LeftButton, Qt.ControlModifier, atlas.mapFromScene(centre(atlas, 2, 0)))
    assert toggled.args == [2, 0]
    with qtbot.assertNotEmitted(atlas.head_clicked):
        click_scene(qtbot, atlas, centre(atlas, 1, 1), button=Qt.RightButton)


def test_knockouts_are_marked_and_survive_new_scores(atlas):
    atlas.set_knockouts(((0, 1), (3, 2), (9, 9)))  # a head the grid lacks is ignored
    assert [tuple(p) for p in atlas.crosses.getData()[0:2]] and len(atlas.crosses.data) == 2
    atlas.show_scores(scores(), (0.0, 1.0), "self")
    assert len(atlas.crosses.data) == 2 and "knocked out" in atlas.describe(0, 1)
    atlas.clear_scores()
    assert atlas.values is None and atlas.cell_at(centre(atlas, 0, 0)) is None
