"""The lab's synthetic tasks (copy, reverse, sort; dates in dates.py), generated on the fly from a seed.

Every example carries its correct alignment: for each output position, the source positions that hold the
answer. Held-out examples are drawn once from their own stream, and training batches never contain one of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

SPECIALS = ("<pad>", "<bos>", "<eos>", "<sep>")
PAD, BOS, EOS, SEP = range(4)
LETTERS = "abcdefghijklmnopqrstuvwxyz"
HELDOUT_SIZE = 256
_SPLIT = re.compile(r"[\s,]+")


@dataclass(frozen=True)
class Example:
    source: tuple[str, ...]  # S tokens
    target: tuple[str, ...]  # T tokens (no <eos>)
    # bool [T, S]: True where source position s holds the answer for output position t; a row of False has no
    # source position (a date's "-"), and is left out of the alignment score.
    alignment: np.ndarray
    key: object  # what makes two examples the same (held-out ones never appear in training)


class Task:
    """A task over source and target symbols; its vocabulary is SPECIALS + symbols (one table for both sides)."""

    name = ""
    symbols: tuple[str, ...] = ()
    max_source = 0
    max_target = 0

    @property
    def vocabulary(self) -> tuple[str, ...]:
        return SPECIALS + self.symbols

    def sample(self, rng: np.random.Generator) -> Example:
        raise NotImplementedError

    def parse(self, text: str) -> Example:
        """The example for typed source text; ValueError naming `source` when the task cannot read it."""
        raise NotImplementedError

    def join(self, tokens) -> str:
        """Tokens as text a user would type back."""
        return " ".join(tokens)


class SequenceTask(Task):
    """copy, reverse or sort over `vocab` letters; difficulty sets how much the lengths vary."""

    def __init__(self, name: str, length: int, vocab: int, difficulty: int):
        self.name, self.length, self.difficulty = name, length, difficulty
        self.symbols = tuple(LETTERS[:vocab])
        self.max_source = self.max_target = length
        self.shortest = {1: length, 2: max(1, (length + 1) // 2), 3: 1}[difficulty]

    def sample(self, rng: np.random.Generator) -> Example:
        n = int(rng.integers(self.shortest, self.length + 1))
        return self.solve(tuple(self.symbols[i] for i in rng.integers(0, len(self.symbols), n)))

    def solve(self, source: tuple[str, ...]) -> Example:
        n = len(source)
        alignment = np.zeros((n, n), dtype=bool)
        if self.name == "copy":
            target = source
            alignment[np.arange(n), np.arange(n)] = True  # diagonal
        elif self.name == "reverse":
            target = source[::-1]
            alignment[np.arange(n), n - 1 - np.arange(n)] = True  # anti-diagonal
        else:
            target = tuple(sorted(source))
            # A permutation; a repeated symbol may come from any source position that holds it.
            alignment = np.array([[s == t for s in source] for t in target], dtype=bool).reshape(n, n)
        return Example(source, target, alignment, source)

    def parse(self, text: str) -> Example:
        if not isinstance(text, str) or not text.strip():
            raise ValueError("source: type some symbols, e.g. " + " ".join(self.symbols[:4]))
        stripped = text.strip()
        tokens = _SPLIT.split(stripped) if _SPLIT.search(stripped) else list(stripped)
        unknown = [t for t in tokens if t not in self.symbols]
        if unknown:
            raise ValueError(f"source: {unknown[0]!r} is not a symbol of this task ({', '.join(self.symbols)})")
        if len(tokens) > self.length:
            raise ValueError(f"source: {len(tokens)} symbols, the model was trained on at most {self.length}")
        return self.solve(tuple(tokens))


class TaskData:
    """Training batches and the held-out set of one task and seed, kept apart by example key."""

    def __init__(self, task: Task, seed: int, heldout_size: int = HELDOUT_SIZE):
        self.task = task
        held_rng = np.random.default_rng([seed, 1])  # its own stream: training never shifts the held-out set
        self.heldout: list[Example] = []
        keys: set = set()
        for _ in range(heldout_size * 20):
            if len(self.heldout) == heldout_size:
                break
            example = task.sample(held_rng)
            if example.key not in keys:
                keys.add(example.key)
                self.heldout.append(example)
        self.heldout_keys = keys
        self.rng = np.random.default_rng([seed, 0])

    def batch(self, size: int) -> list[Example]:
        """size fresh training examples, none of them held out (tiny spaces may repeat training examples)."""
        out: list[Example] = []
        while len(out) < size:
            example = self.task.sample(self.rng)
            if example.key not in self.heldout_keys or len(self.heldout_keys) * 2 > _space(self.task):
                out.append(example)
        return out


def _space(task: Task) -> float:
    """How many distinct examples the task has (an upper bound, for tiny settings)."""
    if isinstance(task, SequenceTask):
        return float(sum(len(task.symbols) ** n for n in range(task.shortest, task.length + 1)))
    return float("inf")
