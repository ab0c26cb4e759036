"""The Generate tool's own state: how many tokens, greedy or sampled (temperature, seed), and the head shown."""

from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass

MAX_COUNT = 256  # tokens per generation in the window: every step is kept to be scrubbed
MAX_SEED = 2**31 - 1  # what a spin box holds
FIELDS = ("count", "sampling", "temperature", "seed", "layer", "head")


@dataclass(frozen=True)
class GenerateState:
    count: int = 10
    sampling: bool = False  # False: greedy
    temperature: float = 1.0  # sampling only
    seed: int = 0
    layer: int = 0
    head: int = 0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> GenerateState:
        """Checked: every problem is a ValueError naming the field."""
        if not isinstance(data, dict):
            raise ValueError(f'"tools.generate" must be an object with {", ".join(FIELDS)}')
        unknown = set(data) - set(FIELDS)
        if unknown:
            raise ValueError(f'"tools.generate" has unknown fields {sorted(unknown)}; allowed: {", ".join(FIELDS)}')
        merged = {**asdict(cls()), **data}
        _integer("count", merged["count"], 1, MAX_COUNT)
        if not isinstance(merged["sampling"], bool):
            raise ValueError(f'"tools.generate.sampling" must be true or false, not {merged["sampling"]!r}')
        temperature = merged["temperature"]
        if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real):
            raise ValueError(f'"tools.generate.temperature" must be a number > 0, not {temperature!r}')
        if not (math.isfinite(temperature) and temperature > 0):
            raise ValueError(f'"tools.generate.temperature" must be a finite number > 0, not {temperature!r}')
        _integer("seed", merged["seed"], 0, MAX_SEED)
        _integer("layer", merged["layer"], 0, 10**6)  # clamped to the model when it is known
        _integer("head", merged["head"], 0, 10**6)
        return cls(**{**merged, "temperature": float(temperature)})


def _integer(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f'"tools.generate.{name}" must be an integer from {low} to {high}, not {value!r}')
