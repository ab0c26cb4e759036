"""`bench --analysis`, rollout and flow: seconds of models.analysis.rollout and flow on a run, against their budgets.

The budgets (issue 13), on the 2-core machine: rollout of SmolLM2 at N=512 in ≤ 0.5 s and at N=2048 in ≤ 5 s;
flow at N=64 in ≤ 5 s. Rollout is timed at each benchmark length; flow at the lengths within its interactive
limit (FLOW_MAX_TOKENS), or at N=64 when none is. What is timed is the call on a finished run: the maps are
recomputed from its captured Q and K inside it, as in the window. Before timing, rollout is checked against
a float64 numpy product of the run's own maps at the shortest length (≤ 512 tokens), so the figures are of
the right computation. Medians over the rounds, after the warm-ups.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np

import models
from explorer.bench.measure import bench_ids
from models.analysis import FLOW_MAX_TOKENS, flow, rollout

ROLLOUT_BUDGET_S = {512: 0.5, 2048: 5.0}
FLOW_BUDGET_S = {64: 5.0}
FLOW_DEFAULT_N = 64
CHECK_MAX_N = 512  # the numpy check multiplies full float64 matrices: seconds beyond this
AGREEMENT = 1e-4  # float32 products of 30 stochastic matrices against float64: seen ~1e-7

Say = Callable[[str], None]


def numpy_rollout(run: models.Run) -> np.ndarray:
    """R = Â_L … Â_1 in float64 from the run's whole maps, mean over heads, residual 0.5, straight from the text."""
    n = len(run.ids[0])
    product = np.eye(n)
    for layer in range(run.n_layers):
        augmented = 0.5 * run.layer_attention(layer).astype(np.float64).mean(axis=0) + 0.5 * np.eye(n)
        product = (augmented / augmented.sum(axis=1, keepdims=True)) @ product
    return product


def check_rollout(run: models.Run) -> float:
    worst = float(np.abs(rollout(run) - numpy_rollout(run)).max())
    if not worst <= AGREEMENT:
        raise RuntimeError(f"rollout differs from numpy's product of the maps by {worst:.3g}")
    return worst


def median_seconds(compute: Callable[[], object], rounds: int, warmups: int) -> float:
    times = []
    for index in range(warmups + rounds):
        start = time.perf_counter()
        compute()
        if index >= warmups:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def flow_lengths(lengths: list[int]) -> list[int]:
    return [n for n in lengths if n <= FLOW_MAX_TOKENS] or [FLOW_DEFAULT_N]


def measure_view(model: models.Model, view: str, n: int, check: bool, rounds: int, warmups: int) -> dict:
    """One row: the median seconds of rollout or flow on a fresh run of n tokens, and its budget."""
    run = model.run_ids([bench_ids(model, n)])
    worst = check_rollout(run) if check else None
    compute = rollout if view == "rollout" else flow
    seconds = median_seconds(lambda: compute(run), rounds, warmups)
    budget = (ROLLOUT_BUDGET_S if view == "rollout" else FLOW_BUDGET_S).get(n)
    return {"view": view, "n": n, "seconds": round(seconds, 3), "budget_s": budget, "worst_difference": worst}


def run_rollout_flow_bench(model: models.Model, lengths: list[int], rounds: int, warmups: int, say: Say) -> list:
    """One row per (view, N): {"view", "n", "seconds", "budget_s", "worst_difference"}."""
    fitting = [n for n in lengths if n <= model.config.n_ctx]
    rows = []
    for n in fitting:
        rows.append(measure_view(model, "rollout", n, n == min(fitting) and n <= CHECK_MAX_N, rounds, warmups))
        say(f"rollout N={n}: {rows[-1]['seconds']:.3f} s")
    for n in flow_lengths(fitting):
        rows.append(measure_view(model, "flow", n, False, rounds, warmups))
        say(f"flow N={n}: {rows[-1]['seconds']:.3f} s")
    return rows


def render_rollout_flow(rows: list[dict]) -> list[str]:
    """The Markdown lines of the rollout and flow table."""
    if not rows:
        return []
    lines = [
        "",
        "Rollout and flow (models.analysis on a run, maps recomputed inside), medians in seconds",
        "",
        "| view | N | seconds | budget |",
        "|---|---|---|---|",
    ]
    for row in rows:
        budget = "—" if row["budget_s"] is None else f"≤ {row['budget_s']:g}"
        lines.append(f"| {row['view']} | {row['n']} | {row['seconds']:.3f} | {budget} |")
    return lines
