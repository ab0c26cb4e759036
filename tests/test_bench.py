"""The benchmark command works end to end at a small size (its timings are reported, never asserted)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"n", "ours_ms", "hf_ms", "ratio", "switch_ms", "retained_bytes", "peak_rss_mb", "gemm_gflops", "floor_fraction"}


def test_bench_runs_at_a_small_length_and_reports_every_figure():
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "bench", "--lengths", "24", "--json"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=1800,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    (row,) = report["results"]
    assert KEYS <= set(row)
    assert row["n"] == 24
    assert row["parity_max_abs"] is not None and row["parity_max_abs"] <= 1e-4, "timed only after parity held"
    for key in ("ours_ms", "hf_ms", "switch_ms", "gemm_gflops", "peak_rss_mb", "hf_peak_rss_mb", "forward_ms"):
        assert row[key] > 0, key
    assert row["ratio"] == pytest.approx(row["hf_ms"] / row["ours_ms"], rel=0.02)
    assert 0 < row["floor_fraction"] <= 1.5
    assert row["retained_bytes"] > 0
    assert report["machine"]["cores"] >= 1


def test_bench_without_transformers_says_how_to_install_it(monkeypatch):
    from explorer.bench.reference import require_transformers

    monkeypatch.setitem(sys.modules, "transformers", None)  # what a failed import looks like
    with pytest.raises(ValueError, match="pip install transformers"):
        require_transformers()


def test_bench_rejects_too_few_rounds():
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "bench", "--rounds", "2"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2 and "--rounds must be at least 5" in result.stderr


@pytest.mark.parametrize("model", ["smollm", "minilm"])
def test_the_floors_matrix_product_count_is_what_a_forward_pass_multiplies(model, request):
    # The floor divides these FLOPs by the GEMM rate, so they must be the work the engine really does:
    # torch's own FLOP counter tallies every matrix product of a real run (its CPU SDPA kernel is not
    # counted, which is why attention has a formula of its own).
    from torch.utils.flop_counter import FlopCounterMode

    from explorer.bench.flops import projection_flops
    from explorer.bench.measure import bench_ids

    engine = request.getfixturevalue(model)
    for n in (7, 64):
        ids = bench_ids(engine, n)
        with FlopCounterMode(display=False) as counter:
            engine.run_ids([ids])
        assert counter.get_total_flops() == projection_flops(engine.config, n)
