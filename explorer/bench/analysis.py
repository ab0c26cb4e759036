"""`python main.py bench --analysis`: head scores of every head, ours against transformers' attentions plus numpy.

The usual route is what a researcher writes today: one forward pass of transformers with
output_attentions=True (every map of every layer at once, L·H·N² floats), then the scores in numpy. Ours is
models.analysis.head_scores on a run, which recomputes the maps block by block from the captured Q and K. Both
sides get the same ids in one process; before anything is timed their scores must agree, so the two sides
compute the same thing. Rounds alternate which side goes first; medians are reported, with the budgets.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import time
from collections.abc import Callable

import numpy as np
import torch

import models
from explorer.bench.aggregation import render_rollout_flow, run_rollout_flow_bench
from explorer.bench.generation import render_generation, run_generation_bench
from explorer.bench.machine import machine
from explorer.bench.measure import bench_ids
from explorer.bench.reference import hf_forward, load_reference, require_transformers
from models.analysis import SCORE_NAMES, head_scores

BUDGET_S = {512: 1.0, 2048: 10.0}  # the budgets for all heads of SmolLM2 on the 2-core machine
AGREEMENT = 1e-3  # scores are means of float32 probabilities; 1e-3 absolute is far below any head's contrast

Say = Callable[[str], None]


def seconds(value: float) -> float:
    """A time in seconds to 4 significant figures: a short length's sub-millisecond times stay above 0."""
    return float(f"{value:.4g}")


def numpy_scores(attentions: np.ndarray, ids: list[int], special: list[bool]) -> np.ndarray:
    """(S, H) scores of one layer from transformers' (H, N, N) causal maps of one unpadded sequence, in numpy."""
    n_heads, n, _ = attentions.shape
    ids_array = np.asarray(ids)
    diagonal = np.diagonal(attentions, axis1=1, axis2=2)  # (H, N)
    below = np.diagonal(attentions, offset=-1, axis1=1, axis2=2)  # (H, N−1)
    positions = np.arange(n)
    matches = np.zeros((n, n), dtype=bool)
    matches[:, 1:] = ids_array[None, :-1] == ids_array[:, None]  # ids[k−1] = ids[i]
    matches &= positions[None, :] <= positions[:, None]  # k−1 < i
    qualifying = matches.any(axis=1)
    prefix = (attentions * matches).sum(axis=-1)[:, qualifying]  # (H, Q)
    logs = np.log(np.where(attentions > 0, attentions, 1.0))
    distance = np.abs(positions[:, None] - positions[None, :])
    scores = [
        below.mean(axis=1),
        diagonal.mean(axis=1),
        attentions[:, 1:, 0].mean(axis=1),
        prefix.mean(axis=1) if qualifying.any() else np.full(n_heads, np.nan),
        attentions[:, :, np.asarray(special, dtype=bool)].sum(axis=-1).mean(axis=1),
        -(attentions * logs).sum(axis=-1).mean(axis=1),
        (attentions * distance).sum(axis=-1).mean(axis=1),
    ]
    return np.stack(scores)


def time_ours(model: models.Model, ids: list[int]) -> tuple[float, float, np.ndarray]:
    """Seconds of the forward pass, seconds of head_scores over every head, and the scores (S, L, H)."""
    start = time.perf_counter()
    run = model.run_ids([ids])
    forward = time.perf_counter() - start
    start = time.perf_counter()
    scores = head_scores(run)
    scoring = time.perf_counter() - start
    return forward, scoring, np.stack([scores[name] for name in SCORE_NAMES])


def time_reference(reference, model: models.Model, ids: list[int]) -> tuple[float, float, np.ndarray]:
    """Seconds of transformers' forward with output_attentions=True, seconds of numpy scoring, and the scores."""
    special = [model.tokenizer.is_special(i) for i in ids]
    start = time.perf_counter()
    out = hf_forward(reference, ids, model.device)
    forward = time.perf_counter() - start
    start = time.perf_counter()
    layers = [numpy_scores(attention[0].float().cpu().numpy(), ids, special) for attention in out.attentions]
    scoring = time.perf_counter() - start
    del out
    gc.collect()
    return forward, scoring, np.stack(layers, axis=1)


def check_agreement(ours: np.ndarray, theirs: np.ndarray, n: int) -> float:
    worst = float(np.nanmax(np.abs(ours - theirs) / np.maximum(1.0, np.abs(theirs))))
    if not worst <= AGREEMENT or not np.array_equal(np.isnan(ours), np.isnan(theirs)):
        raise RuntimeError(f"N={n}: our head scores and numpy's on transformers' maps differ (worst {worst:.3g})")
    return worst


def measure(model: models.Model, reference, n: int, rounds: int, warmups: int, say: Say) -> dict:
    ids = bench_ids(model, n)
    ours = {"forward": [], "scores": []}
    theirs = {"forward": [], "scores": []}
    worst = 0.0
    for index in range(warmups + rounds):
        sides = [("ours", ours), ("hf", theirs)] if index % 2 == 0 else [("hf", theirs), ("ours", ours)]
        results = {}
        for name, store in sides:
            forward, scoring, scores = (
                time_ours(model, ids) if name == "ours" else time_reference(reference, model, ids)
            )
            results[name] = scores
            if index >= warmups:
                store["forward"].append(forward)
                store["scores"].append(scoring)
        worst = max(worst, check_agreement(results["ours"], results["hf"], n))
        say(f"N={n}: round {index + 1}/{warmups + rounds}" + (" (warm-up)" if index < warmups else ""))
    median = {
        side: {k: statistics.median(v) for k, v in store.items()} for side, store in (("ours", ours), ("hf", theirs))
    }
    return {
        "n": n,
        "ours_scores_s": seconds(median["ours"]["scores"]),
        "ours_forward_s": seconds(median["ours"]["forward"]),
        "hf_scores_s": seconds(median["hf"]["scores"]),
        "hf_forward_s": seconds(median["hf"]["forward"]),
        "budget_s": BUDGET_S.get(n),
        "worst_difference": worst,
    }


def run_analysis_bench(model_name: str, lengths: list[int], device: str, rounds: int, warmups: int, say: Say) -> dict:
    """Every section of the report by its JSON key: "results" (head scores per length), "generation", ..."""
    require_transformers()
    model = models.load(model_name, device=device)
    say(f"loading transformers' reference for {model.name}…")
    reference = load_reference(model, device)
    results = []
    for n in lengths:
        if n > model.config.n_ctx:
            say(f"N={n}: skipped, {model.name} holds {model.config.n_ctx} tokens")
            continue
        results.append(measure(model, reference, n, rounds, warmups, say))
    return {
        "results": results,
        "generation": run_generation_bench(model, lengths, rounds, say),
        "rollout_flow": run_rollout_flow_bench(model, lengths, rounds, warmups, say),
    }


def render(model: str, report: dict, as_json: bool) -> str:
    results = report["results"]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    about = {**machine(), "torch_threads": torch.get_num_threads(), "load_average_1min": load}
    if as_json:
        return json.dumps({"model": model, "machine": about, **report}, indent=2)
    lines = [
        f"Head scores of every head ({model}): ours (head_scores on a run) against transformers "
        "(output_attentions=True) + numpy, medians in seconds",
        "",
        "| N | ours: scores | budget | ours: forward | transformers: forward | numpy: scores | usual route total |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        budget = "—" if r["budget_s"] is None else f"≤ {r['budget_s']:g}"
        usual = r["hf_forward_s"] + r["hf_scores_s"]
        lines.append(
            f"| {r['n']} | {r['ours_scores_s']:.3f} | {budget} | {r['ours_forward_s']:.3f} | {r['hf_forward_s']:.3f} "
            f"| {r['hf_scores_s']:.3f} | {usual:.3f} |"
        )
    lines += render_generation(report.get("generation", []))
    lines += render_rollout_flow(report.get("rollout_flow", []))
    lines += ["", f"machine: {about}"]
    return "\n".join(lines)
