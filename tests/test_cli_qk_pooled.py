"""`main.py analyze qk --corpus`, run in-process on a tiny random llama, checked against pooled_geometry."""

from __future__ import annotations

import json

import numpy as np
import pytest

import models
from explorer.cli.main import main
from models.analysis.corpus_reading import read_corpus
from models.analysis.qk_pooled import pooled_geometry

TEXTS = ["the cat sat on the mat", "a dog ran after the ball", "one two three four", "hello there", "red green blue"]
LINES = [json.dumps({"id": f"t-{i}", "text": text}) for i, text in enumerate(TEXTS)]


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory):
    from builders import write_hf_model

    folder = tmp_path_factory.mktemp("tiny-qk-pooled")
    write_hf_model(folder, "llama")
    return str(folder)


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    return path


def qk(folder: str, corpus, out, *extra: str) -> int:
    return main(["analyze", "qk", "--model", folder, "--corpus", str(corpus), "--layer", "1", "--head", "5",
                 "--device", "cpu", "--out", str(out), *extra])  # fmt: skip


def test_json_holds_the_pooled_points_with_their_text_ids_and_states_the_sample(tmp_path, tiny_folder, corpus):
    assert qk(tiny_folder, corpus, tmp_path / "qk.json", "--points", "16", "--limit", "4", "--seed", "2") == 0
    data = json.loads((tmp_path / "qk.json").read_text(encoding="utf-8"))
    expected = pooled_geometry(models.load(tiny_folder, device="cpu"), read_corpus(corpus, limit=4), 1, 5,
                               points=16, seed=2)  # fmt: skip
    assert len(data["points"]) == 16 and data["sample"]["texts"] == 4
    assert data["sample"]["text"] == expected.sample_text()
    coords = np.array([[p["x"], p["y"]] for p in data["points"]])
    np.testing.assert_allclose(coords, expected.coords, rtol=1e-6, atol=1e-9)
    assert [p["text_id"] for p in data["points"]] == expected.text_ids
    assert {p["text_id"] for p in data["points"]} <= {"t-0", "t-1", "t-2", "t-3"}
    assert [p["position"] for p in data["points"]] == list(expected.positions)


def test_a_figure_is_written(tmp_path, tiny_folder, corpus):
    out = tmp_path / "qk.svg"
    assert qk(tiny_folder, corpus, out, "--points", "20", "--width", "800") == 0
    assert "<svg" in out.read_text(encoding="utf-8")[:500]
    from explorer.export.qk_files import qk_figure

    assert qk(tiny_folder, corpus, tmp_path / "qk.json", "--points", "20") == 0
    points = json.loads((tmp_path / "qk.json").read_text(encoding="utf-8"))
    title = qk_figure(points).axes[0].get_title()
    assert title.endswith("\n" + points["sample"]["text"]) and "vectors from 5 texts" in title


def test_bad_input_is_refused_with_a_message(tmp_path, tiny_folder, corpus, capsys):
    assert qk(tiny_folder, corpus, tmp_path / "a.json", "--points", "1") != 0
    assert "--points: 1 must be an integer >= 2" in capsys.readouterr().err
    assert qk(tiny_folder, tmp_path / "missing.jsonl", tmp_path / "a.json") != 0
    err = capsys.readouterr().err
    assert "--corpus:" in err and "missing.jsonl is not a file" in err
    assert qk(tiny_folder, corpus, tmp_path / "a.json", "--limit", "0") != 0
    assert "--limit: 0 must be an integer >= 1" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:  # argparse: --text and --corpus are one or the other
        main(["analyze", "qk", "--model", tiny_folder, "--corpus", str(corpus), "--text", "x", "--layer", "1",
              "--head", "0", "--out", str(tmp_path / "a.json")])  # fmt: skip
    assert stopped.value.code != 0 and "not allowed with argument" in capsys.readouterr().err
