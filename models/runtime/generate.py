"""Generation step by step: the model writes one token at a time, and each step is a run that reuses the prefix.

    for token, probability, run in model.generate("The capital of France is", 10):
        run.attention(layer, head)[-1]       # the new token's attention over every earlier token

The text is run once; then each step picks the next token from the last run's logits and runs the text with
that token appended, handing the previous run's buffers over (Model.run_ids(reuse=...)). With a causal mask
(every mask of a causal model except `bidirectional`, and `prefix=P` once the text is past P) only the new
token is computed, so a step costs one appended token. Every yielded run stays queryable afterwards, so
`list(model.generate(...))` can be read: a step only appends, so it never rewrites the positions an earlier run
reads (a run reads its own snapshot of the buffers, models/nn/kv_buffer.py).

Decoding: greedy (temperature 0) takes the most probable token, the first of equals, as torch.argmax does.
Sampling draws from softmax(logits / temperature) with a CPU torch.Generator seeded by `seed`, so a seed
gives the same tokens on any device. The probability yielded is the token's probability under the
distribution it was chosen from: softmax(logits) when greedy, softmax(logits / temperature) when sampling.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterator
from typing import NamedTuple

import torch

from models.errors import NumericalError
from models.options import RunOptions, resolve, short_repr
from models.runtime.maps import overflow_cause
from models.runtime.run import Run

# Special tokens that end a text or a turn: generation stops after writing one (only if the tokenizer marks it
# special, so an ordinary piece that happens to read "</s>" does not stop it).
END_TOKENS = frozenset(
    {"</s>", "<|endoftext|>", "<|im_end|>", "<|eot_id|>", "<|end_of_text|>", "<eos>", "<|end|>", "<end_of_turn>"}
)
MAX_SEED = 2**63 - 1


class Step(NamedTuple):
    """One generated token: its label (as the maps' axes show it), its probability, and the run up to it."""

    token: str
    probability: float
    run: Run


def generate(
    model,  # models.Model (not imported: model.py imports this module)
    text: str,
    max_new_tokens: int,
    temperature: float = 0.0,
    seed: int | None = None,
    *,
    options: RunOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
    **keywords,
) -> Iterator[Step]:
    """Yield one Step per new token, up to max_new_tokens, an end-of-text token, or the model's context.

    Run options (mask, kv_heads, pos, rope_theta, ablate, ...) come as keywords or as options=RunOptions(...)
    and apply to every step. `temperature` here is the sampling temperature; the attention variant of the same
    name is RunOptions(temperature=...). progress(layers_done, n_layers) is called inside every run and may
    raise Cancelled. Every argument is checked before anything runs: a ValueError names the one that is wrong.
    """
    if not isinstance(text, str):
        raise ValueError(f"text: {short_repr(text)} is not a string; generate continues one text")
    _check_causal(model)
    ids = model.tokenizer.encode([text]).ids[0]
    if not ids:
        raise ValueError("text: is empty; generation continues a text of at least one token")
    return generate_ids(
        model, ids, max_new_tokens, temperature, seed, options=options, progress=progress, what="text", **keywords
    )


def generate_ids(
    model,
    ids: list[int],
    max_new_tokens: int,
    temperature: float = 0.0,
    seed: int | None = None,
    *,
    options: RunOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
    what: str = "ids",
    **keywords,
) -> Iterator[Step]:
    """generate for token ids already chosen (e.g. the benchmark's): the same steps and the same checks."""
    _check_causal(model)
    vocab = model.config.vocab_size
    if not ids or any(isinstance(i, bool) or not isinstance(i, numbers.Integral) or not 0 <= i < vocab for i in ids):
        raise ValueError(f"ids: {short_repr(ids)} is not a non-empty list of token ids in 0..{vocab - 1}")
    steps = _check_count(max_new_tokens)
    temperature = _check_temperature(temperature)
    seed = _check_seed(seed)
    if options is not None and keywords:
        raise ValueError(f"options: given with keywords ({', '.join(sorted(keywords))}); pass one or the other")
    options = RunOptions.from_dict(keywords) if options is None else options
    resolve(options, model.config)  # the variant checked against this model now, not at the first next()
    room = model.config.n_ctx - len(ids)
    if room < 1:
        raise ValueError(
            f"{what}: its {len(ids)} tokens fill {model.name}'s context of {model.config.n_ctx}; "
            "shorten it to leave room for new tokens"
        )
    generator = None
    if temperature > 0:
        generator = torch.Generator()
        if seed is None:
            generator.seed()  # a fresh random seed: sampling without a seed is not reproducible, as asked
        else:
            generator.manual_seed(seed)
    return _steps(model, [int(i) for i in ids], min(steps, room), temperature, generator, options, progress)


def _check_causal(model) -> None:
    if not model.is_causal_lm:
        raise ValueError(
            f"model: {model.name} is an encoder ({model.config.architecture}); generation needs a causal language model"
        )


def _steps(model, ids, steps, temperature, generator, options, progress) -> Iterator[Step]:
    run = model.run_ids([ids], options=options, progress=progress)
    for _ in range(steps):
        token_id, probability = choose(run, temperature, generator)
        ids = [*ids, token_id]
        run = model.run_ids([ids], options=options, progress=progress, reuse=run)
        yield Step(run.tokens[0][-1], probability, run)
        if model.tokenizer.is_special(token_id) and model.tokenizer.piece(token_id) in END_TOKENS:
            return


def choose(run: Run, temperature: float, generator: torch.Generator | None) -> tuple[int, float]:
    """The next token after a single-sequence run, and its probability: argmax, or a draw at the temperature."""
    logits = torch.from_numpy(run.next_token_logits(0))  # (V,) float32 on the CPU: the same tokens on any device
    if not bool(torch.isfinite(logits).all()):
        raise NumericalError(f"generate: the model's output is not finite; {overflow_cause(run.options)}")
    if generator is None:
        probabilities = torch.softmax(logits, dim=-1)  # (V,)
        token_id = int(torch.argmax(probabilities))
    else:
        scaled = logits / temperature
        if not bool(torch.isfinite(scaled).all()):
            raise ValueError(f"temperature: {temperature:g} is too small for float32 logits; use 0 for greedy")
        probabilities = torch.softmax(scaled, dim=-1)  # (V,)
        token_id = int(torch.multinomial(probabilities, 1, generator=generator))
    return token_id, float(probabilities[token_id])


def _check_count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"max_new_tokens: {short_repr(value)} is not allowed; it must be an integer >= 1")
    return int(value)


def _check_temperature(value: object) -> float:
    if not isinstance(value, bool) and isinstance(value, numbers.Real):
        try:
            number = float(value)
        except (ArithmeticError, ValueError, TypeError):  # an int beyond float's range
            number = math.inf
        if math.isfinite(number) and number >= 0:
            return number
    raise ValueError(
        f"temperature: {short_repr(value)} is not allowed; it must be 0 (greedy) or a finite number > 0 (sampling)"
    )


def _check_seed(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 0 <= value <= MAX_SEED:
        raise ValueError(f"seed: {short_repr(value)} is not allowed; it must be None or an integer 0..{MAX_SEED}")
    return int(value)
