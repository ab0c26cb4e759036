"""The attentive BiLSTM text classifier of Zhou et al. (2016), trained live on the cue-word task.

Model: embeddings → bidirectional LSTM states H [T, 2h] → M = tanh(H), α = softmax(wᵀM) over the words,
r = Hᵀα, h* = tanh(r) → a linear layer to the two labels. α is the attention shown per word; padding is masked.
`cue_attention_mass` is the held-out mean of Σ α over each sentence's cue positions (the cue and its "not").
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

from models.lab.foundations.cue_task import LABELS, CueTask, Example
from models.lab.memory import check_memory

__all__ = ["BiLSTMAttention", "ClassifierEvent", "ClassifierSettings", "ClassifierTrainer", "CueTask", "Example"]


class BiLSTMAttention(nn.Module):
    """Zhou et al. 2016. forward(ids [B, T], mask [B, T] bool) -> (logits [B, 2], attention α [B, T])."""

    def __init__(self, vocab_size: int, embed_dim: int = 32, hidden: int = 32, n_classes: int = 2, dropout=0.0):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.dropout = nn.Dropout(dropout)  # on the embeddings and the LSTM states, as Zhou et al. do
        self.lstm = nn.LSTM(embed_dim, hidden, batch_first=True, bidirectional=True)
        self.w = nn.Linear(2 * hidden, 1, bias=False)  # the attention's query vector w
        self.out = nn.Linear(2 * hidden, n_classes)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        states, _ = self.lstm(self.dropout(self.embed(ids)))
        states = self.dropout(states)  # H: [B, T, 2h]
        scores = self.w(torch.tanh(states)).squeeze(-1)  # wᵀ tanh(H): [B, T]
        alpha = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1)  # [B, T]
        summary = torch.tanh(torch.einsum("bt,bth->bh", alpha, states))  # h* = tanh(Hᵀα): [B, 2h]
        return self.out(summary), alpha


@dataclass
class ClassifierSettings:
    """Everything a training run depends on; the defaults meet the bench budget (≥ 95 %, mass ≥ 0.7)."""

    seed: int = 0
    steps: int = 300
    batch_size: int = 64
    embed_dim: int = 32
    hidden: int = 32
    lr: float = 0.01
    min_length: int = 6
    max_length: int = 14
    negation: float = 0.5
    dropout: float = 0.3
    heldout: int = 500
    eval_every: int = 25

    def check(self) -> None:
        """ValueError naming the first setting out of range."""
        for name in ("steps", "batch_size", "embed_dim", "hidden", "heldout", "eval_every"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < (0 if name == "steps" else 1):
                raise ValueError(f"{name.replace('_', '-')}: needs a whole number ≥ 1, got {value!r}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout: needs a share in [0, 1), got {self.dropout!r}")
        if not np.isfinite(self.lr) or self.lr <= 0:
            raise ValueError(f"lr: needs a finite learning rate > 0, got {self.lr!r}")
        CueTask(self.seed, self.min_length, self.max_length, self.negation)  # checks the task's settings
        # A bidirectional LSTM: 4 gates of `hidden` per direction over the embedding and its own state; each
        # step keeps every gate and state of the longest sentence for the backward pass (~12 floats per unit).
        parameters = 8 * self.hidden * (self.embed_dim + self.hidden + 2) + 64 * self.embed_dim
        sentences = max(self.batch_size, self.heldout)
        working = sentences * self.max_length * (self.embed_dim + 24 * self.hidden) * 4
        what = f"the classifier with hidden {self.hidden} and embed-dim {self.embed_dim} on {sentences} sentences"
        check_memory(parameters * 16 + working, what, "hidden, embed-dim, batch-size or heldout")


@dataclass(frozen=True)
class ClassifierEvent:
    """One training step: its loss and the seconds it took; every eval_every steps (and at the last) also the
    held-out accuracy and cue_attention_mass, else those are None."""

    step: int
    loss: float
    seconds: float
    accuracy: float | None = None
    cue_attention_mass: float | None = None


class ClassifierTrainer:
    """A seeded task, model and Adam optimizer; train() is a generator that can be stopped and resumed."""

    def __init__(self, settings: ClassifierSettings | None = None):
        self.settings = settings or ClassifierSettings()
        self.settings.check()
        s = self.settings
        torch.manual_seed(s.seed)
        self.task = CueTask(s.seed, s.min_length, s.max_length, s.negation)
        self.model = BiLSTMAttention(len(self.task.vocabulary), s.embed_dim, s.hidden, dropout=s.dropout)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=s.lr)
        self.heldout = self.task.heldout(s.heldout)
        self._exclude = frozenset(e.words for e in self.heldout)
        self.step = 0
        self.losses: list[float] = []

    def train(self, steps: int | None = None) -> Iterator[ClassifierEvent]:
        """Run `steps` more steps (default: settings.steps), yielding a ClassifierEvent per step."""
        steps = self.settings.steps if steps is None else steps
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
            raise ValueError(f"steps: needs a whole number ≥ 0, got {steps!r}")
        last = self.step + steps
        for _ in range(steps):
            started = time.perf_counter()
            loss = self._train_step()
            seconds = time.perf_counter() - started
            if self.step % self.settings.eval_every == 0 or self.step == last:
                accuracy, mass = self.evaluate()
                yield ClassifierEvent(self.step, loss, seconds, accuracy, mass)
            else:
                yield ClassifierEvent(self.step, loss, seconds)

    def _train_step(self) -> float:
        self.model.train()
        examples = self.task.batch(self.settings.batch_size, self._exclude)
        ids, mask = self._tensors([e.words for e in examples])
        labels = torch.tensor([e.label for e in examples])
        logits, _ = self.model(ids, mask)
        loss = nn.functional.cross_entropy(logits, labels)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        self.step += 1
        self.losses.append(loss.item())
        return self.losses[-1]

    def _tensors(self, sentences) -> tuple[torch.Tensor, torch.Tensor]:
        ids, mask = self.task.encode(sentences)
        return torch.from_numpy(ids), torch.from_numpy(mask)

    @torch.no_grad()
    def predict(self, sentences) -> tuple[np.ndarray, np.ndarray]:
        """(probabilities float32 [B, 2] for (negative, positive), attention float32 [B, T], 0 on padding)."""
        self.model.eval()
        logits, alpha = self.model(*self._tensors(sentences))
        return torch.softmax(logits, -1).numpy(), alpha.numpy()

    def evaluate(self) -> tuple[float, float]:
        """(held-out accuracy, cue_attention_mass): the share labelled right, and the mean Σ α on cue positions."""
        probs, alpha = self.predict([e.words for e in self.heldout])
        accuracy = float(np.mean(probs.argmax(1) == [e.label for e in self.heldout]))
        mass = np.mean([alpha[i, list(e.cue_positions)].sum() for i, e in enumerate(self.heldout)])
        return accuracy, float(mass)

    def attention(self, sentence: str | list[str]) -> tuple[list[str], np.ndarray]:
        """A typed sentence (split on whitespace, lower-cased; unknown words allowed) -> (words, α float32 [T])."""
        words = sentence.lower().split() if isinstance(sentence, str) else [w.lower() for w in sentence]
        if not words:
            raise ValueError("sentence: type at least one word")
        return words, self.predict([words])[1][0]

    def classify(self, sentence: str | list[str]) -> tuple[str, float]:
        """The predicted label ("negative" or "positive") of a typed sentence and its probability."""
        words, _ = self.attention(sentence)
        probs = self.predict([words])[0][0]
        return LABELS[int(probs.argmax())], float(probs.max())

    def batch_attention(self, k: int = 16) -> tuple[list[list[str]], np.ndarray, list[Example]]:
        """The first k held-out sentences: (words per sentence, α float32 [k, T_max] with 0 past each sentence's
        end, the examples themselves with labels and cue positions)."""
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= len(self.heldout):
            raise ValueError(f"k: needs 1 … {len(self.heldout)} sentences, got {k!r}")
        examples = self.heldout[:k]
        words = [list(e.words) for e in examples]
        return words, self.predict(words)[1], examples

    def settings_dict(self) -> dict:
        return asdict(self.settings)
