"""NeuronStrips alone: one row per key with k and q ∘ k strips and the numbers; hover reads a row or a
dimension; hidden keys read as masked; values that are not finite or do not sum to 1 are refused."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from widget_helpers import show

from explorer.gui.widgets.neuron_strips import ROW, NeuronStrips, NeuronTerms, diverging

Q = np.array([1.0, -2.0, 0.5], dtype=np.float32)
KEYS = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 2.0], [0.5, 0.5, 0.5]], dtype=np.float32)


def terms(query=1, probabilities=None) -> NeuronTerms:
    products = Q[None] * KEYS
    dots = products.sum(axis=1)
    scale = 0.5
    visible = np.arange(3) <= query
    bias = np.where(visible, 0.0, -np.inf).astype(np.float32)
    scores = dots * scale + bias
    p = np.exp(scores - scores[visible].max()) * visible
    p = p / p.sum() if probabilities is None else probabilities
    return NeuronTerms(["A", "b", "c"], query, Q, KEYS, products, dots, scale, dots * scale, bias, scores, visible, p)


def test_rows_read_out_the_numbers_and_the_strips_their_terms(qtbot):
    strips = show(qtbot, NeuronStrips(), 900, 200)
    strips.show_terms(terms())
    edges = strips.columns()
    assert strips.sizeHint().height() == 6 * ROW + 8
    expected = 'key 0 "A": q·k = 1.0000, ×0.5 = 0.5000, + bias 0.0000 = score 0.5000, softmax 0.7311'
    assert strips.describe(0, 5) == expected
    x = edges["product"] + 2.5 * strips.cell_width()  # the third dimension's product cell
    assert strips.describe(1, x) == 'key 1 "b" · dim 2: q = 0.5000, k = 2.0000, q·k term = 1.0000'
    assert strips.describe(2, 5) == 'key 2 "c": masked'
    assert strips.row_at(3 * ROW + 1) == 0 and strips.row_at(ROW) is None
    with qtbot.waitSignal(strips.key_clicked) as clicked:
        qtbot.mouseClick(strips, Qt.LeftButton, pos=QPoint(10, int(4.5 * ROW)))
    assert clicked.args == [1]
    image = strips.grab().toImage()
    cell = image.pixelColor(int(edges["k"] + 0.5 * strips.cell_width()), int(3.5 * ROW))  # k_0[0] = 1: the top red
    assert cell.name() == diverging(np.array([1.0]), 2.0)[0].name()


def test_diverging_is_white_at_zero_blue_below_red_above():
    low, zero, high = diverging(np.array([-1.0, 0.0, 1.0]), 1.0)
    assert (low.name(), zero.name(), high.name()) == ("#2166ac", "#f7f7f7", "#b2182b")


def test_what_is_not_a_softmax_is_refused(qtbot):
    strips = show(qtbot, NeuronStrips(), 900, 200)
    with pytest.raises(ValueError, match="sum to 0.5"):
        strips.show_terms(terms(probabilities=np.array([0.25, 0.25, 0.0])))
    bad = terms()
    with pytest.raises(ValueError, match="not finite"):
        strips.show_terms(NeuronTerms(**{**bad.__dict__, "dots": np.array([np.nan, 0, 0])}))
    assert strips.terms is None


def test_a_stale_view_is_veiled(qtbot):
    strips = show(qtbot, NeuronStrips(), 900, 200)
    strips.show_terms(terms())
    point = (int(strips.columns()["k"] + 0.5 * strips.cell_width()), int(3.5 * ROW))
    before = strips.grab().toImage().pixelColor(*point)
    strips.set_stale(True)
    after = strips.grab().toImage().pixelColor(*point)
    assert after != before and abs(after.red() - after.blue()) < abs(before.red() - before.blue()), "greyed"
    strips.set_stale(False)
    assert strips.grab().toImage().pixelColor(*point) == before
