"""The Query–Key tool's "Pool over a corpus…" in a real window on a tiny llama: the scatter is pooled_geometry's,
the caption states the sample, hover names the text, the choice is remembered, a bad corpus is a message."""

import json

import numpy as np
import pytest
from builders import write_hf_model
from gui_helpers import close, open_window, temporary_settings

import models
from models.analysis.corpus_reading import read_corpus
from models.analysis.qk_pooled import pooled_geometry

LOAD_TIMEOUT_MS = 30_000  # a tiny model and five short texts
TEXTS = ["the cat sat on the mat", "a dog ran after the ball", "one two three four", "hello there", "red green"]


@pytest.fixture
def setup(qtbot, tmp_path):
    folder = tmp_path / "tiny-llama"
    write_hf_model(folder, "llama")
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"t-{i}", "text": t}) + "\n" for i, t in enumerate(TEXTS)))
    window = open_window(qtbot, tmp_path, model=str(folder), text="a b c a b c")
    yield window, folder, corpus
    close(window)


def test_pooled_scatter_is_the_apis_and_states_its_sample(qtbot, tmp_path, setup):
    window, folder, corpus = setup
    tool = window.tools["geometry"]
    window.open_tool("geometry")
    tool.view.layer.setValue(1)
    tool.view.pool_points.setValue(16)
    tool.view.pool_texts.setValue(4)
    tool.pool_over(str(corpus))
    qtbot.waitUntil(lambda: tool.scatter is not None or "⚠" in tool.view.status.text(), timeout=LOAD_TIMEOUT_MS)
    assert tool.scatter is not None, tool.view.status.text()
    expected = pooled_geometry(models.load(str(folder), device="cpu"), read_corpus(corpus, limit=4), 1, 0, points=16)
    np.testing.assert_allclose(tool.view.scatter.coords, expected.coords, atol=1e-6)
    assert tool.scatter.text_ids == expected.text_ids
    total = expected.n_vectors
    assert f"16 of {total} vectors from 4 texts" in tool.view.status.text()
    assert "vectors from 4 texts" in tool.view.scatter.getPlotItem().titleLabel.text
    assert tool.view.scatter.describe(0).startswith(f"text {expected.text_ids[0]}: query {expected.positions[0]}")
    out = tmp_path / "pooled.json"
    assert tool.export.export_to(out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["corpus"] == str(corpus) and [p["text_id"] for p in data["points"]] == expected.text_ids
    remembered = temporary_settings(tmp_path)  # the window's settings file, read afresh
    assert (remembered.value("geometry/pool/path"), int(remembered.value("geometry/pool/points"))) == (str(corpus), 16)
    with qtbot.waitSignal(tool.scatter_shown, timeout=LOAD_TIMEOUT_MS):
        tool.view.text_button.click()
    assert tool.scatter.pool is None and tool.view.scatter.text_ids is None
    assert len(tool.scatter.kinds) == 2 * tool._n_tokens()


def test_a_corpus_that_cannot_be_read_is_a_message(qtbot, tmp_path, setup):
    window, _folder, _corpus = setup
    tool = window.tools["geometry"]
    window.open_tool("geometry")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    tool.pool_over(str(bad))
    qtbot.waitUntil(lambda: "is not JSON" in tool.view.status.text(), timeout=LOAD_TIMEOUT_MS)
    assert tool.view.status.text().startswith("⚠") and not tool.pooled
