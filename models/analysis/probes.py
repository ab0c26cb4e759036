"""Probe texts that make a behaviour visible: random ordinary tokens repeated twice, the standard induction probe.

The engine runs text, and a user should see in the text box exactly what was run, so a probe is text whose
tokens are known: each token is a word (a leading space and ASCII letters) that tokenizes alone to itself, and
the whole text must tokenize back to exactly the drawn ids, or it is drawn again from the same generator.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from models.analysis.arguments import check_model
from models.checks import short_repr

MARGIN = 8  # room left in the context for the special tokens a model adds around a text ([CLS] … [SEP])
MIN_WORD = 2  # one-letter words are few and often merge with their neighbours' pieces
ATTEMPTS = 20  # whole texts drawn before giving up; with word-level pre-tokenizers the first one always works


@dataclass(frozen=True)
class Probe:
    """A probe text and the ids it tokenizes to, without the special tokens the model adds around it."""

    text: str
    ids: list[int]  # 2·length ids: the random tokens, then the same tokens again
    length: int  # T, the number of random tokens
    seed: int
    name: str = "repeated-random"


def max_length(model) -> int:
    """The longest T whose 2·T tokens (and the model's special tokens) fit in the model's context."""
    return max(1, model.config.n_ctx // 2 - MARGIN)


def repeated_random(model, length: int = 50, seed: int = 0) -> Probe:
    """T random ordinary tokens (no special tokens), then the same T again: induction heads copy the second half.

    The same model, length and seed give the same probe. length: 1..max_length(model); seed: an integer >= 0.
    """
    limit = max_length(check_model("model", model))
    if isinstance(length, bool) or not isinstance(length, numbers.Integral) or not 1 <= length <= limit:
        raise ValueError(
            f"length: {short_repr(length)} is not allowed; allowed: an integer in 1..{limit} for {model.name}"
        )
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed: {short_repr(seed)} is not allowed; allowed: an integer >= 0")
    backend = model.tokenizer.backend
    rng = np.random.default_rng(int(seed))
    for _ in range(ATTEMPTS):
        ids, words = draw_words(model.tokenizer, rng, int(length))
        text = "".join(f" {word}" for word in words) * 2
        if backend.encode(text, add_special_tokens=False).ids == ids * 2:
            return Probe(text=text, ids=ids * 2, length=int(length), seed=int(seed))
    raise ValueError(f"length: no text of {length} words from {model.name}'s vocabulary tokenizes back to itself")


def draw_words(tokenizer, rng: np.random.Generator, length: int) -> tuple[list[int], list[str]]:
    """length distinct vocabulary entries that are a space and letters and tokenize alone to themselves.

    Distinct, so that the first half holds no repeat and every prefix match is the probe's own.
    """
    backend = tokenizer.backend
    ids: list[int] = []
    words: list[str] = []
    for token_id in rng.permutation(tokenizer.vocab_size):
        token_id = int(token_id)
        if tokenizer.is_special(token_id):
            continue
        word = backend.decode([token_id]).strip()
        if len(word) < MIN_WORD or not (word.isascii() and word.isalpha()):
            continue
        if backend.encode(f" {word}", add_special_tokens=False).ids != [token_id]:
            continue
        ids.append(token_id)
        words.append(word)
        if len(ids) == length:
            return ids, words
    raise ValueError(f"length: {length} is more than the vocabulary's {len(ids)} ordinary words")
