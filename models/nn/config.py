"""The one dataclass that describes a transformer the engine can run."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import MISSING, asdict, dataclass, fields

NORMS = ("layer", "rms")
# "sandwich" is Gemma 2/3's: pre-norms as "pre", plus a norm on the attention's and the MLP's outputs.
NORM_PLACEMENTS = ("pre", "post", "sandwich")
# geglu: down(gelu_tanh(gate)·up), Gemma's MLP; swiglu: down(silu(gate)·up).
MLPS = ("gelu", "gelu_tanh", "swiglu", "geglu")
GATED_MLPS = ("swiglu", "geglu")
POSITIONALS = ("learned", "sinusoidal", "rope", "alibi", "none")
PADDING_SIDES = ("left", "right")
ROPE_SCALINGS = ("none", "linear", "llama3")
SIZES = (
    "d_model",
    "n_layers",
    "n_heads",
    "n_kv_heads",
    "d_head",
    "d_mlp",
    "vocab_size",
    "n_ctx",
    "rope_original_n_ctx",
)
REALS = ("norm_eps", "rope_theta", "rope_scaling_factor", "rope_low_freq_factor", "rope_high_freq_factor")
FLAGS = ("causal", "qkv_bias", "out_bias", "mlp_bias", "tie_embeddings", "qk_norm", "scale_embeddings")
# Sizes become tensor dimensions and indices; beyond this they are damage, not a model (and overflow kernels).
INT_LIMIT = 2**31 - 1


@dataclass(frozen=True)
class TransformerConfig:
    architecture: str  # registry name of the family: bert, gpt2, llama, ...
    d_model: int
    n_layers: int
    n_heads: int
    n_kv_heads: int
    d_head: int
    d_mlp: int
    vocab_size: int
    n_ctx: int
    norm: str = "layer"
    norm_eps: float = 1e-5
    # "post" is BERT's layout: LayerNorm after each residual add and after the embeddings, none at the end.
    norm_placement: str = "pre"
    mlp: str = "gelu"
    positional: str = "learned"
    rope_theta: float = 10000.0
    rope_scaling: str = "none"
    rope_scaling_factor: float = 1.0
    # Llama 3 frequency-dependent scaling; ignored unless rope_scaling == "llama3".
    rope_low_freq_factor: float = 1.0
    rope_high_freq_factor: float = 4.0
    rope_original_n_ctx: int = 8192
    causal: bool = True
    sliding_window: int | None = None
    # Layers that use sliding_window; None: every layer does (Mistral). Gemma 3: 5 of every 6 (the others global).
    local_layers: tuple[int, ...] | None = None
    # RoPE θ of the local layers when it differs from rope_theta (Gemma 3: 10,000 local, 1e6 global).
    rope_local_theta: float | None = None
    qk_norm: bool = False  # RMSNorm over each head's query and key before RoPE (Gemma 3)
    scale_embeddings: bool = False  # token embeddings multiplied by √d_model (Gemma)
    n_token_types: int = 0
    qkv_bias: bool = False
    out_bias: bool = False
    mlp_bias: bool = False
    tie_embeddings: bool = False
    pad_token_id: int | None = None
    padding_side: str = "right"

    def __post_init__(self) -> None:
        # Types before ranges before relations: nothing below may divide by, or compare, an unchecked value.
        if not isinstance(self.architecture, str) or not self.architecture:
            raise ValueError(f"config.architecture={self.architecture!r}: must be a non-empty string")
        for name in SIZES:
            _check_int(name, getattr(self, name), low=1)
        _check_int("n_token_types", self.n_token_types, low=0)
        for name in ("sliding_window", "pad_token_id"):
            if getattr(self, name) is not None:
                _check_int(name, getattr(self, name), low=1 if name == "sliding_window" else 0, optional=True)
        for name in REALS:
            _check_real(name, getattr(self, name))
        if self.rope_local_theta is not None:
            _check_real("rope_local_theta", self.rope_local_theta)
        self._check_local_layers()
        for name in FLAGS:
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"config.{name}={getattr(self, name)!r}: must be true or false")
        _check_choice("norm", self.norm, NORMS)
        _check_choice("norm_placement", self.norm_placement, NORM_PLACEMENTS)
        _check_choice("mlp", self.mlp, MLPS)
        _check_choice("positional", self.positional, POSITIONALS)
        _check_choice("padding_side", self.padding_side, PADDING_SIDES)
        _check_choice("rope_scaling", self.rope_scaling, ROPE_SCALINGS)
        if self.n_heads % self.n_kv_heads:
            raise ValueError(
                f"config.n_kv_heads={self.n_kv_heads}: must divide n_heads={self.n_heads} "
                f"(allowed: {', '.join(map(str, divisors(self.n_heads)))})"
            )
        if self.positional == "rope" and self.d_head % 2:
            raise ValueError(f"config.d_head={self.d_head}: RoPE needs an even head size")
        if self.pad_token_id is not None and self.pad_token_id >= self.vocab_size:
            raise ValueError(
                f"config.pad_token_id={self.pad_token_id}: must be a token id below vocab_size={self.vocab_size}"
            )

    def _check_local_layers(self) -> None:
        if self.local_layers is None:
            return
        if isinstance(self.local_layers, (str, bytes)) or not isinstance(self.local_layers, (list, tuple)):
            raise ValueError(f"config.local_layers={self.local_layers!r}: must be a list of layer indices or None")
        for layer in self.local_layers:
            if not isinstance(layer, numbers.Integral) or isinstance(layer, bool) or not 0 <= layer < self.n_layers:
                raise ValueError(
                    f"config.local_layers: {layer!r} is not a layer index; allowed: 0..{self.n_layers - 1}"
                )
        if self.sliding_window is None:
            raise ValueError("config.local_layers is set but sliding_window is not: local layers need a window")
        # Frozen, and read back from JSON as a list: kept as a sorted tuple of ints so equal configs compare equal.
        object.__setattr__(self, "local_layers", tuple(sorted({int(layer) for layer in self.local_layers})))

    def layer_window(self, layer: int) -> int | None:
        """The sliding window of one layer (None: it sees every earlier key)."""
        if self.local_layers is None or layer in self.local_layers:
            return self.sliding_window
        return None

    @property
    def has_layer_types(self) -> bool:
        """Whether layers differ in their mask or RoPE θ (some local, some global)."""
        return self.sliding_window is not None and self.local_layers is not None and 0 < len(self.local_layers)

    @property
    def kv_group_size(self) -> int:
        return self.n_heads // self.n_kv_heads

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> TransformerConfig:
        """A config from to_dict()'s output; damaged input (a cache file, a session) is a ValueError, never a
        TypeError or AttributeError."""
        if not isinstance(data, Mapping):
            raise ValueError(f"config: expected a mapping of fields, got {type(data).__name__}")
        known = {f.name: f for f in fields(cls)}
        missing = [f.name for f in known.values() if f.default is MISSING and f.name not in data]
        if missing:
            raise ValueError(f"config: the field {missing[0]} is missing")
        return cls(**{key: value for key, value in data.items() if key in known})


def divisors(n: int) -> list[int]:
    # Up to √n: a damaged config's n_heads may be two billion, and its error message must not take minutes.
    small = [d for d in range(1, math.isqrt(n) + 1) if n % d == 0]
    return sorted({*small, *(n // d for d in small)})


def _check_int(name: str, value: object, low: int, optional: bool = False) -> None:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or not low <= value <= INT_LIMIT:
        kind = "a positive integer" if low == 1 else f"an integer ≥ {low}"
        none = " or None" if optional else ""
        raise ValueError(f"config.{name}={value!r}: must be {kind} (at most {INT_LIMIT}){none}")


def _check_real(name: str, value: object) -> None:
    # Written so that NaN (which fails every comparison) and infinity are refused too.
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not 0 < value < math.inf:
        raise ValueError(f"config.{name}={value!r}: must be a finite number > 0")


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"config.{name}={value!r}: allowed values are {', '.join(allowed)}")
