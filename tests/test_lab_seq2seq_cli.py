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


def test_bench_lab_rows_stop_at_the_budget_and_render_as_a_table():
    from explorer.bench.lab import SECTIONS, render, seq2seq_row
    from models.lab.seq2seq import LabSettings

    settings = LabSettings(system="gpt", task="copy", length=3, vocab=3, layers=1, heads=2, d_model=16, steps=30,
                           snapshot_every=10)  # fmt: skip
    row = seq2seq_row(settings, "tiny GPT", accuracy=0.0, alignment=None, seconds_budget=60.0)
    assert row["steps"] == 10 and row["passed"]  # accuracy ≥ 0 is met at the first evaluation
    strict = seq2seq_row(settings, "tiny GPT", accuracy=1.01, alignment=None, seconds_budget=60.0)
    assert strict["steps"] == 30 and not strict["passed"]  # never met: every step runs, and the row fails
    assert strict["peak_rss_mb"] > 0 and strict["seconds_per_step"] > 0
    table = render([row, strict], as_json=False).splitlines()
    assert len(table) == 4 and "| yes |" in table[2] and "| NO |" in table[3]
    assert json.loads(render([row], as_json=True))["passed"] is True
    assert [s.__name__ for s in SECTIONS[:5]] == [
        "transformer_reverse", "gru_dates", "gpt_copy_mha", "gpt_copy_gqa", "gpt_copy_mqa",
    ]  # fmt: skip


def test_ctrl_c_stops_training_cleanly_and_still_reports(monkeypatch, tmp_path, capsys):
    from models.lab.seq2seq import Trainer

    real_train = Trainer.train

    def interrupted(self, n_steps=None):
        for event in real_train(self, n_steps):
            yield event
            if self.step == 3:
                raise KeyboardInterrupt  # what Ctrl+C raises between two steps

    monkeypatch.setattr(Trainer, "train", interrupted)
    run = tmp_path / "stopped.safetensors"
    code = main(["lab", "train", "--system", "gru", "--task", "copy", "--steps", "50", "--json", "--save", str(run),
                 *QUICK])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 130 and "stopped at step 3 of 50" in captured.err
    assert json.loads(captured.out)["steps"] == 3 and run.is_file()
