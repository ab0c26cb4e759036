"""The one dataclass that describes a transformer the engine can run."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

NORMS = ("layer", "rms")
NORM_PLACEMENTS = ("pre", "post")
MLPS = ("gelu", "gelu_tanh", "swiglu")
POSITIONALS = ("learned", "sinusoidal", "rope", "alibi", "none")
PADDING_SIDES = ("left", "right")
ROPE_SCALINGS = ("none", "linear", "llama3")


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
    n_token_types: int = 0
    qkv_bias: bool = False
    out_bias: bool = False
    mlp_bias: bool = False
    tie_embeddings: bool = False
    pad_token_id: int | None = None
    padding_side: str = "right"

    def __post_init__(self) -> None:
        for name in ("d_model", "n_layers", "n_heads", "n_kv_heads", "d_head", "d_mlp", "vocab_size", "n_ctx"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"config.{name}={value!r}: must be a positive integer")
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
        if self.rope_theta <= 0:
            raise ValueError(f"config.rope_theta={self.rope_theta!r}: must be > 0")
        if self.norm_eps <= 0:
            raise ValueError(f"config.norm_eps={self.norm_eps!r}: must be > 0")
        if self.sliding_window is not None and self.sliding_window < 1:
            raise ValueError(f"config.sliding_window={self.sliding_window!r}: must be >= 1 or None")
        if self.n_token_types < 0:
            raise ValueError(f"config.n_token_types={self.n_token_types!r}: must be >= 0")

    @property
    def kv_group_size(self) -> int:
        return self.n_heads // self.n_kv_heads

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> TransformerConfig:
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


def divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"config.{name}={value!r}: allowed values are {', '.join(allowed)}")
