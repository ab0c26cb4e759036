"""The labs' memory estimates: what a setting will allocate, checked against the engine's budget before it starts.

Every setting of the labs is checked on its own range, but ranges multiply: d_model 2048 with 12 layers and a
batch of 4096, or 200,000 pooling points (a 298 GiB attention matrix), each inside its range, used to end in a
raw MemoryError after minutes. Here the cost of a setting is estimated from its sizes alone (no allocation) and
refused with a MemoryBudgetError (a ValueError) that names the settings to lower and the budget, which is the
engine's own (models/runtime/budget.py: 80 % of the free memory, or ATTENTION_EXPLORER_MEMORY_BUDGET).
"""

from __future__ import annotations

from models.runtime.budget import MemoryBudgetError, budget_bytes, budget_note, gigabytes

__all__ = ["MemoryBudgetError", "check_memory", "check_values", "training_bytes"]

FLOAT = 8  # numpy's float64, the foundations lab's arrays
TORCH_FLOAT = 4  # the seq2seq lab's float32 tensors
OPTIMIZER_BYTES_PER_PARAMETER = 16  # weights, gradients and AdamW's two moments, float32 each
# Activations kept for the backward pass, per layer and token, in floats: the residual stream, norms, Q, K, V,
# the attention output, the MLP's 4·d hidden and its activation (Korthikanti et al. 2022 count 34·d bytes at 16
# bits, about 17·d floats), plus 3 floats per head and key for the scores, the probabilities and their grads.
ACTIVATION_FLOATS_PER_WIDTH = 17
SCORE_FLOATS_PER_KEY = 3
EVAL_EXAMPLES = 256  # trainer.EVAL_SIZE: held-out examples whose maps an evaluation holds at once


def check_memory(need: int, what: str, lower: str, budget: int | None = None) -> None:
    """MemoryBudgetError unless `need` bytes fit the budget: '{what} needs about X, more than …; lower {lower}'."""
    budget = budget_bytes() if budget is None else budget
    if need > budget:
        raise MemoryBudgetError(
            f"memory: {what} needs about {gigabytes(need)}, more than {budget_note(budget)}; lower {lower}"
        )


def check_values(shape: tuple[int, ...], copies: int, what: str, lower: str, budget: int | None = None) -> None:
    """check_memory for `copies` float64 arrays of `shape` (the working arrays of one computation)."""
    values = 1
    for size in shape:
        values *= int(size)
    check_memory(values * copies * FLOAT, f"{what} ({'×'.join(str(int(s)) for s in shape)} values)", lower, budget)


def training_bytes(settings, parameters: int, vocab: int, n_ctx: int) -> int:
    """Bytes one training step and one evaluation of a seq2seq lab run need: parameters with their optimizer
    state, and the activations of a batch of n_ctx-token sequences (the encoder-decoder's cross-attention
    counts as half a layer more; the GRU has one recurrent layer of gates per direction)."""
    layers = settings.layers * 2.5 if settings.system == "transformer" else settings.layers
    heads = 1 if settings.system == "gru" else settings.heads
    per_token = ACTIVATION_FLOATS_PER_WIDTH * settings.d_model + SCORE_FLOATS_PER_KEY * heads * n_ctx
    logits = 3 * n_ctx * vocab  # per sequence: the logits, their softmax and its gradient
    step = settings.batch_size * n_ctx * (layers * per_token) + settings.batch_size * logits
    # An evaluation keeps no activations for a backward pass, but every layer's maps of its examples.
    evaluation = EVAL_EXAMPLES * (layers * heads * n_ctx * n_ctx + n_ctx * per_token + logits)
    return int(parameters * OPTIMIZER_BYTES_PER_PARAMETER + max(step, evaluation) * TORCH_FLOAT)
