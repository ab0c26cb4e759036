"""`main.py export --view lines` (issue 28 item 4) on a tiny random llama: the lines written are the map's own
pairs at or above the threshold, a long text's threshold is stated, bad requests are refused before loading."""

from __future__ import annotations

import json

import numpy as np
import pytest

import models
from explorer.cli.main import main

TEXT = "the cat sat on the mat because it was tired"


@pytest.fixture
def tiny_folder(tiny_causal_lm, monkeypatch):
    """A name `export` loads as the session's tiny random llama (2 layers, 8 heads), without reading it again."""
    monkeypatch.setattr(models, "load", lambda name, **_: tiny_causal_lm)
    return "tiny-llama"


def export(capsys, folder, *args):
    status = main(["export", "--model", str(folder), *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_json_holds_every_heads_lines_as_the_map_has_them(capsys, tiny_folder, tmp_path):
    out = tmp_path / "lines.json"
    status, stdout, _ = export(capsys, tiny_folder, "--text", TEXT, "--view", "lines", "--layer", "1",
                               "--threshold", "0.1", "--out", str(out))  # fmt: skip
    assert status == 0 and "lines ≥ 0.1" in stdout
    data = json.loads(out.read_text())
    run = models.load(tiny_folder).run(TEXT)
    assert data["tokens"] == run.tokens[0] and len(data["heads"]) == run.n_heads
    for entry in data["heads"]:
        full, visible = run.attention_and_visibility(1, entry["head"])
        rows, cols = np.nonzero(visible & (full >= 0.1))
        assert entry["query"] == rows.tolist() and entry["key"] == cols.tolist()
        np.testing.assert_allclose(entry["weight"], full[rows, cols], atol=1e-6)


def test_one_query_and_one_head_as_svg(capsys, tiny_folder, tmp_path):
    out = tmp_path / "it.svg"
    status, stdout, _ = export(capsys, tiny_folder, "--text", TEXT, "--view", "lines", "--head", "2", "--query", "7",
                               "--out", str(out))  # fmt: skip
    assert status == 0 and "lines of query 7" in stdout
    svg = out.read_text()
    assert 'id="lines-head-2"' in svg and 'id="lines-head-0"' not in svg
    assert svg.count('<path d="M') >= 8  # query 7 sees keys 0..7: eight lines, plus axes and ticks


def test_a_long_text_says_its_threshold(capsys, tiny_folder, tmp_path):
    long_text = " ".join(["the cat sat on the mat"] * 60)  # past 256 tokens
    status, _, stderr = export(capsys, tiny_folder, "--text", long_text, "--view", "lines", "--head", "0",
                               "--out", str(tmp_path / "long.json"))  # fmt: skip
    assert status == 0
    assert "tokens: only lines ≥ 0.05 are drawn (set --threshold)" in stderr
    assert json.loads((tmp_path / "long.json").read_text())["threshold"] == 0.05


@pytest.mark.parametrize(
    "args, message",
    [
        (["--view", "lines", "--out", "x.npy"], "--view lines writes .png, .svg, .pdf, .json, not '.npy'"),
        (["--threshold", "0.1", "--out", "x.png"], "--threshold, --query and --key draw lines: add --view lines"),
        (["--view", "lines", "--all", "--out", "x.svg"], "--view lines draws one layer"),
        (["--view", "lines", "--threshold", "2", "--out", "x.svg"], "threshold: 2.0 is outside 0..1"),
        (["--view", "lines", "--query", "99", "--out", "x.svg"], "--query: 99 is out of range; the text has"),
        (["--view", "lines", "--head", "8", "--out", "x.svg"], "--head: 8 is out of range"),
    ],
)
def test_bad_requests_get_a_clear_message(capsys, tiny_folder, tmp_path, args, message):
    args = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    status, _, stderr = export(capsys, tiny_folder, "--text", TEXT, *args)
    assert status == 2 and message in stderr
    assert "Traceback" not in stderr
