"""`python main.py bench`: our engine against transformers (eager, output_attentions=True), in one process.

Both sides get the same weights and the same token ids. Before anything is timed, transformers' attentions
must match ours within 1e-4 on every layer and head. Rounds alternate which side goes first; medians are
reported. Peak memory is measured in a fresh subprocess per configuration (memory.py), so one side's
allocations never inflate the other's figure.
"""

from __future__ import annotations

import gc
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

import models
from explorer.bench.flops import floor_ms
from explorer.bench.gemm import model_gemm_gflops, square_peak_gflops
from explorer.bench.memory import peak_rss
from explorer.bench.reference import check_parity, load_reference, require_transformers, time_hf
from explorer.bench.report import BenchResult
from explorer.bench.timing import time_append, time_ours, time_switches

HF_ATTENTION_BUDGET_BYTES = 8 * 1024**3  # transformers keeps L·H·N² floats; beyond this it is skipped
PASSAGE = (
    "Attention lets every token decide which other tokens matter. In a causal language model a token may "
    "only look back, so the map is a lower triangle; grouped-query attention lets several query heads "
    "share one key and value head, which saves memory at long context. Section {i} of the benchmark text "
    "repeats this idea with small changes, number {i}, so the tokens are not all identical.\n"
)

Say = Callable[[str], None]


@dataclass
class Rounds:
    """What each timed round (warm-ups excluded) measured at one length; the report takes their medians."""

    ours_ms: list[float] = field(default_factory=list)
    forward_ms: list[float] = field(default_factory=list)
    hf_ms: list[float] = field(default_factory=list)  # empty when transformers is not timed at this length
    gemm_gflops: list[float] = field(default_factory=list)  # sustained, at the model's GEMM shape
    best_call_gflops: list[float] = field(default_factory=list)
    peak_gflops: list[float] = field(default_factory=list)  # square GEMM


def bench_ids(model: models.Model, n: int) -> list[int]:
    """n token ids of a fixed English passage, the same for every run of the benchmark."""
    ids: list[int] = []
    i = 0
    while len(ids) < n:
        ids += model.tokenizer.backend.encode(PASSAGE.format(i=i)).ids
        i += 1
    return ids[:n]


def benchmark(
    model_name: str, lengths: list[int], device: str, rounds: int, warmups: int, say: Say
) -> list[BenchResult]:
    require_transformers()
    model = models.load(model_name, device=device)
    say(f"loading transformers' reference for {model.name}…")
    reference = load_reference(model, device)  # the same files as ours: a local folder never goes to the Hub
    results = []
    for n in lengths:
        if n > model.config.n_ctx:
            say(f"N={n}: skipped, {model.name} holds {model.config.n_ctx} tokens")
            continue
        results.append(measure_length(model, reference, n, device, rounds, warmups, say))
    return results


def measure_length(
    model: models.Model, reference, n: int, device: str, rounds: int, warmups: int, say: Say
) -> BenchResult:
    """Every figure of the report at one length: parity first, then timings, switches, append and memory."""
    config = model.config
    ids = bench_ids(model, n)
    hf_bytes = config.n_layers * config.n_heads * n * n * 4
    with_hf = hf_bytes <= HF_ATTENTION_BUDGET_BYTES
    parity = None
    if with_hf:
        say(f"N={n}: checking parity with transformers…")
        parity = check_parity(model, reference, ids)
    else:
        say(f"N={n}: transformers would hold {hf_bytes / 1024**3:.0f} GB of attentions; timing ours only")
    measured, run = timed_rounds(model, reference if with_hf else None, ids, rounds, warmups, say)
    switch_ms, paint_ms = time_switches(run, config.n_layers, config.n_heads)
    retained = run.retained_bytes
    del run  # the append rounds below must not share memory with it
    append_ms = time_append(model, ids, rounds)
    say(f"N={n}: measuring peak memory in subprocesses…")
    # The probes are given the files, not the name: a local folder's name means nothing to a fresh process.
    ours_rss = peak_rss(model.source.path, ids, device, "ours")
    hf_rss = peak_rss(model.source.path, ids, device, "hf") if with_hf else None
    return summarize(
        config,
        n,
        measured,
        switch_ms=switch_ms,
        paint_ms=paint_ms,
        retained_bytes=retained,
        ours_rss=ours_rss,
        hf_rss=hf_rss,
        append_ms=append_ms,
        parity=parity,
    )


def timed_rounds(
    model: models.Model, reference, ids: list[int], rounds: int, warmups: int, say: Say
) -> tuple[Rounds, models.Run]:
    """Warm-ups, then timed rounds of both sides (reference None: ours only), alternating which goes first.

    The GEMM rates are measured in every round too, so the floor sees the same state of the shared machine as
    the forward pass it is compared with. Returns the figures and the last run of ours.
    """
    config, n, device = model.config, len(ids), model.device
    layer = config.n_layers // 2
    measured = Rounds()
    run = None
    for round_index in range(warmups + rounds):
        gemm = model_gemm_gflops(config, n, device)
        best_call = model_gemm_gflops(config, n, device, best_call=True)
        peak = square_peak_gflops(device)
        ours_first = round_index % 2 == 0
        hf_ms = None
        if reference is not None and not ours_first:
            hf_ms = time_hf(reference, ids, device)
        run = None  # the previous round's run is freed before this one is timed
        gc.collect()
        ours_ms, forward_ms, run = time_ours(model, ids, layer)
        if reference is not None and ours_first:
            hf_ms = time_hf(reference, ids, device)
        if round_index >= warmups:
            measured.ours_ms.append(ours_ms)
            measured.forward_ms.append(forward_ms)
            measured.gemm_gflops.append(gemm)
            measured.best_call_gflops.append(best_call)
            measured.peak_gflops.append(peak)
            if reference is not None:
                measured.hf_ms.append(hf_ms)
        say(f"N={n}: round {round_index + 1}/{warmups + rounds}" + (" (warm-up)" if round_index < warmups else ""))
    return measured, run


def summarize(
    config: models.TransformerConfig,
    n: int,
    measured: Rounds,
    *,
    switch_ms: float,
    paint_ms: float,
    retained_bytes: int,
    ours_rss: float | None,
    hf_rss: float | None,
    append_ms: float,
    parity: float | None,
) -> BenchResult:
    """Medians over the timed rounds, the floors they imply, and the single measurements, rounded for print."""
    forward = statistics.median(measured.forward_ms)
    floor = floor_ms(config, n, statistics.median(measured.gemm_gflops))
    best_call_floor = floor_ms(config, n, statistics.median(measured.best_call_gflops))
    peak_floor = floor_ms(config, n, statistics.median(measured.peak_gflops))
    ours = statistics.median(measured.ours_ms)
    hf = statistics.median(measured.hf_ms) if measured.hf_ms else None
    return BenchResult(
        n=n,
        ours_ms=round(ours, 2),
        hf_ms=None if hf is None else round(hf, 2),
        ratio=None if hf is None else round(hf / ours, 2),
        switch_ms=round(switch_ms, 2),
        paint_ms=round(paint_ms, 2),
        retained_bytes=retained_bytes,
        peak_rss_mb=None if ours_rss is None else round(ours_rss, 1),
        hf_peak_rss_mb=None if hf_rss is None else round(hf_rss, 1),
        gemm_gflops=round(statistics.median(measured.gemm_gflops), 1),
        floor_ms=round(floor, 2),
        forward_ms=round(forward, 2),
        floor_fraction=round(floor / forward, 3),
        best_call_floor_fraction=round(best_call_floor / forward, 3),
        peak_gemm_gflops=round(statistics.median(measured.peak_gflops), 1),
        peak_floor_fraction=round(peak_floor / forward, 3),
        append_ms=round(append_ms, 2),
        append_fraction=round(append_ms / forward, 3),
        parity_max_abs=parity,
    )
