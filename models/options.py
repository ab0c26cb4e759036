"""Run options: the attention variants a user can switch on the same weights, and their validation.

Every error is a ValueError naming the option, the offending value and what is allowed, because these
strings come straight from the command line or a GUI control.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

from models.nn.config import TransformerConfig, divisors

MASK_PARTS_HELP = "causal, bidirectional, no-self, window=W, prefix=P (comma separated)"
POS_CHOICES = ("model", "none", "rope", "sinusoidal", "alibi")


@dataclass(frozen=True)
class MaskSpec:
    """A parsed mask. base None means "the model's own" (causal for decoders, bidirectional for encoders)."""

    base: str | None = None  # "causal" | "bidirectional" | None
    no_self: bool = False
    window: int | None = None
    prefix: int | None = None

    @property
    def causal(self) -> bool:
        # A prefix-LM is causal outside its prefix, which is what the window rule and incremental reuse need.
        return self.base == "causal" or self.prefix is not None

    def describe(self) -> str:
        parts = []
        if self.prefix is not None:
            parts.append(f"prefix={self.prefix}")
        elif self.base:
            parts.append(self.base)
        if self.window is not None:
            parts.append(f"window={self.window}")
        if self.no_self:
            parts.append("no-self")
        return ",".join(parts)


def parse_mask(text: str | None) -> MaskSpec:
    """Parse "causal,window=4,no-self" into a MaskSpec. None or "" or "model" is the model's own mask."""
    if text is None or text.strip() in ("", "model"):
        return MaskSpec()
    spec = MaskSpec()
    seen: set[str] = set()
    for raw in text.split(","):
        part = raw.strip().lower()
        name, _, value = part.partition("=")
        if name in seen:
            raise ValueError(f"mask: part '{name}' is given twice in '{text}'; allowed parts: {MASK_PARTS_HELP}")
        seen.add(name)
        if part in ("causal", "bidirectional"):
            spec = replace(spec, base=part)
        elif part == "no-self":
            spec = replace(spec, no_self=True)
        elif name == "window":
            spec = replace(spec, window=_positive_int("mask window=W", value, text))
        elif name == "prefix":
            spec = replace(spec, prefix=_positive_int("mask prefix=P", value, text))
        else:
            raise ValueError(f"mask: unknown part '{raw.strip()}' in '{text}'; allowed parts: {MASK_PARTS_HELP}")
    if "causal" in seen and "bidirectional" in seen:
        raise ValueError(f"mask: '{text}' asks for both causal and bidirectional; choose one")
    if spec.prefix is not None and spec.base == "bidirectional":
        raise ValueError(f"mask: '{text}' combines prefix=P with bidirectional; a prefix-LM is causal after P")
    return spec


def _positive_int(option: str, value: str, text: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{option}: '{value}' in '{text}' is not an integer; W and P must be integers >= 1") from None
    if number < 1:
        raise ValueError(f"{option}: {number} in '{text}' is too small; it must be an integer >= 1")
    return number


@dataclass(frozen=True)
class RunOptions:
    """What a user can vary between runs without reloading weights."""

    mask: str | None = None  # see parse_mask; None = the model's own
    padding_mask: bool = True
    pos: str = "model"
    rope_theta: float | None = None  # None = the model's own theta, or 10000 for models without RoPE
    kv_heads: int | None = None  # None = the model's own KV-head count
    temperature: float = 1.0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class ResolvedOptions:
    """RunOptions checked against one model's config, with every default filled in."""

    mask: MaskSpec
    padding_mask: bool
    positional: str  # learned | sinusoidal | rope | alibi | none
    rope_theta: float
    kv_heads: int
    temperature: float

    def describe(self) -> dict:
        return {
            "mask": self.mask.describe(),
            "padding_mask": self.padding_mask,
            "pos": self.positional,
            "rope_theta": self.rope_theta,
            "kv_heads": self.kv_heads,
            "temperature": self.temperature,
        }


def resolve(options: RunOptions, config: TransformerConfig) -> ResolvedOptions:
    """Validate options against a model and fill in the model's own defaults."""
    spec = parse_mask(options.mask)
    if spec.base is None and spec.prefix is None:
        spec = replace(spec, base="causal" if config.causal else "bidirectional")
        # A sliding-window model (Mistral) keeps its window unless the user sets one.
        if options.mask in (None, "", "model") and config.sliding_window:
            spec = replace(spec, window=config.sliding_window)

    if not isinstance(options.padding_mask, bool):
        raise ValueError(f"padding-mask: {options.padding_mask!r} is not on/off")

    pos = (options.pos or "model").lower()
    if pos not in POS_CHOICES:
        raise ValueError(f"pos: unknown positional encoding '{options.pos}'; allowed: {', '.join(POS_CHOICES)}")
    positional = config.positional if pos == "model" else pos

    theta = options.rope_theta
    if theta is None:
        theta = config.rope_theta if config.positional == "rope" else 10000.0
    elif not (isinstance(theta, (int, float)) and math.isfinite(theta) and theta > 0):
        raise ValueError(f"rope-theta: {theta!r} is not allowed; it must be a finite number > 0")
    if positional == "rope" and config.d_head % 2:
        raise ValueError(f"pos: rope needs an even head size, and this model's heads have {config.d_head} dims")

    kv_heads = config.n_kv_heads if options.kv_heads is None else options.kv_heads
    allowed = divisors(config.n_heads)
    if isinstance(kv_heads, bool) or not isinstance(kv_heads, int) or kv_heads not in allowed:
        raise ValueError(
            f"kv-heads: {kv_heads!r} does not divide the {config.n_heads} query heads; "
            f"allowed: {', '.join(map(str, allowed))}"
        )

    temperature = options.temperature
    if not (isinstance(temperature, (int, float)) and math.isfinite(temperature) and temperature > 0):
        raise ValueError(f"temperature: {temperature!r} is not allowed; it must be a finite number > 0")

    return ResolvedOptions(
        mask=spec,
        padding_mask=options.padding_mask,
        positional=positional,
        rope_theta=float(theta),
        kv_heads=kv_heads,
        temperature=float(temperature),
    )
