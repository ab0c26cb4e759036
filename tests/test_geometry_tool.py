"""The Query–Key tool in a real window on SmolLM2: the neuron view is the API's terms for the chosen query, the
scatter is the API's projection, a clicked point outlines its row or column in Maps, bad input is a message,
the scatter exports, and the state round-trips."""

import json
import time

import numpy as np
import pytest
from gui_helpers import LOAD_TIMEOUT_MS, close, open_window

from explorer.gui.jobs import Cancelled
from explorer.gui.tools import TOOLS
from explorer.gui.tools.geometry.compute import fit_beside
from explorer.gui.tools.geometry.state import GeometryState
from models.analysis import head_geometry, query_key_terms

TEXT = "The animal didn't cross the street because it was too tired"


@pytest.fixture
def window(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, text=TEXT)
    yield window
    close(window)


def test_neuron_view_scatter_and_maps_outline(qtbot, window, smollm, tmp_path):
    tool = window.tools["geometry"]
    assert tool.neuron is None, "a hidden tool computes nothing"
    with qtbot.waitSignal(tool.neuron_shown, timeout=LOAD_TIMEOUT_MS):
        window.open_tool("geometry")
    run = smollm.run(TEXT)
    expected = query_key_terms(run, 0, 0, -1)
    np.testing.assert_array_equal(tool.view.strips.terms.scores, expected.scores)
    with qtbot.waitSignal(tool.neuron_shown, timeout=LOAD_TIMEOUT_MS):
        tool.view.layer.setValue(3)
    with qtbot.waitSignal(tool.neuron_shown, timeout=LOAD_TIMEOUT_MS):
        tool.view.strips.key_clicked.emit(8)  # " it" becomes the query
    shown = tool.view.strips.terms
    assert (tool.neuron.layer, shown.query) == (3, 8)
    np.testing.assert_allclose(shown.probabilities, query_key_terms(run, 3, 0, 8).probabilities, atol=1e-6)
    with qtbot.waitSignal(tool.scatter_shown, timeout=LOAD_TIMEOUT_MS):
        tool.view.tabs.setCurrentIndex(1)
    np.testing.assert_allclose(tool.view.scatter.coords, head_geometry(run, 3, 0).coords, atol=1e-6)
    maps = window.tools["maps"]
    with qtbot.waitSignal(maps.map_changed, timeout=LOAD_TIMEOUT_MS):
        tool.view.scatter.point_clicked.emit("key", 4)
    heatmap = maps.view.heatmap
    assert (maps.state.layer, maps.state.head) == (3, 0)
    assert heatmap.column_mark.isVisible() and not heatmap.row_mark.isVisible()
    assert heatmap.column_mark.rect().left() == 3.5, "key 4's column"
    window.open_tool("geometry")
    out = tmp_path / "qk.json"
    assert tool.export.export_to(out)
    points = json.loads(out.read_text(encoding="utf-8"))["points"]
    assert len(points) == 2 * len(run.tokens[0]) and points[-1]["token"] == run.tokens[0][-1]


def test_a_bad_method_for_the_text_is_a_message_and_state_round_trips(qtbot, window):
    tool = window.tools["geometry"]
    with qtbot.waitSignal(tool.neuron_shown, timeout=LOAD_TIMEOUT_MS):
        window.open_tool("geometry")
    tool.view.tabs.setCurrentIndex(1)
    tool.view.method.setCurrentIndex(tool.view.method.findData("tsne"))  # 24 points, perplexity 30
    qtbot.waitUntil(lambda: "perplexity" in tool.view.status.text(), timeout=LOAD_TIMEOUT_MS)
    assert tool.view.status.text().startswith("⚠ perplexity: t-SNE needs fewer than the 24 points")
    saved = tool.save_state()
    assert GeometryState.from_dict(saved) == tool.state and saved["method"] == "tsne" and saved["page"] == "scatter"
    with pytest.raises(ValueError, match='"tools.geometry.method" must be one of pca, tsne, umap'):
        tool.check_state({**saved, "method": "lda"})


def test_the_tool_is_ninth_ctrl_9():
    assert [cls.name for cls in TOOLS].index("geometry") == 8, "Ctrl+9: after the eight tools before it"
    assert GeometryState.from_dict({"layer": 2, "head": 40}).clamped(30, 9).head == 8
    with pytest.raises(ValueError, match='"tools.geometry.head" must be an integer >= 0'):
        GeometryState.from_dict({"head": -2})


class FakeJob:
    """A JobContext that is cancelled `after` seconds from now (never, with None), recording its reports."""

    def __init__(self, after=None):
        self.until = None if after is None else time.monotonic() + after
        self.reports: list[str] = []

    def check(self) -> None:
        if self.until is not None and time.monotonic() > self.until:
            raise Cancelled()

    def report(self, done, total, message="") -> None:
        self.check()
        self.reports.append(message)


def test_cancel_ends_a_projection_job_at_once_though_the_fit_takes_no_callback():
    started = time.monotonic()
    with pytest.raises(Cancelled):
        fit_beside(lambda: time.sleep(3) or np.zeros((2, 2)), FakeJob(after=0.6), lambda s: f"{s} s")
    assert time.monotonic() - started < 1.5, "the job ended while the abandoned fit still ran"
    job = FakeJob()
    np.testing.assert_array_equal(fit_beside(lambda: time.sleep(0.7) or np.ones((2, 2)), job, str), np.ones((2, 2)))
    assert job.reports == ["0"], "the seconds spent are reported while the fit runs"
    with pytest.raises(ValueError, match="perplexity"):
        fit_beside(lambda: (_ for _ in ()).throw(ValueError("perplexity: too high")), FakeJob(), str)


def test_a_cancelled_scatter_puts_the_controls_back_to_what_it_shows(qtbot, window, monkeypatch):
    import models.analysis.qk_geometry as geometry

    tool = window.tools["geometry"]
    with qtbot.waitSignal(tool.neuron_shown, timeout=LOAD_TIMEOUT_MS):
        window.open_tool("geometry")
    with qtbot.waitSignal(tool.scatter_shown, timeout=LOAD_TIMEOUT_MS):
        tool.view.tabs.setCurrentIndex(1)
    shown = tool.view.scatter.coords.copy()
    monkeypatch.setattr(geometry, "project", lambda *args: time.sleep(2) or np.zeros((24, 2)))  # a slow fit
    tool.view.method.setCurrentIndex(tool.view.method.findData("umap"))
    qtbot.waitUntil(lambda: window.jobs.busy("qk-scatter"), timeout=LOAD_TIMEOUT_MS)
    window.jobs.cancel("qk-scatter")
    qtbot.waitUntil(lambda: tool.view.status.text().startswith("Cancelled"), timeout=1500)
    assert tool.state.method == "pca" and tool.view.method.currentData() == "pca"
    np.testing.assert_array_equal(tool.view.scatter.coords, shown)
