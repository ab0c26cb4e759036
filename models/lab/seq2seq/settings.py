"""LabSettings: every choice of a seq2seq lab run (system, task, sizes, training), checked and saved as JSON."""

from __future__ import annotations

import numbers
from dataclasses import asdict, dataclass, fields, replace

TASKS = ("copy", "reverse", "sort", "dates")
SYSTEMS = ("transformer", "gru", "gpt")
SCORES = ("additive", "dot", "general", "concat")
POSITIONS = ("sinusoidal", "learned")
# Attention kinds a Snapshot may hold: "encoder" (encoder self), "decoder" (decoder causal self) and "cross" for
# the transformer; "cross" for the GRU; "self" and "cross" (its output→input slice of "self") for the GPT.
ATTENTION_KINDS = ("encoder", "decoder", "cross", "self")
KINDS_BY_SYSTEM = {"transformer": ("encoder", "decoder", "cross"), "gru": ("cross",), "gpt": ("self", "cross")}
DIFFICULTIES = (1, 2, 3)
MAX_SYMBOLS = 26  # copy/reverse/sort draw their symbols from the letters a..z
MAX_LENGTH = 64
MAX_STEPS = 10_000_000  # steps of one run, and of one call of Trainer.train


@dataclass(frozen=True)
class LabSettings:
    """One lab run. The defaults are the tuned ones `bench --lab` measures (per system: see DEFAULTS).

    system: transformer (torch.nn.Transformer), gru (GRU seq2seq with attention) or gpt (decoder-only).
    task: copy | reverse | sort | dates.  score: the GRU's attention score (ignored by the other systems).
    layers: encoder and decoder layers each (transformer), blocks (gpt); the GRU always has one layer.
    heads / kv_heads: attention heads; kv_heads (gpt only) None means heads (MHA), 1 MQA, between GQA.
    d_model: width (the GRU's hidden size).  positions: sinusoidal | learned (transformer and gpt).
    length: the longest source sequence (copy/reverse/sort; dates set their own).  vocab: distinct symbols
    (2..26, letters a..z; ignored by dates).  difficulty: 1 fixed length / the three textbook date forms,
    2 lengths from length/2 up / more date forms, 3 lengths from 1 up / every date form.
    steps: training steps of a full run.  snapshot_every: an Evaluation and a Snapshot every this many steps.
    """

    system: str = "transformer"
    task: str = "reverse"
    score: str = "additive"
    layers: int = 2
    heads: int = 4
    kv_heads: int | None = None
    d_model: int = 64
    dropout: float = 0.0
    positions: str = "sinusoidal"
    length: int = 10
    vocab: int = 10
    difficulty: int = 1
    steps: int = 600
    batch_size: int = 64
    lr: float = 3e-3
    seed: int = 0
    snapshot_every: int = 100

    def check(self) -> LabSettings:
        """self if every field is valid, else ValueError naming the field, its value and what is allowed."""
        _choice("system", self.system, SYSTEMS)
        _choice("task", self.task, TASKS)
        _choice("score", self.score, SCORES)
        _choice("positions", self.positions, POSITIONS)
        _choice("difficulty", self.difficulty, DIFFICULTIES)
        for name, low, high in (
            ("layers", 1, 12),
            ("heads", 1, 64),
            ("d_model", 2, 2048),
            ("length", 1, MAX_LENGTH),
            ("vocab", 2, MAX_SYMBOLS),
            ("steps", 0, MAX_STEPS),
            ("batch_size", 1, 4096),
            ("seed", 0, 2**63 - 1),
            ("snapshot_every", 1, 10_000_000),
        ):
            _integer(name, getattr(self, name), low, high)
        if self.d_model % self.heads:
            raise ValueError(f"heads: {self.heads} does not divide d_model={self.d_model}")
        if self.kv_heads is not None:
            _integer("kv_heads", self.kv_heads, 1, 64)
            if self.heads % self.kv_heads:
                raise ValueError(f"kv_heads: {self.kv_heads} does not divide heads={self.heads}")
        _real("dropout", self.dropout, 0.0, 0.9)
        _real("lr", self.lr, 1e-7, 1.0)
        return self

    @property
    def groups(self) -> int:
        """The KV heads actually used: kv_heads, or heads when it is None."""
        return self.heads if self.kv_heads is None else self.kv_heads

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> LabSettings:
        """Settings from to_json()'s dict, checked; unknown keys or a non-dict are a ValueError."""
        if not isinstance(data, dict):
            raise ValueError(f"settings: expected a JSON object, got {type(data).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"settings: unknown field {unknown[0]!r}")
        return cls(**data).check()

    def replace(self, **changes) -> LabSettings:
        return replace(self, **changes)


# Tuned defaults per system (the dataclass defaults are the transformer's): `defaults(system, task)`.
# Tuned on the 2-core machine so that `bench --lab` meets the budgets with room to spare: the transformer
# reached 100 % on reverse by step 300, the GRU 99 % on dates by 200, the GPT 100 % on copy by 100 (seed 0).
DEFAULTS = {
    "transformer": {},
    "gru": {"d_model": 64, "layers": 1, "heads": 1, "steps": 1000},
    "gpt": {"positions": "learned", "steps": 400},  # nanoGPT's learned positions
}


def defaults(system: str = "transformer", task: str = "reverse", **changes) -> LabSettings:
    """The tuned default settings for a system and task, with any field changed by keyword; checked."""
    _choice("system", system, SYSTEMS)
    return LabSettings(system=system, task=task, **{**DEFAULTS[system], **changes}).check()


def _choice(name: str, value, allowed: tuple) -> None:
    if isinstance(value, bool) or value not in allowed:
        raise ValueError(f"{name}: {value!r} is not one of {', '.join(map(str, allowed))}")


def _integer(name: str, value, low: int, high: int) -> None:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"{name}: {value!r} must be an integer from {low} to {high}")


def _real(name: str, value, low: float, high: float) -> None:
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"{name}: {value!r} must be a number from {low:g} to {high:g}")
