"""`main.py analyze qk`, run in-process through main(argv) on a tiny random llama, checked against the API."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

import models
from explorer.cli import parser
from explorer.cli.main import main
from models.analysis import head_geometry
from models.analysis.qk_geometry import METHODS

TEXT = "the cat sat on the mat"  # 12 tokens of the tiny tokenizer: 24 points


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory):
    from builders import write_hf_model

    folder = tmp_path_factory.mktemp("tiny-qk")
    write_hf_model(folder, "llama")
    return str(folder)


def qk(folder: str, out, *extra: str) -> int:
    return main(["analyze", "qk", "--model", folder, "--text", TEXT, "--layer", "1", "--head", "5",
                 "--device", "cpu", "--out", str(out), *extra])  # fmt: skip


def test_the_parser_names_the_engines_methods():
    assert parser.METHODS == METHODS == ("pca", "tsne", "umap")


def test_json_holds_every_points_coordinates_kind_position_and_token(tmp_path, tiny_folder):
    assert qk(tiny_folder, tmp_path / "qk.json") == 0
    data = json.loads((tmp_path / "qk.json").read_text(encoding="utf-8"))
    model = models.load(tiny_folder, device="cpu")
    run = model.run(TEXT)
    expected = head_geometry(run, 1, 5)
    n = len(run.tokens[0])
    assert (data["layer"], data["head"], data["kv_head"], data["method"]) == (1, 5, 1, "pca")
    assert len(data["points"]) == 2 * n and data["ids"] == run.ids[0]
    coords = np.array([[p["x"], p["y"]] for p in data["points"]])
    np.testing.assert_allclose(coords, expected.coords, rtol=1e-6, atol=1e-9)
    assert [p["kind"] for p in data["points"]] == ["query"] * n + ["key"] * n
    assert [p["position"] for p in data["points"]] == [*range(n), *range(n)]
    assert [p["token"] for p in data["points"]] == run.tokens[0] * 2


@pytest.mark.parametrize(
    "suffix, extra",
    [(".png", ("--method", "tsne", "--perplexity", "5")), (".svg", ("--colour-by", "position")), (".pdf", ())],
)
def test_figures_are_written(tmp_path, tiny_folder, suffix, extra):
    out = tmp_path / f"qk{suffix}"
    assert qk(tiny_folder, out, "--width", "800", *extra) == 0
    head = out.read_bytes()[:8]
    assert {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}[suffix] in head
    assert out.stat().st_size > 2000


def test_bad_input_exits_non_zero_with_a_clear_message(tmp_path, tiny_folder, capsys, monkeypatch):
    assert qk(tiny_folder, tmp_path / "x.json", "--method", "tsne") == 2  # 24 points, perplexity 30
    assert "perplexity: t-SNE needs fewer than the" in capsys.readouterr().err
    assert main(["analyze", "qk", "--model", tiny_folder, "--text", TEXT, "--layer", "1", "--head", "8",
                 "--device", "cpu", "--out", str(tmp_path / "x.json")]) == 2  # fmt: skip
    assert "head: 8 is out of range; this model's heads are 0..7" in capsys.readouterr().err
    assert qk(tiny_folder, tmp_path / "x.txt") == 2
    assert "--out: unknown extension '.txt'" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "umap", None)
    assert qk(tiny_folder, tmp_path / "x.json", "--method", "umap") == 2
    assert "pip install umap-learn" in capsys.readouterr().err
    assert not list(tmp_path.iterdir()), "nothing is written when the input is refused"


def test_the_figure_draws_its_words_in_the_interfaces_language(tmp_path):
    from explorer.export import figure_text
    from explorer.export.qk_files import write_qk

    points = {"layer": 1, "head": 2, "method": "pca", "points": [
        {"x": 0.0, "y": 0.0, "kind": "query", "position": 0, "token": "猫"},
        {"x": 1.0, "y": 1.0, "kind": "key", "position": 0, "token": "猫"},
    ]}  # fmt: skip
    figure_text.set_language("zh_CN")
    try:
        write_qk(tmp_path / "qk.svg", points, {}, colour_by="position", width=800)
    finally:
        figure_text.set_language("en")
    svg = (tmp_path / "qk.svg").read_text(encoding="utf-8")
    assert all(word in svg for word in ("查询与键", "位置", "层 1", "头 2", "猫"))
