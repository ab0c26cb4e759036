"""WordWeights alone: each word highlighted in proportion to its weight, rows that are no distribution refused."""

import numpy as np
import pytest
from widget_helpers import show

from explorer.gui.widgets.word_weights import MAX_ALPHA, WeightedSentence, WordWeights, blend, opacities


def test_the_strongest_word_gets_the_strongest_highlight(qtbot):
    widget = show(qtbot, WordWeights(), 400, 200)
    weights = np.array([0.1, 0.6, 0.3])
    widget.show_sentences([WeightedSentence(("not", "bad", "film"), weights, "typed")], show_numbers=True)
    assert np.allclose(opacities(weights), weights / 0.6 * MAX_ALPHA)
    html = widget.toHtml()
    assert blend(MAX_ALPHA) in html and blend(0.1 / 0.6 * MAX_ALPHA) in html
    assert "0.60" in widget.toPlainText() and "bad" in widget.toPlainText()


def test_blend_goes_from_white_to_the_highlight():
    assert blend(0.0) == "#ffffff" and blend(1.0) == "#dc3c28"


def test_weights_that_are_no_distribution_are_refused():
    with pytest.raises(ValueError, match="sum to 1"):
        WeightedSentence(("a", "b"), np.array([0.5, 0.6]))
    with pytest.raises(ValueError, match="sum to 1"):
        WeightedSentence(("a", "b"), np.array([np.nan, 1.0]))
