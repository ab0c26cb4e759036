"""SnapshotPicker alone: the slider follows new snapshots until scrubbed back; kinds, layers and heads offered."""

import pytest
from widget_helpers import show

from explorer.gui.widgets.snapshot_picker import MEAN, SnapshotPicker


@pytest.fixture
def picker(qtbot):
    picker = show(qtbot, SnapshotPicker({"cross": "cross-attention", "encoder": "encoder self"}), 500, 100)
    picker.set_shape(["encoder", "cross"], n_layers=2, n_heads=4)
    return picker


def test_the_slider_follows_the_newest_snapshot_until_the_user_scrubs_back(picker):
    picker.set_steps([10, 20])
    assert picker.index == 1 and "step 20" in picker.step_label.text()
    picker.set_steps([10, 20, 30])
    assert picker.index == 2
    picker.slider.setValue(0)
    picker.set_steps([10, 20, 30, 40])
    assert picker.index == 0 and "step 10 · snapshot 1 of 4" in picker.step_label.text()


def test_every_choice_is_announced(qtbot, picker):
    picker.set_steps([10, 20])
    with qtbot.waitSignal(picker.changed):
        picker.slider.setValue(0)
    with qtbot.waitSignal(picker.changed):
        picker.kind.setCurrentIndex(1)
    assert picker.current_kind == "cross"
    with qtbot.waitSignal(picker.changed):
        picker.head.setCurrentIndex(picker.head.findData(3))
    assert picker.current_head == 3


def test_shape_offers_mean_and_each_head_and_keeps_the_choice_where_it_fits(picker):
    assert [picker.head.itemData(i) for i in range(picker.head.count())] == [MEAN, 0, 1, 2, 3]
    picker.choose(kind="cross", layer=1, head=3)
    picker.set_shape(["cross"], n_layers=1, n_heads=1)  # a GRU: one alignment map
    assert picker.current_kind == "cross" and picker.current_layer == 0 and picker.current_head == 0
    assert not picker.head.isEnabled() and not picker.layer.isEnabled()
    assert picker.kind.currentText() == "cross-attention"


def test_clear_forgets_the_snapshots(picker):
    picker.set_steps([5])
    picker.clear()
    assert picker.index is None and picker.step_label.text() == "no snapshot yet"
