"""A seeded sentiment task for the attentive classifier: one cue word among distractors decides, `not` flips it.

Each sentence has 6–14 words (settable): neutral distractors and exactly one sentiment cue ("great", "awful", …),
preceded by "not" in about half the sentences. The label is the cue's polarity, flipped by the negation. The cue
positions (the cue word and its "not") are known for every example, so the attention a model puts on them can be
measured. Held-out sentences are drawn from their own seed stream and never appear in training.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.checks import check_seed

POSITIVE = ("good", "great", "excellent", "wonderful", "superb", "brilliant", "lovely", "enjoyable")
NEGATIVE = ("bad", "awful", "terrible", "poor", "boring", "dull", "dreadful", "weak")
NEGATION = "not"
DISTRACTORS = (
    "the", "a", "movie", "film", "plot", "actor", "actress", "story", "was", "is", "really", "quite", "and",
    "but", "with", "scene", "music", "ending", "cast", "director", "script", "we", "i", "saw", "it", "this",
    "that", "on", "friday", "cinema", "long", "very", "seemed", "overall", "camera", "score", "of", "in",
    "dialogue", "visuals", "pace", "sequel", "night", "my", "friends", "honestly", "felt", "its", "so", "too",
)  # fmt: skip
LABELS = ("negative", "positive")
PAD, UNK = "<pad>", "<unk>"


@dataclass(frozen=True)
class Example:
    """words [T]; label 0 negative, 1 positive; cue_positions: indices of the cue word and its negation."""

    words: tuple[str, ...]
    label: int
    cue_positions: tuple[int, ...]


class CueTask:
    """Seeded examples and the vocabulary (id 0 is padding, 1 unknown words typed by a user)."""

    def __init__(self, seed: int = 0, min_length: int = 6, max_length: int = 14, negation: float = 0.5):
        if not isinstance(min_length, int) or not isinstance(max_length, int) or not 3 <= min_length <= max_length:
            raise ValueError(f"length: needs 3 ≤ min_length ≤ max_length, got {min_length!r} and {max_length!r}")
        if not 0.0 <= negation <= 1.0:
            raise ValueError(f"negation: needs a share between 0 and 1, got {negation!r}")
        seed = check_seed("seed", seed)
        self.seed, self.min_length, self.max_length, self.negation = seed, min_length, max_length, negation
        self.vocabulary = [PAD, UNK, NEGATION, *POSITIVE, *NEGATIVE, *DISTRACTORS]
        self.index = {word: i for i, word in enumerate(self.vocabulary)}
        self._train_rng = np.random.default_rng([seed, 0])

    def example(self, rng: np.random.Generator) -> Example:
        length = int(rng.integers(self.min_length, self.max_length + 1))
        words = [DISTRACTORS[i] for i in rng.integers(0, len(DISTRACTORS), size=length)]
        positive = bool(rng.integers(0, 2))
        cue = (POSITIVE if positive else NEGATIVE)[int(rng.integers(0, len(POSITIVE)))]
        negated = bool(rng.random() < self.negation)
        at = int(rng.integers(1 if negated else 0, length))  # room for "not" before the cue
        words[at] = cue
        cues = (at,)
        if negated:
            words[at - 1] = NEGATION
            cues = (at - 1, at)
        return Example(tuple(words), int(positive != negated), cues)

    def heldout(self, n: int) -> list[Example]:
        """n fixed held-out examples (their own seed stream); the same n and seed give the same list."""
        rng = np.random.default_rng([self.seed, 1])
        return [self.example(rng) for _ in range(n)]

    def batch(self, size: int, exclude: set[tuple[str, ...]] | frozenset = frozenset()) -> list[Example]:
        """size fresh training examples; sentences in `exclude` (the held-out set) are drawn again."""
        out: list[Example] = []
        while len(out) < size:
            example = self.example(self._train_rng)
            if example.words not in exclude:
                out.append(example)
        return out

    def encode(self, sentences: list[tuple[str, ...]] | list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """(ids int64 [B, T], mask bool [B, T]) padded on the right to the longest; unknown words get id 1."""
        if not sentences or any(len(s) == 0 for s in sentences):
            raise ValueError("sentence: needs at least one word")
        width = max(len(s) for s in sentences)
        ids = np.zeros((len(sentences), width), dtype=np.int64)
        for row, sentence in enumerate(sentences):
            ids[row, : len(sentence)] = [self.index.get(word.lower(), 1) for word in sentence]
        mask = np.arange(width)[None, :] < np.asarray([len(s) for s in sentences])[:, None]
        return ids, mask
