"""Trainer: a seeded task, model and optimizer; training as a generator of events that the caller can pause.

The same seed and settings give the same losses: the data has its own numpy streams, and torch's random state
(initialisation, dropout) is the trainer's own, swapped in around each step, so other work between steps (or
another trainer) does not disturb it.
"""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch

from models.checks import short_repr
from models.lab.memory import check_memory, training_bytes
from models.lab.seq2seq.alignment import alignment_accuracy
from models.lab.seq2seq.checkpoint import read_checkpoint, save_checkpoint
from models.lab.seq2seq.dates import DatesTask
from models.lab.seq2seq.settings import MAX_STEPS, LabSettings
from models.lab.seq2seq.systems import build_system
from models.lab.seq2seq.tasks import Example, SequenceTask, Task, TaskData

WARMUP_STEPS = 50
FINAL_LR_FRACTION = 0.1  # cosine decay from lr down to this fraction of it at settings.steps, flat after
EVAL_SIZE = 256  # held-out examples scored by evaluate()


@dataclass(frozen=True)
class TrainStep:
    step: int  # steps done, this one included
    loss: float  # this step's training loss (cross-entropy per target token, nats)
    seconds: float  # training time so far (steps only, evaluations excluded), since the trainer was made


@dataclass(frozen=True)
class Evaluation:
    step: int
    accuracy: float  # fraction of held-out examples whose greedy output equals the target exactly
    # {"best_head", "mean"}: see alignment.alignment_accuracy; computed on teacher-forced correct targets.
    alignment_accuracy: dict


@dataclass(frozen=True)
class Snapshot:
    """One example's output and attention. Token lists hold the task's strings (dates show a space as "␣").

    attention by kind, float32 [L, H, rows, cols], rows summing to 1 except the GPT's "cross":
      "encoder" (transformer): [L, H, S, S], source → source.
      "decoder" (transformer): [L, H, T, T], row t makes output[t]; its keys are <bos>, output[0..T-2].
      "cross": [L, H, T, S], output → source (the GRU: L = H = 1). The GPT's is the output→source slice of
        "self" (rows S..S+T-1, columns 0..S-1): its rows sum to the share of attention that reaches the source.
      "self" (gpt): [L, H, N, N] over the tokens source + ["<sep>"] + output (N = S + 1 + T).
    T = len(output) (the model's own output, <eos> not included), S = len(source).
    """

    step: int
    source: list[str]
    target: list[str]  # the correct output
    output: list[str]  # the model's greedy output
    attention: dict
    alignment: np.ndarray  # bool [len(target), S]: the correct source positions of each target position


def make_task(settings: LabSettings) -> Task:
    if settings.task == "dates":
        return DatesTask(settings.difficulty)
    return SequenceTask(settings.task, settings.length, settings.vocab, settings.difficulty)


def check_training_memory(settings: LabSettings, vocab: int, n_ctx: int) -> None:
    """MemoryBudgetError (a ValueError) naming the sizes to lower if training would not fit the memory budget.

    The parameters are counted on a model built on torch's meta device: exact, and nothing is allocated.
    """
    with torch.device("meta"):
        parameters = sum(p.numel() for p in build_system(settings, vocab, n_ctx).model.parameters())
    what = (
        f"training a {settings.system} of d_model {settings.d_model}, {settings.layers} layer(s) and "
        f"{parameters:,} parameters on batches of {settings.batch_size}"
    )
    check_memory(training_bytes(settings, parameters, vocab, n_ctx), what, "d_model, layers or batch_size")


class Trainer:
    """Seeded task + model + optimizer for LabSettings; `step` is the number of steps done so far."""

    def __init__(self, settings: LabSettings):
        if not isinstance(settings, LabSettings):
            raise ValueError(
                f"settings: {short_repr(settings)} is not a LabSettings; pass LabSettings(...), defaults(...) or "
                "LabSettings.from_json(a dict)"
            )
        self.settings = settings.check()
        self.task = make_task(settings)
        n_ctx = self.task.max_source + self.task.max_target + 4
        check_training_memory(settings, len(self.task.vocabulary), n_ctx)
        self.data = TaskData(self.task, settings.seed)
        self.vocabulary = self.task.vocabulary
        self.index = {token: i for i, token in enumerate(self.vocabulary)}
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(settings.seed)
            self.system = build_system(settings, len(self.vocabulary), n_ctx)
            self._rng_state = torch.get_rng_state()
        self.model = self.system.model
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=settings.lr, weight_decay=0.01)
        self.step = 0
        self.losses: list[float] = []
        self.seconds = 0.0
        self.shown = self.data.heldout[0]  # the fixed example of every Snapshot

    @property
    def parameters(self) -> int:
        return sum(p.numel() for p in self.model.parameters())

    def learning_rate(self, step: int) -> float:
        """Linear warm-up, then cosine decay to FINAL_LR_FRACTION·lr at settings.steps."""
        lr, total = self.settings.lr, max(self.settings.steps, WARMUP_STEPS + 1)
        if step < WARMUP_STEPS:
            return lr * (step + 1) / WARMUP_STEPS
        progress = min(1.0, (step - WARMUP_STEPS) / (total - WARMUP_STEPS))
        return lr * (FINAL_LR_FRACTION + (1 - FINAL_LR_FRACTION) * 0.5 * (1 + math.cos(math.pi * progress)))

    def train(self, n_steps: int | None = None) -> Iterator[TrainStep | Evaluation | Snapshot]:
        """Train n_steps more (default: up to settings.steps). Yields a TrainStep every step, and every
        snapshot_every steps an Evaluation then a Snapshot. Stop consuming to pause; call again to resume.

        n_steps is checked here, before the first step: an integer from 0 to MAX_STEPS, or None.
        """
        if n_steps is None:
            return self._train(max(0, self.settings.steps - self.step))
        if isinstance(n_steps, bool) or not isinstance(n_steps, numbers.Integral) or not 0 <= n_steps <= MAX_STEPS:
            raise ValueError(
                f"n_steps: {short_repr(n_steps)} is not allowed; it must be an integer from 0 to {MAX_STEPS}, "
                "or None (up to settings.steps)"
            )
        return self._train(int(n_steps))

    def _train(self, n: int) -> Iterator[TrainStep | Evaluation | Snapshot]:
        for _ in range(n):
            started = time.perf_counter()
            loss = self._one_step()
            self.seconds += time.perf_counter() - started
            yield TrainStep(self.step, loss, self.seconds)
            if self.step % self.settings.snapshot_every == 0:
                yield self.evaluate()
                yield self.snapshot()

    def _one_step(self) -> float:
        batch = self.data.batch(self.settings.batch_size)
        sources, targets = self._ids(batch)
        for group in self.optimizer.param_groups:
            group["lr"] = self.learning_rate(self.step)
        with torch.random.fork_rng(devices=[]):
            torch.set_rng_state(self._rng_state)
            self.model.train()
            loss = self.system.loss(sources, targets)
            if not torch.isfinite(loss):
                raise ValueError(f"lr: training diverged at step {self.step + 1} (loss {loss.item()}); lower lr")
            self.optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
            self.optimizer.step()
            self._rng_state = torch.get_rng_state()
        self.step += 1
        self.losses.append(float(loss.detach()))
        return self.losses[-1]

    def _ids(self, examples: list[Example]) -> tuple[list[list[int]], list[list[int]]]:
        return (
            [[self.index[t] for t in e.source] for e in examples],
            [[self.index[t] for t in e.target] for e in examples],
        )

    def outputs(self, examples: list[Example]) -> list[list[int]]:
        """Greedy outputs (ids, <eos> cut) for examples."""
        self.model.eval()
        return self.system.greedy(self._ids(examples)[0], self.task.max_target + 2)

    def evaluate(self, size: int = EVAL_SIZE) -> Evaluation:
        """Held-out accuracy (greedy, exact sequence) and alignment accuracy on the first `size` held-out examples."""
        examples = self.data.heldout[:size]
        sources, targets = self._ids(examples)
        right = [out == t for out, t in zip(self.outputs(examples), targets)]
        maps = self.system.attention(sources, targets)
        score = alignment_accuracy([m["cross"] for m in maps], [e.alignment for e in examples])
        return Evaluation(self.step, float(np.mean(right)), score)

    def snapshot(self, example: Example | None = None) -> Snapshot:
        """The model's output and attention for example (default: the fixed held-out one)."""
        example = example or self.shown
        output = self.outputs([example])[0]
        source_ids = self._ids([example])[0][0]
        attention = self.system.attention([source_ids], [output])[0]
        words = [self.vocabulary[i] for i in output]
        return Snapshot(self.step, list(example.source), list(example.target), words, attention, example.alignment)

    def translate(self, text: str) -> Snapshot:
        """A Snapshot for typed or picked source text; ValueError naming `source` if the task cannot read it."""
        return self.snapshot(self.task.parse(text))

    def heldout_examples(self, k: int = 10) -> list[str]:
        """The first k held-out sources as text that translate() reads back."""
        return [self.task.join(e.source) for e in self.data.heldout[:k]]

    def save(self, path) -> None:
        """Weights to path (safetensors) and run.json beside it (same stem): settings, task, step, losses."""
        save_checkpoint(self, path)


def load_checkpoint(path) -> Trainer:
    """A Trainer from run.safetensors and its run.json, at the saved step (its optimizer and data stream start afresh).

    ValueError naming `load` for a missing file, a file that is not a lab checkpoint, or weights that do not fit.
    """
    meta, state = read_checkpoint(path)
    trainer = Trainer(LabSettings.from_json(meta.get("settings")))
    task = meta.get("task")
    if not isinstance(task, dict) or task.get("vocabulary") != list(trainer.vocabulary):
        raise ValueError(f"load: {str(path)!r} was saved with another vocabulary for {trainer.task.name}")
    try:
        trainer.model.load_state_dict(state, strict=True)
    except (RuntimeError, TypeError, ValueError) as error:
        raise ValueError(f"load: {str(path)!r} does not hold this run's weights ({error})") from None
    trainer.step = meta.get("step", 0)  # each checked by read_checkpoint
    trainer.losses = [float(x) for x in meta.get("losses", [])]
    trainer.seconds = float(meta.get("seconds", 0.0))
    return trainer
