"""`bench --analysis`, generation: one greedy generation step against one appended token, at the same length N.

The budget (issue 13): at N=512 a generation step costs at most 1.5× the one-token append that
explorer/bench/timing.py times for typing. A step is what model.generate does between two tokens: read the
last run's logits, choose the token, and run the text with it appended, reusing the prefix. Each round starts
a generation N−2 tokens long, takes its first step untimed (the prompt's full run is in it) and times the
second, whose run covers N tokens; the append is timed on the same ids. Rounds alternate which goes first.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import models
from explorer.bench.measure import bench_ids
from explorer.bench.timing import time_append
from models.runtime.devices import synchronize
from models.runtime.generate import generate_ids

BUDGET_RATIO = {512: 1.5}  # the budget: a generation step ≤ 1.5× the one-token append, at N=512
MIN_ROUNDS = 5  # each round is one prompt run and two steps: cheap enough for a median of five

Say = Callable[[str], None]


def time_step(model: models.Model, ids: list[int]) -> float:
    """ms of the generation step whose run covers len(ids) tokens (its prompt: all but the last two ids)."""
    steps = generate_ids(model, ids[:-2], 2)
    next(steps)  # the prompt's full run and the first step: not what is timed
    synchronize(model.device)
    start = time.perf_counter()
    next(steps)
    synchronize(model.device)
    return (time.perf_counter() - start) * 1000


def measure_generation(model: models.Model, n: int, rounds: int, say: Say) -> dict:
    """The median generation step and one-token append at N tokens, their ratio and the budget."""
    ids = bench_ids(model, n)
    steps, appends = [], []
    for index in range(max(rounds, MIN_ROUNDS)):
        if index % 2 == 0:
            steps.append(time_step(model, ids))
            appends.append(time_append(model, ids, 1))
        else:
            appends.append(time_append(model, ids, 1))
            steps.append(time_step(model, ids))
    say(f"N={n}: generation step and append timed {len(steps)} times")
    step, append = statistics.median(steps), statistics.median(appends)
    return {
        "n": n,
        "step_ms": round(step, 2),
        "append_ms": round(append, 2),
        "ratio": round(step / append, 3),
        "budget_ratio": BUDGET_RATIO.get(n),
    }


def run_generation_bench(model: models.Model, lengths: list[int], rounds: int, say: Say) -> list[dict]:
    """One row per length the model's context holds (a causal model only; an encoder writes nothing)."""
    if not model.is_causal_lm:
        say(f"generation: skipped, {model.name} is an encoder")
        return []
    return [measure_generation(model, n, rounds, say) for n in lengths if n <= model.config.n_ctx]


def render_generation(rows: list[dict]) -> list[str]:
    """The Markdown lines of the generation table."""
    if not rows:
        return []
    lines = [
        "",
        "Generation step (greedy, model.generate) against one appended token (timing.py), medians in ms",
        "",
        "| N | generation step | one-token append | ratio | budget |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        budget = "—" if row["budget_ratio"] is None else f"≤ {row['budget_ratio']:g}×"
        lines.append(f"| {row['n']} | {row['step_ms']:.1f} | {row['append_ms']:.1f} | {row['ratio']:.2f}× | {budget} |")
    return lines
