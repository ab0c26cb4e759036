"""The Corpus tool in a real window: Run scores the corpus as a job, the atlas shows the means with their intervals,
a head lists its top examples, and an example opens in Maps at that head."""

import json

import numpy as np
from builders import write_hf_model
from gui_helpers import LOAD_TIMEOUT_MS, close, maps_of, open_window
from PySide6.QtCore import QPointF, Qt
from test_corpus import write_corpus


def click_cell(qtbot, atlas, layer: int, head: int) -> None:
    scene = atlas.plot.getViewBox().mapViewToScene(QPointF(head, layer))
    qtbot.mouseClick(atlas.viewport(), Qt.LeftButton, Qt.NoModifier, atlas.mapFromScene(scene))


def test_run_the_corpus_list_a_heads_examples_and_open_one_in_maps(qtbot, tmp_path):
    folder = tmp_path / "tiny-llama"
    write_hf_model(folder, "llama")
    corpus = write_corpus(tmp_path / "corpus.jsonl", n=12)
    window = open_window(qtbot, tmp_path, model=str(folder), text="a b c a b c")
    try:
        window.open_tool("corpus")
        tool = window.tools["corpus"]
        tool.open_corpus(str(corpus))
        qtbot.waitUntil(tool.view.run_button.isEnabled, timeout=LOAD_TIMEOUT_MS)  # once the corpus has been read
        assert "(12 texts)" in tool.view.source.text()
        qtbot.mouseClick(tool.view.run_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: tool.results is not None, timeout=LOAD_TIMEOUT_MS)
        summary = json.loads((tmp_path / "corpus.tiny-llama.corpus" / "summary.json").read_text(encoding="utf-8"))
        assert summary["texts"] == 12
        mean = np.array(summary["scores"]["prefix_matching"]["mean"], dtype=float)
        np.testing.assert_array_equal(tool.view.atlas.values, mean)

        click_cell(qtbot, tool.view.atlas, 1, 2)
        top = summary["scores"]["prefix_matching"]["top"][1][2]
        table = tool.view.examples
        assert table.rowCount() == len(top) > 0
        assert [table.item(row, 1).text() for row in range(table.rowCount())] == [e["text_id"] for e in top]
        low, high = (summary["scores"]["prefix_matching"][key][1][2] for key in ("ci_low", "ci_high"))
        assert f"[{low:.4g}, {high:.4g}]" in tool.view.status.text()
        assert f"[{low:.4g}, {high:.4g}]" in tool.view.atlas.describe(1, 2)

        texts = {json.loads(line)["id"]: json.loads(line)["text"] for line in corpus.read_text().splitlines()}
        with qtbot.waitSignal(window.workspace.run_changed, timeout=LOAD_TIMEOUT_MS):
            qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=table.visualItemRect(table.item(0, 4)).center())
        assert window.workspace.state.texts == [texts[top[0]["text_id"]]]
        maps = maps_of(window)
        qtbot.waitUntil(lambda: (maps.state.layer, maps.state.head) == (1, 2), timeout=LOAD_TIMEOUT_MS)
    finally:
        close(window)
