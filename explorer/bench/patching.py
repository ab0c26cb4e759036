"""`python main.py bench --patching`: activation patching, attribution patching and integrated gradients against
the forward pass they are built from, on the IOI pair at N = 16 tokens (issue 25's budgets).

- the head sweep (every head of every layer, one patched run each, restarted at its layer and batched per layer)
  against as many full forward passes as it has heads: at most 0.35×;
- attribution patching of every head (one forward, one backward) against one forward pass: at most 3×;
- integrated gradients with 64 steps against one forward pass: at most 40×.

The forward pass is Model.forward under inference_mode with logits="last", the fastest the engine has; the full
forward passes of the baseline are run, not extrapolated. Each figure is the median of `rounds` runs.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable

from explorer.bench.machine import machine

CLEAN = "Then, when Mary and John went to the store, John gave a drink to"  # 16 tokens on SmolLM2
CORRUPT = "Then, when Mary and John went to the store, Mary gave a drink to"
ANSWER, WRONG = " Mary", " John"
BUDGETS = {"head_sweep": 0.35, "attribution_patching": 3.0, "integrated_gradients": 40.0}
IG_STEPS = 64


def _median_seconds(function: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run_patching_bench(model_name: str, device: str, rounds: int, say: Callable[[str], None]) -> dict:
    import torch

    import models
    from models.analysis import attribution_patching, patching, token_attribution

    model = models.load(model_name, device=device)
    say(f"patching bench: {model.name} on {device}")
    setup = patching.prepare(model, CLEAN, CORRUPT, ANSWER, WRONG)
    n, cells = setup.n_tokens, setup.n_layers * setup.n_heads
    ids = torch.tensor([setup.ids_corrupt], device=model.device)

    def forward():
        with torch.inference_mode():
            return model.forward(ids, logits="last")

    def full_forwards():
        for _ in range(cells):
            forward()

    for _ in range(3):
        forward()  # warm-up: first calls allocate
    forward_s = statistics.median(_median_seconds(forward, 1) for _ in range(max(5, rounds * 5)))
    say(f"one forward pass: {1000 * forward_s:.1f} ms; {cells} of them next")
    forwards_s = _median_seconds(full_forwards, rounds)
    sweep = patching.sweep(setup, "heads")  # warm-up, and the result reported
    sweep_s = _median_seconds(lambda: patching.sweep(setup, "heads"), rounds)
    say(f"head sweep: {sweep_s:.2f} s against {forwards_s:.2f} s of {cells} forward passes")
    approx = attribution_patching.approximate(setup, "heads")
    approx_s = _median_seconds(lambda: attribution_patching.approximate(setup, "heads"), rounds)
    agreement = attribution_patching.agreement(sweep, approx)
    ig = token_attribution.attribute(model, CLEAN, ANSWER, "ig", IG_STEPS)
    ig_s = _median_seconds(lambda: token_attribution.attribute(model, CLEAN, ANSWER, "ig", IG_STEPS), rounds)
    say(f"attribution patching {1000 * approx_s:.0f} ms, integrated gradients {ig_s:.2f} s")
    ratios = {
        "head_sweep": sweep_s / forwards_s,
        "attribution_patching": approx_s / forward_s,
        "integrated_gradients": ig_s / forward_s,
    }
    return {
        "model": model.name,
        "device": device,
        "n_tokens": n,
        "heads": cells,
        "forward_ms": 1000 * forward_s,
        "full_forwards_s": forwards_s,
        "head_sweep_s": sweep_s,
        "attribution_patching_ms": 1000 * approx_s,
        "integrated_gradients_s": ig_s,
        "ratios": ratios,
        "budgets": BUDGETS,
        "passed": all(ratios[name] <= BUDGETS[name] for name in BUDGETS),
        "top_heads": [{"layer": layer, "head": head, "restored": value} for layer, head, value in sweep.ranked(5)],
        "agreement_correlation": agreement.correlation,
        "ig_completeness_error": ig.completeness_error,
    }


def render(report: dict, as_json: bool) -> str:
    info = machine()
    if as_json:
        return json.dumps({"machine": info, **report}, indent=2)
    ratios, budgets = report["ratios"], report["budgets"]

    def verdict(name: str) -> str:
        return "ok" if ratios[name] <= budgets[name] else "OVER BUDGET"

    top = ", ".join(f"L{h['layer']}H{h['head']} {h['restored']:+.2f}" for h in report["top_heads"])
    lines = [
        f"{report['model']} on {info['cpu']} ({info['cores']} cores, {info['torch_threads']} torch threads), "
        f"device {report['device']}, IOI pair at N = {report['n_tokens']}",
        "| measure | time | against | ratio | budget | |",
        "|---|---|---|---|---|---|",
        f"| head sweep ({report['heads']} heads) | {report['head_sweep_s']:.2f} s | {report['heads']} forward passes "
        f"{report['full_forwards_s']:.2f} s | {ratios['head_sweep']:.3f}× | ≤ {budgets['head_sweep']}× "
        f"| {verdict('head_sweep')} |",
        f"| attribution patching (heads) | {report['attribution_patching_ms']:.1f} ms | one forward pass "
        f"{report['forward_ms']:.1f} ms | {ratios['attribution_patching']:.2f}× | ≤ {budgets['attribution_patching']}× "
        f"| {verdict('attribution_patching')} |",
        f"| integrated gradients ({IG_STEPS} steps) | {report['integrated_gradients_s']:.2f} s | one forward pass "
        f"{report['forward_ms']:.1f} ms | {ratios['integrated_gradients']:.1f}× | ≤ {budgets['integrated_gradients']}× "
        f"| {verdict('integrated_gradients')} |",
        f"IOI heads restoring most: {top}",
        f"attribution patching vs exact: r = {report['agreement_correlation']:.3f}; "
        f"IG completeness error {100 * report['ig_completeness_error']:.2f} %",
    ]
    return "\n".join(lines)
