"""Fixtures for widget tests: each widget is built alone from numpy arrays and plain data, no model."""

import pyqtgraph as pg
import pytest


@pytest.fixture
def every_mouse_move():
    """pyqtgraph drops mouse moves that come within 10 ms of the last (its mouseRateLimit), which a test's
    moves always do; a test that follows the pointer sees every move instead, and the option is put back."""
    before = pg.getConfigOption("mouseRateLimit")
    pg.setConfigOption("mouseRateLimit", -1)
    yield
    pg.setConfigOption("mouseRateLimit", before)
