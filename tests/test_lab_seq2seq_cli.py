"""`lab train` and `lab attention` from the command line: JSON keys, saved files, written maps, refused input."""

import json

import numpy as np
import pytest

from explorer.cli.main import main

QUICK = ["--layers", "1", "--heads", "2", "--d-model", "16", "--batch-size", "8", "--snapshot-every", "10"]


def test_lab_train_prints_the_listed_json_keys_and_saves_a_run(tmp_path, capsys):
    run = tmp_path / "run.safetensors"
    code = main(["lab", "train", "--system", "transformer", "--task", "reverse", "--steps", "20", "--json",
                 "--save", str(run), *QUICK])  # fmt: skip
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"system", "task", "steps", "seconds", "loss", "accuracy", "alignment_accuracy", "settings"}
    assert result["steps"] == 20 and result["settings"]["heads"] == 2 and 0 <= result["accuracy"] <= 1
    assert set(result["alignment_accuracy"]) == {"best_head", "mean"}
    assert run.is_file() and json.loads((tmp_path / "run.json").read_text())["step"] == 20

    out = tmp_path / "cross.npy"
    assert main(["lab", "attention", "--load", str(run), "--input", "a b c d", "--kind", "cross", "--layer", "0",
                 "--head", "1", "--out", str(out), "--json"]) == 0  # fmt: skip
    shown = json.loads(capsys.readouterr().out)
    matrix = np.load(out)
    assert matrix.shape == (len(shown["output"]), 4) and shown["source"] == ["a", "b", "c", "d"]
    np.testing.assert_allclose(matrix, shown["matrix"])
    np.testing.assert_allclose(matrix.sum(axis=1), 1.0, atol=1e-5)
    for suffix in (".csv", ".json", ".png"):
        path = tmp_path / f"map{suffix}"
        assert main(["lab", "attention", "--load", str(run), "--kind", "encoder", "--out", str(path)]) == 0
        assert path.stat().st_size > 0
    capsys.readouterr()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["lab", "train", "--heads", "3", "--d-model", "16"], "--heads"),
        (["lab", "train", "--system", "gpt", "--heads", "4", "--kv-heads", "3"], "--kv-heads"),
        (["lab", "train", "--length", "0"], "--length"),
        (["lab", "train", "--steps", "1", "--save", "run.pt"], "--save"),
        (["lab", "attention", "--load", "missing.safetensors"], "load"),
    ],
)
def test_bad_input_is_one_error_line_and_status_2(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and message in err


def test_lab_attention_refuses_a_kind_layer_or_input_the_run_lacks(tmp_path, capsys):
    run = tmp_path / "gru.safetensors"
    assert main(["lab", "train", "--system", "gru", "--task", "copy", "--steps", "2", "--save", str(run), *QUICK]) == 0
    for extra, message in ((["--kind", "encoder"], "--kind"), (["--layer", "1"], "--layer"),
                           (["--input", "a z"], "source"), (["--out", str(tmp_path / "x.txt")], "--out")):  # fmt: skip
        assert main(["lab", "attention", "--load", str(run), *extra]) == 2
        assert message in capsys.readouterr().err
