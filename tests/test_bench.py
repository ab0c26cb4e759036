"""The benchmark command works end to end at a small size (its timings are reported, never asserted).

The report is assembled from a tiny random llama written by the tests: the command is the same code on any
model, and transformers reads the tiny folder as it reads a real one. The real benchmarks are commands
(`make bench`, `python main.py bench`); SmolLM2's parity with transformers is asserted by test_parity_real.py,
and the FLOP count below still runs on both shipped models.
"""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"n", "ours_ms", "hf_ms", "ratio", "switch_ms", "retained_bytes", "peak_rss_mb", "gemm_gflops", "floor_fraction"}


@pytest.fixture(scope="module")
def tiny_bench_model(tmp_path_factory):
    """A random llama large enough that its GEMMs run at a measurable rate (the report rounds to 0.1 GFLOP/s)."""
    from builders import write_hf_model

    folder = tmp_path_factory.mktemp("bench") / "tiny-llama"
    write_hf_model(folder, "llama", hidden_size=256, intermediate_size=1024)
    return folder


def test_bench_runs_at_a_small_length_and_reports_every_figure(tiny_bench_model):
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "bench", "--model", str(tiny_bench_model), "--lengths", "24", "--json"],
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
    # A fraction, not a budget: on a busy machine the GEMM rate and the forward pass are timed under different
    # loads, so only its sign is asserted (test_the_floors_matrix_product_count... checks the floor's FLOPs).
    assert math.isfinite(row["floor_fraction"]) and row["floor_fraction"] > 0
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


def finite_positive(value) -> bool:
    return isinstance(value, float) and math.isfinite(value) and value > 0


def test_startup_bench_reports_help_and_window_times():
    # Needs the explorer's side of the probe contract (ATTENTION_EXPLORER_STARTUP_PROBE); timings are not judged.
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "bench", "--startup", "--repeat", "1", "--json"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["repeat"] == 1 and report["machine"]["cores"] >= 1
    for measure in ("help_s", "window_s"):
        spread = report[measure]
        assert len(spread["runs"]) == 1, measure
        for key in ("median", "min", "max"):
            assert finite_positive(spread[key]), (measure, key, spread[key])
        assert spread["min"] == spread["median"] == spread["max"] == spread["runs"][0]
    (torch_imported,) = report["torch_imported_at_window"]
    assert isinstance(torch_imported, bool)


def test_startup_help_is_timed_in_a_fresh_process():
    from explorer.bench.startup import time_help

    assert finite_positive(time_help())


def fake_app(body: str) -> list[str]:
    """A stand-in for the explorer that plays its side of the probe contract (or breaks it)."""
    return [sys.executable, "-c", "import json, os, sys, time\n" + body]


def test_startup_window_is_read_from_the_probe_the_app_writes():
    from explorer.bench.startup import PROBE_VARIABLE, time_window

    writes_probe = fake_app(
        "time.sleep(0.2)\n"  # the 'window' appears a little after launch; the bench must count that
        f"with open(os.environ['{PROBE_VARIABLE}'], 'w') as f:\n"
        "    json.dump({'shown_at': time.time(), 'torch_imported': 'torch' in sys.modules}, f)\n"
    )
    launch = time_window(writes_probe, timeout=60)
    assert 0.2 <= launch.seconds < 60
    assert launch.torch_imported is False


def test_startup_window_runs_offscreen_with_fresh_settings(monkeypatch, tmp_path):
    from explorer.bench.startup import PROBE_VARIABLE, window_environment

    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", "/home/someone/.config")
    environment = window_environment(tmp_path, tmp_path / "probe.json")
    assert environment["QT_QPA_PLATFORM"] == "offscreen"
    assert environment["XDG_CONFIG_HOME"] == str(tmp_path / "config")
    assert environment[PROBE_VARIABLE] == str(tmp_path / "probe.json")


def test_startup_window_that_never_appears_is_a_clear_timeout():
    from explorer.bench.startup import PROBE_VARIABLE, time_window

    with pytest.raises(TimeoutError, match=f"not reported within 1 s.*{PROBE_VARIABLE}"):
        time_window(fake_app("time.sleep(60)"), timeout=1)


def test_startup_app_that_quits_without_a_probe_or_fails_says_so():
    from explorer.bench.startup import time_window

    with pytest.raises(OSError, match="quit without writing probe.json"):
        time_window(fake_app("pass"), timeout=60)
    with pytest.raises(OSError, match="exited with status 3 before reporting its window: no model here"):
        time_window(fake_app("print('no model here', file=sys.stderr); sys.exit(3)"), timeout=60)


def test_startup_rejects_a_repeat_below_one():
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "bench", "--startup", "--repeat", "0"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and result.stderr.strip() == "error: --repeat: 0 is too small; it must be at least 1"
