"""`python main.py bench`: our engine against transformers (eager, output_attentions=True), in one process.

Both sides get the same weights and the same token ids. Before anything is timed, transformers' attentions
must match ours within 1e-4 on every layer and head. Rounds alternate which side goes first; medians are
reported. Peak memory is measured in a fresh subprocess per configuration (bench_probe.py), so one side's
allocations never inflate the other's figure.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

import models
from explorer.core.map_pixels import head_map
from models.runtime.devices import synchronize

log = logging.getLogger(__name__)

PARITY_TOLERANCE = 1e-4
HF_ATTENTION_BUDGET_BYTES = 8 * 1024**3  # transformers keeps L·H·N² floats; beyond this it is skipped
PASSAGE = (
    "Attention lets every token decide which other tokens matter. In a causal language model a token may "
    "only look back, so the map is a lower triangle; grouped-query attention lets several query heads "
    "share one key and value head, which saves memory at long context. Section {i} of the benchmark text "
    "repeats this idea with small changes, number {i}, so the tokens are not all identical.\n"
)


@dataclass
class BenchResult:
    n: int
    ours_ms: float  # forward pass + the first map: time to the first heatmap
    hf_ms: float | None  # transformers eager forward with output_attentions=True
    ratio: float | None  # hf_ms / ours_ms
    switch_ms: float  # computing (and encoding) the shown map after a layer/head switch
    paint_ms: float  # pyqtgraph painting that map
    retained_bytes: int  # what our run keeps alive (grows linearly in N)
    peak_rss_mb: float  # our process, measured in a subprocess
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


def require_transformers():
    try:
        import transformers  # noqa: F401
    except ImportError:
        raise ValueError(
            "bench compares against Hugging Face transformers, which is a test-only dependency here; install it "
            "with `.venv/bin/pip install transformers accelerate` (make test installs it too)"
        ) from None


def machine() -> dict:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "python": platform.python_version(),
    }


def bench_ids(model: models.Model, n: int) -> list[int]:
    """n token ids of a fixed English passage, the same for every run of the benchmark."""
    ids: list[int] = []
    i = 0
    while len(ids) < n:
        ids += model.tokenizer.backend.encode(PASSAGE.format(i=i)).ids
        i += 1
    return ids[:n]


def model_flops(config: models.TransformerConfig, n: int) -> float:
    """FLOPs our forward pass must do for one sequence of n tokens: matrix products plus attention."""
    return projection_flops(config, n) + attention_flops(config, n)


def projection_flops(config: models.TransformerConfig, n: int) -> float:
    """FLOPs of the forward pass's matrix products (two per multiply-add).

    Every layer projects Q, K and V for every token (the maps are drawn from them). The output projection and
    the MLP run for every token in all layers but the last; there only the last position's row is computed,
    since its final hidden state is all the LM head reads, and an encoder, having no head, needs none of that
    layer's output. The LM head itself runs for the last position only.
    """
    d, h, kv = config.d_head, config.n_heads, config.n_kv_heads
    mlp_matrices = 3 if config.mlp == "swiglu" else 2
    qkv = config.d_model * (h + 2 * kv) * d  # multiply-adds per token
    after_attention = h * d * config.d_model + mlp_matrices * config.d_model * config.d_mlp
    last_rows = 1 if config.causal else 0
    head = config.d_model * config.vocab_size if config.causal else 0
    per_sequence = (config.n_layers - 1) * n * (qkv + after_attention) + n * qkv + last_rows * after_attention
    return 2 * (per_sequence + head)


def attention_flops(config: models.TransformerConfig, n: int) -> float:
    """FLOPs of QKᵀ and AV over the visible pairs (half the square for a causal model), in every layer but the
    last, where a causal model attends from the last position only and an encoder not at all."""
    per_pair = 2 * 2 * config.d_head * config.n_heads  # two products, two FLOPs per multiply-add
    pairs = n * (n + 1) / 2 if config.causal else n * n
    last_layer_pairs = n if config.causal else 0
    return per_pair * ((config.n_layers - 1) * pairs + last_layer_pairs)


def warm_operands(device: torch.device, m: int, k: int, n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Random (m×k) and (k×n) float32 matrices, multiplied once so the first timed call is not a cold start."""
    a = torch.randn(m, k, device=device)
    b = torch.randn(k, n, device=device)
    a @ b
    return a, b


def gemm_gflops(device: torch.device, m: int, k: int, n: int) -> float:
    """Best of three float32 (m×k)·(k×n) GEMMs, in GFLOP/s: the machine's peak for that shape."""
    a, b = warm_operands(device, m, k, n)
    best = float("inf")
    for _ in range(3):
        synchronize(device)
        start = time.perf_counter()
        a @ b
        synchronize(device)
        best = min(best, time.perf_counter() - start)
    return 2 * m * k * n / best / 1e9


def sustained_gemm_gflops(device: torch.device, m: int, k: int, n: int, seconds: float = 0.05) -> float:
    """Throughput of back-to-back float32 (m×k)·(k×n) GEMMs over at least `seconds` (and 3 calls), in GFLOP/s.

    The forward pass it is compared with is itself a median over rounds of a call lasting 0.1–25 s, so it sees
    the shared machine's ups and downs; a best single call of ~1 ms does not, and would set the floor by the
    quietest millisecond instead of by what the machine sustains.
    """
    a, b = warm_operands(device, m, k, n)
    calls = 0
    synchronize(device)
    start = time.perf_counter()
    while calls < 3 or time.perf_counter() - start < seconds:
        a @ b
        calls += 1
        synchronize(device)
    return 2 * m * k * n * calls / (time.perf_counter() - start) / 1e9


def model_gemm_gflops(config: models.TransformerConfig, n: int, device: torch.device, best_call: bool = False) -> float:
    """Throughput at the shape of the model's largest GEMM for n tokens (tokens × d_model by d_model × MLP
    width): what a perfect forward pass of this model could sustain. A square GEMM reaches more, but no
    matrix in this model is square. best_call: the best single call instead of the sustained rate."""
    width = (2 if config.mlp == "swiglu" else 1) * config.d_mlp
    measure = gemm_gflops if best_call else sustained_gemm_gflops
    return measure(device, n, config.d_model, width)


def load_reference(model_name: str, device: str):
    """transformers' own reading of the same files: the GGUF via its GGUF loader, folders via from_pretrained."""
    from transformers import AutoModel, AutoModelForCausalLM

    entry = next((e for e in models.catalogue() if e.name == model_name), None)
    path = Path(entry.path if entry else model_name)
    causal = entry.architecture != "bert" if entry else True
    factory = AutoModelForCausalLM if causal else AutoModel
    if path.suffix.lower() == ".gguf":
        reference = factory.from_pretrained(path.parent, gguf_file=path.name, attn_implementation="eager")
    else:
        reference = factory.from_pretrained(path, attn_implementation="eager")
    return reference.eval().to(device)


def hf_forward(reference, ids: list[int], device: torch.device):
    with torch.inference_mode():
        out = reference(torch.tensor([ids], device=device), output_attentions=True)
    synchronize(device)
    return out


def check_parity(model: models.Model, reference, ids: list[int]) -> float:
    """Refuse to time anything unless transformers computes the same maps we show."""
    run = model.run_ids([ids])
    out = hf_forward(reference, ids, model.device)
    attentions = out.attentions
    if not attentions or len(attentions) != run.n_layers or attentions[0] is None or attentions[0].numel() == 0:
        raise RuntimeError("transformers returned no attentions: output_attentions needs the eager implementation")
    worst, where = 0.0, None
    for layer, theirs in enumerate(attentions):
        ours = run.layer_attention(layer)  # (H, N, N)
        difference = np.abs(ours - theirs[0].float().cpu().numpy())
        if difference.max() > worst:
            worst = float(difference.max())
            head, row, column = np.unravel_index(difference.argmax(), difference.shape)
            where = (layer, int(head), int(row), int(column), float(ours[head, row, column]))
    if worst > PARITY_TOLERANCE:
        layer, head, row, column, value = where
        raise RuntimeError(
            f"parity failed at N={len(ids)}: worst |Δ| = {worst:.3g} > {PARITY_TOLERANCE} at layer {layer}, "
            f"head {head}, query {row}, key {column} (ours {value:.6g})"
        )
    return worst


def time_ours(model: models.Model, ids: list[int], layer: int) -> tuple[float, float, models.Run]:
    """(ms to the first heatmap, ms of the forward pass alone, the run)."""
    synchronize(model.device)
    start = time.perf_counter()
    run = model.run_ids([ids])
    synchronize(model.device)
    forward = time.perf_counter() - start
    run.attention(layer, 0)
    synchronize(model.device)
    return (time.perf_counter() - start) * 1000, forward * 1000, run


def time_hf(reference, ids: list[int], device: torch.device) -> float:
    start = time.perf_counter()
    out = hf_forward(reference, ids, device)
    elapsed = (time.perf_counter() - start) * 1000
    del out
    gc.collect()
    return elapsed


def time_switches(run: models.Run, n_layers: int, n_heads: int, count: int = 12) -> tuple[float, float]:
    """Median ms to compute+encode the map of a new (layer, head), and to paint it, as the window does."""
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])
    from explorer.gui.widgets.heatmap import HeatmapFigure

    figure = HeatmapFigure()
    figure.resize(1000, 800)
    figure.show()
    app.processEvents()
    tokens = run.tokens[0]
    computes, paints = [], []
    for i in range(count):
        layer, head = (i * 7) % n_layers, (i * 5) % n_heads
        start = time.perf_counter()
        matrix, pixels = head_map(run, layer, head, 0, "linear")
        computes.append(time.perf_counter() - start)
        start = time.perf_counter()
        figure.show_matrix(matrix, pixels, tokens, tokens, f"layer {layer} · head {head}")
        figure.repaint()
        app.processEvents()
        paints.append(time.perf_counter() - start)
    figure.close()
    figure.deleteLater()
    return statistics.median(computes) * 1000, statistics.median(paints) * 1000


def time_append(model: models.Model, ids: list[int], rounds: int) -> float:
    """Median ms to run N tokens when the previous run held the first N-1 (typing one more token)."""
    times = []
    for _ in range(rounds):
        previous = model.run_ids([ids[:-1]])
        synchronize(model.device)
        start = time.perf_counter()
        model.run_ids([ids], reuse=previous)
        synchronize(model.device)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def peak_rss(model_name: str, ids: list[int], device: str, side: str) -> float | None:
    """Peak RSS (MB) of a fresh process that loads the model and does one side's work on these ids."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(ids, handle)
    command = [
        sys.executable,
        "-m",
        "explorer.bench.probe",
        "--model",
        model_name,
        "--ids",
        handle.name,
        "--device",
        device,
        "--side",
        side,
    ]
    root = Path(__file__).resolve().parent.parent
    try:
        result = subprocess.run(command, capture_output=True, text=True, cwd=root, timeout=3600)
    finally:
        os.unlink(handle.name)
    if result.returncode != 0:
        log.warning("peak RSS probe (%s, N=%d) failed: %s", side, len(ids), result.stderr.strip().splitlines()[-1:])
        return None
    return float(json.loads(result.stdout.strip().splitlines()[-1])["peak_rss_mb"])


def benchmark(model_name: str, lengths: list[int], device: str, rounds: int, warmups: int, say) -> list[BenchResult]:
    require_transformers()
    model = models.load(model_name, device=device)
    config = model.config
    say(f"loading transformers' reference for {model.name}…")
    reference = load_reference(model.name, device)
    results = []
    for n in lengths:
        if n > config.n_ctx:
            say(f"N={n}: skipped, {model.name} holds {config.n_ctx} tokens")
            continue
        ids = bench_ids(model, n)
        hf_bytes = config.n_layers * config.n_heads * n * n * 4
        with_hf = hf_bytes <= HF_ATTENTION_BUDGET_BYTES
        layer = config.n_layers // 2
        parity = None
        if with_hf:
            say(f"N={n}: checking parity with transformers…")
            parity = check_parity(model, reference, ids)
        else:
            say(f"N={n}: transformers would hold {hf_bytes / 1024**3:.0f} GB of attentions; timing ours only")
        ours, forwards, hf, gemms, best_calls, peaks = [], [], [], [], [], []
        run = None
        for round_index in range(warmups + rounds):
            gemm = model_gemm_gflops(config, n, model.device)
            best_call = model_gemm_gflops(config, n, model.device, best_call=True)
            peak = gemm_gflops(model.device, 2048, 2048, 2048)
            ours_first = round_index % 2 == 0  # alternate which side runs first
            if with_hf and not ours_first:
                hf_ms = time_hf(reference, ids, model.device)
            run = None
            gc.collect()
            ours_ms, forward_ms, run = time_ours(model, ids, layer)
            if with_hf and ours_first:
                hf_ms = time_hf(reference, ids, model.device)
            if round_index >= warmups:
                ours.append(ours_ms)
                forwards.append(forward_ms)
                gemms.append(gemm)
                best_calls.append(best_call)
                peaks.append(peak)
                if with_hf:
                    hf.append(hf_ms)
            say(f"N={n}: round {round_index + 1}/{warmups + rounds}" + (" (warm-up)" if round_index < warmups else ""))
        switch_ms, paint_ms = time_switches(run, config.n_layers, config.n_heads)
        retained = run.retained_bytes
        run = None
        append_ms = time_append(model, ids, rounds)
        say(f"N={n}: measuring peak memory in subprocesses…")
        ours_rss = peak_rss(model.name, ids, device, "ours")
        hf_rss = peak_rss(model.name, ids, device, "hf") if with_hf else None
        gflops, peak_gflops = statistics.median(gemms), statistics.median(peaks)
        forward = statistics.median(forwards)
        floor = model_flops(config, n) / (gflops * 1e9) * 1000
        peak_floor = model_flops(config, n) / (peak_gflops * 1e9) * 1000
        best_call_floor = model_flops(config, n) / (statistics.median(best_calls) * 1e9) * 1000
        ours_med = statistics.median(ours)
        hf_med = statistics.median(hf) if hf else None
        results.append(
            BenchResult(
                n=n,
                ours_ms=round(ours_med, 2),
                hf_ms=None if hf_med is None else round(hf_med, 2),
                ratio=None if hf_med is None else round(hf_med / ours_med, 2),
                switch_ms=round(switch_ms, 2),
                paint_ms=round(paint_ms, 2),
                retained_bytes=retained,
                peak_rss_mb=None if ours_rss is None else round(ours_rss, 1),
                hf_peak_rss_mb=None if hf_rss is None else round(hf_rss, 1),
                gemm_gflops=round(gflops, 1),
                floor_ms=round(floor, 2),
                forward_ms=round(forward, 2),
                floor_fraction=round(floor / forward, 3),
                best_call_floor_fraction=round(best_call_floor / forward, 3),
                peak_gemm_gflops=round(peak_gflops, 1),
                peak_floor_fraction=round(peak_floor / forward, 3),
                append_ms=round(append_ms, 2),
                append_fraction=round(append_ms / forward, 3),
                parity_max_abs=parity,
            )
        )
    return results


def table(results: list[BenchResult]) -> str:
    head = (
        "| N | ours ms | transformers ms | speed-up | switch ms | paint ms | forward ms | floor ms "
        "| floor fraction (sustained / best call) | vs square peak | append 1 token ms | append / forward | retained MB | peak RSS MB (ours / transformers) "
        "| GEMM GFLOP/s (model shape / square) |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        hf = "—" if r.hf_ms is None else f"{r.hf_ms:.0f}"
        ratio = "—" if r.ratio is None else f"{r.ratio:.2f}×"
        rss = f"{r.peak_rss_mb} / {'—' if r.hf_peak_rss_mb is None else r.hf_peak_rss_mb}"
        lines.append(
            f"| {r.n} | {r.ours_ms:.0f} | {hf} | {ratio} | {r.switch_ms:.1f} | {r.paint_ms:.1f} | {r.forward_ms:.0f} "
            f"| {r.floor_ms:.0f} | {r.floor_fraction:.2f} / {r.best_call_floor_fraction:.2f} | {r.peak_floor_fraction:.2f} | {r.append_ms:.1f} "
            f"| {r.append_fraction:.1%} | {r.retained_bytes / 1024**2:.1f} | {rss} "
            f"| {r.gemm_gflops:.0f} / {r.peak_gemm_gflops:.0f} |"
        )
    return "\n".join(lines)


def run_bench(args: argparse.Namespace) -> int:
    try:
        lengths = [int(part) for part in args.lengths.split(",") if part.strip()]
    except ValueError:
        raise ValueError(f"--lengths: '{args.lengths}' is not a comma list of integers") from None
    if not lengths or min(lengths) < 2:
        raise ValueError(f"--lengths: '{args.lengths}' needs token counts of at least 2")
    if args.rounds < 5 or args.warmups < 2:
        raise ValueError("--rounds must be at least 5 and --warmups at least 2, so medians mean something")

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    results = benchmark(args.model, lengths, args.device, args.rounds, args.warmups, say)
    if args.json:
        report = {"machine": machine(), "model": args.model, "results": [asdict(r) for r in results]}
        print(json.dumps(report, indent=2))
    else:
        info = machine()
        print(
            f"{args.model} on {info['cpu']} ({info['cores']} cores, {info['torch_threads']} torch threads, "
            f"torch {info['torch']}), device {args.device}"
        )
        print(table(results))
    return 0
