"""The machine's float32 GEMM throughput: the denominator of the benchmark's floor."""

from __future__ import annotations

import time

import torch

from models.nn.config import GATED_MLPS, TransformerConfig
from models.runtime.devices import synchronize

SQUARE_PEAK_SIZE = 2048  # a square GEMM this large is the best case for the machine


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


def model_gemm_gflops(config: TransformerConfig, n: int, device: torch.device, best_call: bool = False) -> float:
    """Throughput at the shape of the model's largest GEMM for n tokens (tokens × d_model by d_model × MLP
    width): what a perfect forward pass of this model could sustain. A square GEMM reaches more, but no
    matrix in this model is square. best_call: the best single call instead of the sustained rate."""
    width = (2 if config.mlp in GATED_MLPS else 1) * config.d_mlp  # gate and up fused (SwiGLU, GeGLU)
    measure = gemm_gflops if best_call else sustained_gemm_gflops
    return measure(device, n, config.d_model, width)


def square_peak_gflops(device: torch.device) -> float:
    size = SQUARE_PEAK_SIZE
    return gemm_gflops(device, size, size, size)
