"""What KV grouping costs: MHA, GQA and MQA compared for accuracy, time per step, parameters and KV-cache bytes.

For the lab's tiny GPT the rows come from training each grouping (cost_table) or, before training, from the
model's size alone (grouping_costs). model_kv_costs gives the same cache figures for a real model's shape.
"""

from __future__ import annotations

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


def cost_row(trainer, accuracy: float | None = None) -> dict:
    """The row of a trained GPT Trainer: held-out accuracy (evaluated unless given), mean seconds per step."""
    if accuracy is None:
        accuracy = trainer.evaluate().accuracy
    seconds = trainer.seconds / trainer.step if trainer.step else None
    return _row(trainer.settings, trainer.parameters, accuracy, seconds)


def train_groupings(settings: LabSettings | list[LabSettings], steps: int | None = None):
    """A generator: train each settings (a list, or one base expanded by grouping_settings) for steps (default
    its own), yielding (done, total, index, count) after every step; it returns their cost_rows. The GUI's job
    reports progress from it; cost_table runs it to the end."""
    from models.lab.seq2seq.trainer import Trainer

    runs = grouping_settings(settings) if isinstance(settings, LabSettings) else list(settings)
    total = sum(s.steps if steps is None else steps for s in runs)
    rows, done_before = [], 0
    for index, s in enumerate(runs):
        trainer = Trainer(s.replace(snapshot_every=10**7))
        for _ in trainer.train(steps):
            yield done_before + trainer.step, total, index, len(runs)
        done_before += trainer.step
        rows.append(cost_row(trainer))
    return rows


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
