"""The benchmark's figures for one length, and how they are printed: a Markdown table or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from explorer.bench.machine import machine


@dataclass
class BenchResult:
    n: int
    ours_ms: float  # forward pass + the first map: time to the first heatmap
    hf_ms: float | None  # transformers eager forward with output_attentions=True
    ratio: float | None  # hf_ms / ours_ms
    switch_ms: float  # computing (and encoding) the shown map after a layer/head switch
    paint_ms: float  # pyqtgraph painting that map
    retained_bytes: int  # what our run keeps alive (grows linearly in N)
    peak_rss_mb: float | None  # our process, measured in a subprocess (None if that failed)
    hf_peak_rss_mb: float | None
    gemm_gflops: float  # sustained float32 GEMM throughput at the model's own largest GEMM shape for this N
    floor_ms: float  # model FLOPs / gemm_gflops
    forward_ms: float  # our full forward pass alone
    floor_fraction: float  # floor_ms / forward_ms: 1.0 would be the machine's floor
    best_call_floor_fraction: float  # the same with the best of three single GEMM calls at that shape (stricter)
    peak_gemm_gflops: float  # a 2048×2048 float32 GEMM, the best case for this machine
    peak_floor_fraction: float  # the same fraction against that square-GEMM peak
    append_ms: float  # one token appended to N-1, reusing the cached prefix (encoders: full recompute)
    append_fraction: float  # append_ms / forward_ms
    parity_max_abs: float | None  # worst |Δ| against transformers over every layer and head


def render(model_name: str, device: str, results: list[BenchResult], as_json: bool) -> str:
    """The whole report: JSON with the machine, or a line about the machine and the table."""
    info = machine()
    if as_json:
        return json.dumps({"machine": info, "model": model_name, "results": [asdict(r) for r in results]}, indent=2)
    about = (
        f"{model_name} on {info['cpu']} ({info['cores']} cores, {info['torch_threads']} torch threads, "
        f"torch {info['torch']}), device {device}"
    )
    return about + "\n" + table(results)


def table(results: list[BenchResult]) -> str:
    head = (
        "| N | ours ms | transformers ms | speed-up | switch ms | paint ms | forward ms | floor ms "
        "| floor fraction (sustained / best call) | vs square peak | append 1 token ms | append / forward "
        "| retained MB | peak RSS MB (ours / transformers) | GEMM GFLOP/s (model shape / square) |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    lines += [table_row(r) for r in results]
    return "\n".join(lines)


def table_row(r: BenchResult) -> str:
    hf = "—" if r.hf_ms is None else f"{r.hf_ms:.0f}"
    ratio = "—" if r.ratio is None else f"{r.ratio:.2f}×"
    rss = f"{r.peak_rss_mb} / {'—' if r.hf_peak_rss_mb is None else r.hf_peak_rss_mb}"
    return (
        f"| {r.n} | {r.ours_ms:.0f} | {hf} | {ratio} | {r.switch_ms:.1f} | {r.paint_ms:.1f} | {r.forward_ms:.0f} "
        f"| {r.floor_ms:.0f} | {r.floor_fraction:.2f} / {r.best_call_floor_fraction:.2f} "
        f"| {r.peak_floor_fraction:.2f} | {r.append_ms:.1f} | {r.append_fraction:.1%} "
        f"| {r.retained_bytes / 1024**2:.1f} | {rss} | {r.gemm_gflops:.0f} / {r.peak_gemm_gflops:.0f} |"
    )
