"""`bench --analysis`: the usual route's numpy scores are the same definitions as ours, and the command runs."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from explorer.bench.analysis import numpy_scores
from models.analysis.scores import score_maps

ROOT = Path(__file__).resolve().parent.parent


def test_the_usual_routes_numpy_scores_equal_ours_on_causal_maps():
    rng = np.random.default_rng(1)
    n = 16
    causal = np.tril(np.ones((n, n), dtype=bool))
    maps = rng.random((4, n, n)) * causal
    maps /= maps.sum(-1, keepdims=True)
    ids = rng.integers(0, 5, n).tolist()
    special = [i % 7 == 0 for i in range(n)]
    np.testing.assert_allclose(
        numpy_scores(maps, ids, special), score_maps(maps, causal, ids, [True] * n, special), rtol=1e-5
    )


def test_the_usual_routes_prefix_matching_is_nan_without_a_repeat():
    maps = np.tril(np.ones((3, 3)))[None] / np.arange(1, 4)[:, None]
    assert np.isnan(numpy_scores(maps, [1, 2, 3], [False] * 3)[3]).all()


def test_bench_analysis_runs_and_reports_both_routes_as_json(tmp_path):
    # On a tiny random llama written here: the report is the same code on any model (the real benchmark is a
    # command, `python main.py bench --analysis`; head scores on SmolLM2 are checked in test_head_scores.py).
    from builders import write_hf_model

    write_hf_model(tmp_path / "tiny-llama", "llama")
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "bench",
            "--analysis",
            "--model",
            str(tmp_path / "tiny-llama"),
            "--lengths",
            "24",
            "--rounds",
            "1",
            "--warmups",
            "0",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["machine"]["cores"] >= 1 and "load_average_1min" in report["machine"]
    (row,) = report["results"]
    assert row["n"] == 24 and row["budget_s"] is None
    assert row["ours_scores_s"] > 0 and row["hf_scores_s"] > 0 and row["worst_difference"] <= 1e-3
    (step,) = report["generation"]  # a generation step against one appended token, at the same length
    assert step["n"] == 24 and step["budget_ratio"] is None
    assert step["ratio"] == pytest.approx(step["step_ms"] / step["append_ms"], rel=0.05) and step["append_ms"] > 0
    rollout_row, flow_row = report["rollout_flow"]  # both at N=24, within flow's limit; no budget there
    assert (rollout_row["view"], rollout_row["n"], flow_row["view"], flow_row["n"]) == ("rollout", 24, "flow", 24)
    assert rollout_row["worst_difference"] <= 1e-4 and rollout_row["seconds"] > 0 and flow_row["seconds"] > 0
    assert rollout_row["budget_s"] is None and flow_row["budget_s"] is None


def test_bench_analysis_refuses_zero_rounds():
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "bench", "--analysis", "--rounds", "0"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "--rounds must be at least 1" in result.stderr
