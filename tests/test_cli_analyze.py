"""`main.py analyze heads|importance|lens`, run as a user runs it (in this process), checked against the API."""

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from shared_models import run_main

from models.analysis import SCORE_NAMES, head_scores, repeated_random

ROOT = Path(__file__).resolve().parent.parent
SMOL = "smollm2-135m-instruct"


def cli(*args: str):
    """`main.py ARGS` run in this process (tests/shared_models.py): .returncode, .stdout, .stderr."""
    result = run_main(*args)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def as_array(nested) -> np.ndarray:
    return np.array([[np.nan if value is None else value for value in row] for row in nested], dtype=np.float64)


@pytest.mark.slow
def test_heads_on_the_induction_probe_writes_the_apis_scores_as_json(tmp_path, smollm):
    out = tmp_path / "scores.json"
    result = cli("analyze", "heads", "--model", SMOL, "--probe", "repeated-random", "--length", "50", "--out", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert set(data) == {"model", "tokens", "ids", "options", "probe", "scores"}
    assert data["probe"] == {"name": "repeated-random", "length": 50, "seed": 0}
    probe = repeated_random(smollm, length=50, seed=0)
    assert data["ids"] == probe.ids
    assert list(data["scores"]) == list(SCORE_NAMES)
    expected = head_scores(smollm.run(probe.text))
    for name in SCORE_NAMES:
        np.testing.assert_allclose(as_array(data["scores"][name]), expected[name], rtol=1e-6, err_msg=name)
    assert np.nanmax(as_array(data["scores"]["prefix_matching"])) > 0.5
    assert "highest prefix_matching: L" in result.stdout


@pytest.mark.slow
def test_heads_csv_has_one_row_per_head_with_its_kv_group_and_na(tmp_path, minilm):
    sequences = tmp_path / "texts.txt"
    sequences.write_text("The cat sat on the mat.\nHi\n", encoding="utf-8")
    out = tmp_path / "scores.csv"
    result = cli("analyze", "heads", "--model", "all-minilm-l6-v2", "--file", str(sequences), "--seq", "1")
    assert result.returncode == 2 and result.stderr.startswith("usage:")  # --out is required
    result = cli(
        "analyze", "heads", "--model", "all-minilm-l6-v2", "--file", str(sequences), "--seq", "1", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["layer", "head", "kv_group", *SCORE_NAMES]
    assert len(rows) == 1 + 6 * 12
    assert [row[:3] for row in rows[1:3]] == [["0", "0", "0"], ["0", "1", "1"]]  # MHA: a KV head per head
    expected = head_scores(minilm.run(["The cat sat on the mat.", "Hi"]), 1)
    prefix = SCORE_NAMES.index("prefix_matching") + 3
    assert {row[prefix] for row in rows[1:]} == {"n/a"}  # "[CLS] hi [SEP]" repeats no token: no query qualifies
    got = np.array([[float(value) for value in row[3:prefix] + row[prefix + 1 :]] for row in rows[1:]])
    want = np.stack([expected[name].ravel() for name in SCORE_NAMES if name != "prefix_matching"], axis=1)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


@pytest.mark.slow
def test_heads_with_a_knockout_records_it_and_importance_and_lens_run(tmp_path, smollm):
    text = "The capital of France is"
    heads = tmp_path / "heads.json"
    assert (
        cli("analyze", "heads", "--model", SMOL, "--text", text, "--ablate", "3:1", "--out", str(heads)).returncode == 0
    )
    assert json.loads(heads.read_text())["options"]["ablate"] == [[3, 1]]
    lens = tmp_path / "lens.json"
    result = cli("analyze", "lens", "--model", SMOL, "--text", text, "--k", "3", "--out", str(lens))
    assert result.returncode == 0, result.stderr
    data = json.loads(lens.read_text())
    assert len(data["layers"]) == 30 and all(len(layer["top"]) == 3 for layer in data["layers"])
    assert [(t["token"], t["probability"]) for t in data["layers"][-1]["top"]] == smollm.run(text).next_tokens(3)
    importance = tmp_path / "importance.csv"
    result = cli(
        "analyze", "importance", "--model", SMOL, "--text", text, "--target", " Paris", "--out", str(importance)
    )
    assert result.returncode == 0, result.stderr
    with importance.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["layer", "head", "kv_group", "importance"] and len(rows) == 1 + 30 * 9
    assert rows[1 + 4][:3] == ["0", "4", "1"]  # GQA: heads 3..5 read KV head 1
    assert min(float(row[3]) for row in rows[1:]) < 0  # some head helps predict " Paris"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["heads", "--model", SMOL, "--text", "a", "--out", "x.npy"], "--out: unknown extension '.npy'"),
        (["heads", "--model", SMOL, "--text", "a", "--length", "5", "--out", "x.json"], "--length and --seed"),
        (["heads", "--model", SMOL, "--text", "a", "--ablate", "3", "--out", "x.json"], "--ablate: '3'"),
        (["heads", "--model", SMOL, "--text", "a", "--mask", "sideways", "--out", "x.json"], "mask"),
        (["heads", "--model", SMOL, "--text", " ", "--out", "x.json"], "text"),
        (["lens", "--model", SMOL, "--text", "a", "--out", "x.csv"], "use .json"),
        (["lens", "--model", SMOL, "--text", "a", "--k", "0", "--out", "x.json"], "--k"),
        (["importance", "--model", SMOL, "--text", "a", "--out", "x.txt"], "--out"),
    ],
)
def test_bad_input_is_one_error_line_before_any_model_loads(tmp_path, args, message):
    result = cli("analyze", *args[:-1], str(tmp_path / args[-1]))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and message in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1
    assert not list(tmp_path.iterdir())


@pytest.mark.slow
def test_a_probe_too_long_for_the_model_is_refused_by_name(tmp_path):
    out = tmp_path / "s.json"
    result = cli("analyze", "heads", "--model", "all-minilm-l6-v2", "--probe", "repeated-random", "--length", "300")
    assert result.returncode == 2  # --out missing: argparse's usage error
    result = cli(
        "analyze",
        "heads",
        "--model",
        "all-minilm-l6-v2",
        "--probe",
        "repeated-random",
        "--length",
        "300",
        "--out",
        str(out),
    )
    assert result.returncode == 2 and "error: length: 300 is not allowed" in result.stderr
    assert not out.exists()
