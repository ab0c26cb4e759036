"""What KV grouping costs: MHA, GQA and MQA compared for accuracy, time per step, parameters and KV-cache bytes.

For the lab's tiny GPT the rows come from training each grouping (cost_table) or, before training, from the
model's size alone (grouping_costs). model_kv_costs gives the same cache figures for a real model's shape.
"""

from __future__ import annotations

import numpy as np

from models.lab.seq2seq.settings import LabSettings

FLOAT32_BYTES = 4


def grouping_name(heads: int, kv_heads: int) -> str:
    """ "MHA" when every query head has its own K and V, "MQA" when all share one, "GQA" between."""
    if kv_heads == heads:
        return "MHA"
    return "MQA" if kv_heads == 1 else "GQA"


def kv_cache_bytes_per_token(layers: int, kv_heads: int, d_head: int, bytes_per_value: int) -> int:
    """K and V of one token in every layer: 2 · layers · kv_heads · d_head · bytes."""
    return 2 * layers * kv_heads * d_head * bytes_per_value


def grouping_kv_heads(heads: int, own: int | None = None) -> list[int]:
    """KV head counts to compare: heads (MHA), one GQA count (own if it is one, else the middle divisor), 1 (MQA)."""
    middle = [d for d in range(2, heads) if heads % d == 0]
    if own is not None and 1 < own < heads:
        gqa = [own]
    else:
        gqa = [middle[(len(middle) - 1) // 2]] if middle else []
    return sorted({heads, *gqa, 1}, reverse=True)


def grouping_settings(base: LabSettings) -> list[LabSettings]:
    """The GPT under MHA, GQA and MQA (GQA left out when heads has no divisor between 1 and itself)."""
    base = base.replace(system="gpt").check()
    return [base.replace(kv_heads=kv) for kv in grouping_kv_heads(base.heads, base.kv_heads)]


def _row(settings: LabSettings, parameters: int, accuracy=None, seconds_per_step=None) -> dict:
    d_head = settings.d_model // settings.heads
    return {
        "grouping": grouping_name(settings.heads, settings.groups),
        "kv_heads": settings.groups,
        "accuracy": accuracy,
        "seconds_per_step": seconds_per_step,
        "parameters": parameters,
        "kv_cache_bytes_per_token": kv_cache_bytes_per_token(settings.layers, settings.groups, d_head, FLOAT32_BYTES),
    }


def grouping_costs(base: LabSettings) -> list[dict]:
    """Rows for MHA/GQA/MQA before any training: parameters and KV bytes; accuracy and time are None."""
    from models.lab.seq2seq.trainer import Trainer

    return [_row(s, Trainer(s).parameters) for s in grouping_settings(base)]


def step_times(seconds) -> dict:
    """The time per step of one run from its steps' durations (seconds, one per step): the median, and the spread
    as the 25th and 75th percentiles, so one slow moment (another process on the core) does not move the figure."""
    times = np.asarray(seconds, dtype=np.float64)
    if times.ndim != 1 or times.size == 0 or not np.all(np.isfinite(times)) or np.any(times < 0):
        raise ValueError("seconds: expected one finite, non-negative duration per step")
    low, high = np.percentile(times, [25, 75])
    return {"seconds_per_step": float(np.median(times)), "seconds_per_step_spread": [float(low), float(high)],
            "timed_steps": int(times.size)}  # fmt: skip


def cost_row(trainer, accuracy: float | None = None, step_seconds=None) -> dict:
    """The row of a trained GPT Trainer: held-out accuracy (evaluated unless given) and its time per step: the
    median and spread of step_seconds (each step's duration) when given, else the mean over its steps."""
    if accuracy is None:
        accuracy = trainer.evaluate().accuracy
    if step_seconds is not None:
        return {**_row(trainer.settings, trainer.parameters, accuracy), **step_times(step_seconds)}
    seconds = trainer.seconds / trainer.step if trainer.step else None
    return _row(trainer.settings, trainer.parameters, accuracy, seconds)


def train_groupings(settings: LabSettings | list[LabSettings], steps: int | None = None):
    """A generator: train each settings (a list, or one base expanded by grouping_settings) for steps (default
    its own), yielding (done, total, index, count) after every step; it returns their cost_rows, each with the
    median time per step and its spread. The runs train in turn, one step each, so a busy moment of the machine
    slows every grouping alike rather than the one that happened to be training (one after the other, GQA once
    measured slower than MHA). On the lab's one thread (models/lab/threads.py) while the generator runs. The
    GUI's job reports progress from it; cost_table runs it to the end."""
    from models.lab.seq2seq.trainer import Trainer
    from models.lab.threads import training_threads

    runs = grouping_settings(settings) if isinstance(settings, LabSettings) else list(settings)
    trainers = [Trainer(s.replace(snapshot_every=10**7)) for s in runs]
    counts = [s.steps if steps is None else steps for s in runs]
    durations: list[list[float]] = [[] for _ in runs]
    total, done = sum(counts), 0
    with training_threads(max(t.parameters for t in trainers)):
        trainings = [trainer.train(count) for trainer, count in zip(trainers, counts)]
        while done < total:
            for index, (trainer, training) in enumerate(zip(trainers, trainings)):
                if trainer.step >= counts[index]:
                    continue
                before = trainer.seconds
                next(training)  # one TrainStep (no evaluation: snapshot_every is out of reach)
                durations[index].append(trainer.seconds - before)
                done += 1
                yield done, total, index, len(runs)
        return [cost_row(t, step_seconds=d) if d else cost_row(t) for t, d in zip(trainers, durations)]


def cost_table(settings: LabSettings | list[LabSettings], steps: int | None = None) -> list[dict]:
    """train_groupings run to the end (blocking): one cost_row per grouping."""
    training = train_groupings(settings, steps)
    while True:
        try:
            next(training)
        except StopIteration as finished:
            return finished.value


def model_kv_costs(
    n_layers: int,
    n_heads: int,
    kv_heads: int,
    d_head: int,
    bytes_per_value: int,
    context: int,
    d_model: int | None = None,
) -> list[dict]:
    """A real model's KV cache under MHA, GQA and MQA at a context length: rows {"grouping", "kv_heads", "model"
    (the model's own grouping), "kv_cache_bytes_per_token", "kv_cache_bytes" (at context), "kv_parameters" (K and V
    projection weights, given d_model; else None)}. ValueError naming the argument for bad sizes."""
    for name, value in (("n_layers", n_layers), ("n_heads", n_heads), ("kv_heads", kv_heads), ("d_head", d_head),
                        ("bytes_per_value", bytes_per_value), ("context", context)):  # fmt: skip
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name}: {value!r} must be a positive integer")
    if n_heads % kv_heads:
        raise ValueError(f"kv_heads: {kv_heads} does not divide n_heads={n_heads}")
    rows = []
    for kv in grouping_kv_heads(n_heads, kv_heads):
        per_token = kv_cache_bytes_per_token(n_layers, kv, d_head, bytes_per_value)
        rows.append({
            "grouping": grouping_name(n_heads, kv),
            "kv_heads": kv,
            "model": kv == kv_heads,
            "kv_cache_bytes_per_token": per_token,
            "kv_cache_bytes": per_token * context,
            "kv_parameters": None if d_model is None else 2 * n_layers * d_model * kv * d_head,
        })  # fmt: skip
    return rows
