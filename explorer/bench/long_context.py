"""`bench` past 2,048 tokens (issue 27 item 4): what a long text costs us, against the budgets.

    python main.py bench --model gemma-3-270m --lengths 512,8192,32768

For each length: our forward pass; its floor fraction (the least arithmetic the pass needs, sliding windows
counted, at the sustained GEMM rate of the model's shape, measured in the same rounds); the time from a head
switch to the pixels of a map 1,600 pixels wide, as the window computes them (block summaries past the screen's
size, explorer.core.summary_pixels), for a local and a global layer when the model has both; the retained MB of
the run; and the peak RSS of a fresh process that runs the text and draws such maps (probe.py). Up to 2,048 tokens
transformers' eager forward with output_attentions is checked for parity and timed beside ours; beyond, its
L·H·N² attentions would not fit, and only our side is timed. Past 2,048 one round is timed (a pass takes
minutes on a small machine): the report says how many rounds each figure is the median of.
"""

from __future__ import annotations

import gc
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import models
from explorer.bench.flops import floor_ms
from explorer.bench.gemm import model_gemm_gflops
from explorer.bench.machine import machine
from explorer.bench.measure import bench_ids
from explorer.bench.memory import peak_rss
from explorer.bench.reference import check_parity, load_reference, time_hf
from explorer.core.map_pixels import head_map
from explorer.core.summary_pixels import needs_summary, summary_map
from models.runtime.devices import synchronize

LONG_FROM = 2048  # past this, transformers is not run and one round is timed
SWITCH_PIXELS = 1600  # the map's side on screen, in pixels
SWITCHES = 3  # head switches timed per layer kind
# The budgets: (figure, length) -> limit. Peak RSS in MB, switch in ms, floor fraction at least.
BUDGETS = {("peak_rss_mb", 32768): 8 * 1024, ("switch_ms", 32768): 2000.0, ("switch_ms", 8192): 300.0}
FLOOR_BUDGET = (2048, 0.67)

Say = Callable[[str], None]


@dataclass
class LongResult:
    n: int
    rounds: int  # timed rounds the forward figures are medians of
    forward_ms: float
    floor_ms: float
    floor_fraction: float
    switch_ms: dict[str, float]  # layer kind ("local 512", "global") -> median ms from a switch to the pixels
    summarised: bool  # whether the map at this length is drawn as block summaries
    retained_mb: float
    peak_rss_mb: float | None
    hf_ms: float | None  # transformers eager with output_attentions (None past LONG_FROM)
    parity_max_abs: float | None
    budgets: dict[str, bool]  # "figure ≤ limit" -> met


def run_long_bench(model_name: str, lengths: list[int], device: str, rounds: int, warmups: int, say: Say):
    model = models.load(model_name, device=device)
    reference = None
    if any(n <= LONG_FROM for n in lengths):
        say(f"loading transformers' reference for {model.name}…")
        reference = load_reference(model, device)
    results = []
    for n in lengths:
        if n > model.config.n_ctx:
            say(f"N={n}: skipped, {model.name} holds {model.config.n_ctx} tokens")
            continue
        results.append(measure_long(model, reference if n <= LONG_FROM else None, n, rounds, warmups, say))
    return model, results


def measure_long(model: models.Model, reference, n: int, rounds: int, warmups: int, say: Say) -> LongResult:
    ids = bench_ids(model, n)
    parity = None
    if reference is not None:
        say(f"N={n}: checking parity with transformers…")
        parity = check_parity(model, reference, ids)
    else:
        say(f"N={n}: past {LONG_FROM} tokens transformers' attentions would not fit; timing ours only")
        rounds, warmups = 1, 0
    forwards, gemms, hfs, run = [], [], [], None
    for index in range(warmups + rounds):
        gemm = model_gemm_gflops(model.config, n, model.device)
        run = None
        gc.collect()
        synchronize(model.device)
        start = time.perf_counter()
        run = model.run_ids([ids])
        synchronize(model.device)
        forward = (time.perf_counter() - start) * 1000
        hf = time_hf(reference, ids, model.device) if reference is not None else None
        if index >= warmups:
            forwards.append(forward)
            gemms.append(gemm)
            if hf is not None:
                hfs.append(hf)
        say(f"N={n}: round {index + 1}/{warmups + rounds}: forward {forward:.0f} ms")
    switch = time_switches(run, say)
    retained = run.retained_bytes
    del run
    gc.collect()
    say(f"N={n}: measuring peak memory in a subprocess…")
    rss = peak_rss(model.source.path, ids, model.device.type, "ours")
    forward = statistics.median(forwards)
    floor = floor_ms(model.config, n, statistics.median(gemms))
    result = LongResult(
        n=n,
        rounds=len(forwards),
        forward_ms=round(forward, 1),
        floor_ms=round(floor, 1),
        floor_fraction=round(floor / forward, 3),
        switch_ms=switch,
        summarised=needs_summary(n, SWITCH_PIXELS),
        retained_mb=round(retained / 1024**2, 1),
        peak_rss_mb=None if rss is None else round(rss, 1),
        hf_ms=round(statistics.median(hfs), 1) if hfs else None,
        parity_max_abs=parity,
        budgets={},
    )
    result.budgets = budgets_met(result)
    return result


def switch_to_pixels(run, layer: int, head: int):
    """What the window computes after a head switch, for a map SWITCH_PIXELS wide: exact or block summaries."""
    if needs_summary(len(run.tokens[0]), SWITCH_PIXELS):
        return summary_map(run, layer, head, 0, "head", "linear", SWITCH_PIXELS, "max")
    return head_map(run, layer, head, 0, "linear")


def time_switches(run, say: Say) -> dict[str, float]:
    """Median ms from a head switch to the pixels, per layer kind (a model without kinds: "all")."""
    kinds = getattr(run, "layer_kinds", None) or ["all"] * run.n_layers
    timings: dict[str, float] = {}
    for kind in dict.fromkeys(kinds):
        layers = [layer for layer, k in enumerate(kinds) if k == kind]
        times = []
        for i in range(SWITCHES):
            layer, head = layers[(i * 5) % len(layers)], (i * 3 + 1) % run.n_heads
            start = time.perf_counter()
            switch_to_pixels(run, layer, head)
            times.append((time.perf_counter() - start) * 1000)
        timings[kind] = round(statistics.median(times), 1)
        say(f"N={len(run.tokens[0])}: head switch in a {kind} layer: {timings[kind]:.0f} ms")
    return timings


def budgets_met(result: LongResult) -> dict[str, bool]:
    met = {}
    for (figure, n), limit in BUDGETS.items():
        if n != result.n:
            continue
        if figure == "switch_ms":
            met[f"switch ≤ {limit:g} ms"] = max(result.switch_ms.values()) <= limit
        elif result.peak_rss_mb is not None:
            met[f"peak RSS ≤ {limit / 1024:g} GB"] = result.peak_rss_mb <= limit
    if result.n == FLOOR_BUDGET[0]:
        met[f"floor fraction ≥ {FLOOR_BUDGET[1]}"] = result.floor_fraction >= FLOOR_BUDGET[1]
    return met


def render_long(model: models.Model, device: str, results: list[LongResult], as_json: bool) -> str:
    info = machine()
    if as_json:
        report = {"machine": info, "model": model.name, "results": [asdict(r) for r in results]}
        return json.dumps(report, indent=2, ensure_ascii=False)
    head = (
        "| N | rounds | forward ms | floor ms | floor fraction | head switch → pixels ms (per layer kind) "
        "| drawn as | retained MB | peak RSS MB | transformers ms | parity | budgets |"
    )
    lines = [
        f"{model.name} on {info['cpu']} ({info['cores']} cores, {info['torch_threads']} torch threads), "
        f"device {device}; maps {SWITCH_PIXELS} px wide",
        head,
        "|" + "---|" * (head.count("|") - 1),
    ]
    for r in results:
        switch = ", ".join(f"{kind}: {ms:.0f}" for kind, ms in r.switch_ms.items())
        drawn = "block summaries" if r.summarised else "cells"
        hf = "—" if r.hf_ms is None else f"{r.hf_ms:.0f}"
        parity = "—" if r.parity_max_abs is None else f"{r.parity_max_abs:.1e}"
        rss = "—" if r.peak_rss_mb is None else f"{r.peak_rss_mb:.0f}"
        budgets = "; ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in r.budgets.items()) or "—"
        lines.append(
            f"| {r.n} | {r.rounds} | {r.forward_ms:.0f} | {r.floor_ms:.0f} | {r.floor_fraction:.2f} | {switch} "
            f"| {drawn} | {r.retained_mb:.0f} | {rss} | {hf} | {parity} | {budgets} |"
        )
    return "\n".join(lines)
