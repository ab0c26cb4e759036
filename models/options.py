"""Run options: the attention variants a user can switch on the same weights, and their validation.

Every error is a ValueError naming the option, the offending value and what is allowed, because these
values come straight from the command line, a GUI control or a session file. Torch-free, so a command-line
parser or a widget can use these names and checks without loading the engine.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace

from models.ablation import check_ablate, check_heads_exist
from models.checks import check_count, check_flag, check_positive, short_repr
from models.nn.config import TransformerConfig, divisors

__all__ = [
    "DEFAULT_ROPE_THETA",
    "DEVICE_CHOICES",
    "MASK_PARTS_HELP",
    "POS_CHOICES",
    "MaskSpec",
    "ResolvedOptions",
    "RunOptions",
    "attention_kind",
    "default_rope_theta",
    "layer_kind",
    "divisors",
    "parse_ablate",
    "parse_mask",
    "resolve",
    "short_repr",
]

MASK_PARTS_HELP = "causal, bidirectional, no-self, window=W, prefix=P (comma separated)"
POS_CHOICES = ("model", "none", "rope", "sinusoidal", "alibi")
DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps")
# Map weightings (models/runtime/weighting.py): "attention" is A itself; "norm" is A[i, j]·‖v_j W_O^h‖.
WEIGHTINGS = ("attention", "norm")
# Attention rollout and flow (models/analysis): how heads are reduced, and flow's interactive limit in tokens.
HEAD_REDUCTIONS = ("mean", "max", "min")
FLOW_MAX_TOKENS = 128  # above it, flow is refused and rollout suggested (one maximum flow per layer pair)
DEFAULT_ROPE_THETA = 10000.0  # the RoPE paper's base, for models that have no θ of their own
MAX_SPAN = 2**31 - 1  # the largest window=W or prefix=P: beyond any context, and an index type still holds it


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
    """Parse "causal,window=4,no-self" into a MaskSpec. None or "" or "model" is the model's own mask.

    The only mask parser in the engine: options, the command line and the GUI all come through here.
    """
    if text is not None and not isinstance(text, str):
        raise ValueError(f"mask: {short_repr(text)} is not text; allowed: None (the model's own) or {MASK_PARTS_HELP}")
    if text is None or text.strip() in ("", "model"):
        return MaskSpec()
    spec = MaskSpec()
    seen: set[str] = set()
    for raw in text.split(","):
        part = raw.strip().lower()
        name, _, value = (piece.strip() for piece in part.partition("="))
        if name in seen:
            raise ValueError(
                f"mask: part {short_repr(name)} is given twice in {short_repr(text)}; allowed parts: {MASK_PARTS_HELP}"
            )
        seen.add(name)
        if part in ("causal", "bidirectional"):
            spec = replace(spec, base=part)
        elif part == "no-self":
            spec = replace(spec, no_self=True)
        elif name == "window":
            spec = replace(spec, window=_span("mask window=W", value, text))
        elif name == "prefix":
            spec = replace(spec, prefix=_span("mask prefix=P", value, text))
        else:
            raise ValueError(
                f"mask: unknown part {short_repr(raw.strip())} in {short_repr(text)}; allowed parts: {MASK_PARTS_HELP}"
            )
    if "causal" in seen and "bidirectional" in seen:
        raise ValueError(f"mask: {short_repr(text)} asks for both causal and bidirectional; choose one")
    if spec.prefix is not None and spec.base == "bidirectional":
        raise ValueError(
            f"mask: {short_repr(text)} combines prefix=P with bidirectional; a prefix-LM is causal after P"
        )
    # A prefix-LM is causal already: "causal,prefix=P" is "prefix=P", one spec, so equal masks compare equal.
    return replace(spec, base=None) if spec.prefix is not None else spec


def _span(option: str, value: str, text: str) -> int:
    """W or P: ASCII digits only (int() would also take "٣", "1_0" and "+3"), from 1 to MAX_SPAN."""
    # Length first: int() of thousands of digits is refused by Python, and slow before that.
    if value.isascii() and value.isdigit() and len(value) <= len(str(MAX_SPAN)) and 1 <= int(value) <= MAX_SPAN:
        return int(value)
    raise ValueError(
        f"{option}: {short_repr(value)} in {short_repr(text)} is not an integer from 1 to {MAX_SPAN}; "
        "W and P must be integers >= 1"
    )


@dataclass(frozen=True)
class RunOptions:
    """What a user can vary between runs without reloading weights.

    Construct it directly, or from a dict with from_dict (which checks every field); resolve() checks a
    directly constructed one the same way before a run uses it.
    """

    mask: str | None = None  # see parse_mask; None = the model's own
    padding_mask: bool = True
    pos: str = "model"  # one of POS_CHOICES; "model" = the model's own
    rope_theta: float | None = None  # None = default_rope_theta(...): the model's own θ, or 10000
    kv_heads: int | None = None  # None = the model's own KV-head count
    temperature: float = 1.0
    ablate: tuple[tuple[int, int], ...] = ()  # (layer, head) pairs whose outputs are zeroed before o-proj

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> RunOptions:
        """Options from keywords, a session file or a GUI's values: every field's type and range is checked.

        Unknown keys are refused. numpy integer and float scalars are accepted where an integer or a number
        is, and come back as Python numbers.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"run options: {short_repr(data)} is not a mapping of option names to values")
        names = [field.name for field in fields(cls)]
        unknown = [key for key in data if key not in names]
        if unknown:
            raise ValueError(f"run: unknown option {', '.join(map(short_repr, unknown))}; allowed: {', '.join(names)}")
        return cls(**data).checked()

    def checked(self) -> RunOptions:
        """These options with every field's type and range checked, numbers as plain Python numbers.

        Only what holds for any model is checked here; resolve() adds what depends on the model (the KV-head
        counts that divide its query heads, RoPE's even head size).
        """
        parse_mask(self.mask)  # raises, naming the part that is wrong (or that the mask is not text)
        return RunOptions(
            mask=self.mask,
            padding_mask=check_flag("padding-mask", self.padding_mask),
            pos=_check_pos(self.pos),
            rope_theta=None if self.rope_theta is None else check_positive("rope-theta", self.rope_theta, True),
            kv_heads=None if self.kv_heads is None else check_count("kv-heads", self.kv_heads),
            temperature=check_positive("temperature", self.temperature, False),
            ablate=check_ablate(self.ablate),
        )

    def to_dict(self) -> dict:
        """Plain values for JSON: the knocked-out heads as [layer, head] lists."""
        return {**asdict(self), "ablate": [list(pair) for pair in self.ablate]}


def _check_pos(value: object) -> str:
    if not isinstance(value, str) or value.lower() not in POS_CHOICES:
        raise ValueError(f"pos: unknown positional encoding {short_repr(value)}; allowed: {', '.join(POS_CHOICES)}")
    return value.lower()


def parse_ablate(text: str | None) -> tuple[tuple[int, int], ...]:
    """Parse the command line's "3:1,5:0" into ((3, 1), (5, 0)); None or "" is no knockout."""
    if text is not None and not isinstance(text, str):
        raise ValueError(f"--ablate: {short_repr(text)} is not text; give LAYER:HEAD pairs, e.g. 3:1,5:0")
    if text is None or not text.strip():
        return ()
    pairs = []
    for raw in text.split(","):
        layer, colon, head = (part.strip() for part in raw.partition(":"))
        # ASCII digits only, and short: int() would also take "٣" and "1_0", and be slow on thousands of digits
        if not (colon and all(p.isascii() and p.isdigit() and len(p) <= 9 for p in (layer, head))):
            raise ValueError(
                f"--ablate: {short_repr(raw.strip())} in {short_repr(text)} is not LAYER:HEAD; "
                "give pairs of integers >= 0 separated by commas, e.g. 3:1,5:0"
            )
        pairs.append((int(layer), int(head)))
    return check_ablate(pairs)


def default_rope_theta(positional: str, rope_theta: float) -> float:
    """The θ a run uses when the user sets none: the model's own when it uses RoPE, else the paper's 10000.

    positional and rope_theta are the model's own (TransformerConfig.positional and .rope_theta).
    """
    return float(rope_theta) if positional == "rope" else DEFAULT_ROPE_THETA


def attention_kind(n_heads: int, kv_heads: int) -> str:
    """ "MHA" (a KV head per query head), "MQA" (one KV head for all) or "GQA" (groups in between)."""
    _check_kv_heads(n_heads, kv_heads)
    if kv_heads == n_heads:
        return "MHA"
    return "MQA" if kv_heads == 1 else "GQA"


def _check_kv_heads(n_heads: int, kv_heads: int) -> None:
    allowed = divisors(n_heads)
    if isinstance(kv_heads, bool) or not isinstance(kv_heads, numbers.Integral) or kv_heads not in allowed:
        allowed_text = ", ".join(map(str, allowed))
        raise ValueError(
            f"kv-heads: {short_repr(kv_heads)} does not divide the {n_heads} query heads; allowed: {allowed_text}"
        )


@dataclass(frozen=True)
class ResolvedOptions:
    """RunOptions checked against one model's config, with every default filled in."""

    mask: MaskSpec
    padding_mask: bool
    positional: str  # learned | sinusoidal | rope | alibi | none
    rope_theta: float
    kv_heads: int
    temperature: float
    ablate: tuple[tuple[int, int], ...] = ()  # checked against the model: every layer and head exists
    # A model whose layers differ (Gemma 3: local and global), run with its own mask: one mask per layer, and
    # `mask` is the global layers'. Empty: `mask` for every layer. Likewise one RoPE θ per layer with the
    # model's own θ; empty: rope_theta for every layer.
    layer_masks: tuple[MaskSpec, ...] = ()
    layer_rope_thetas: tuple[float, ...] = ()

    def mask_of(self, layer: int) -> MaskSpec:
        """The mask layer `layer` attends with."""
        return self.layer_masks[layer] if self.layer_masks else self.mask

    def as_run_options(self) -> RunOptions:
        """The resolved values as RunOptions (e.g. to show them in controls); they resolve to these again.

        A learned position table can only be the model's own, so it comes back as pos="model"; so do per-layer
        masks and θs (mask and rope_theta None).
        """
        return RunOptions(
            mask=None if self.layer_masks else self.mask.describe(),
            padding_mask=self.padding_mask,
            pos="model" if self.positional == "learned" else self.positional,
            rope_theta=None if self.layer_rope_thetas else self.rope_theta,
            kv_heads=self.kv_heads,
            temperature=self.temperature,
            ablate=self.ablate,
        )

    def describe(self, layer: int | None = None) -> dict:
        """The resolved values as RunOptions-style keys, for display: pos names the encoding, "learned" too.

        ablate appears only when some head is knocked out, so a plain run's description is as it always was.
        Where layers differ (Gemma 3): with `layer`, that layer's mask and θ; without, the masks in a few words
        ("causal,window=512 ×15; causal ×3"), rope_theta the global layers' and local_rope_theta the local ones'.
        """
        described = {**self.as_run_options().to_dict(), "pos": self.positional}
        if self.layer_masks:
            masks = describe_layer_masks(self.layer_masks)
            described["mask"] = masks if layer is None else self.mask_of(layer).describe()
        if self.layer_rope_thetas:
            thetas = set(self.layer_rope_thetas) - {self.rope_theta}
            described["rope_theta"] = self.rope_theta if layer is None else self.layer_rope_thetas[layer]
            if layer is None and thetas:
                described["local_rope_theta"] = min(thetas)
        if not self.ablate:
            del described["ablate"]
        return described


def describe_layer_masks(layer_masks: tuple[MaskSpec, ...]) -> str:
    """Per-layer masks in a few words: "causal,window=512 ×15; causal ×3"."""
    counts: dict[str, int] = {}
    for spec in layer_masks:
        counts[spec.describe()] = counts.get(spec.describe(), 0) + 1
    return "; ".join(f"{text} ×{count}" for text, count in counts.items())


def layer_kind(window: int | None) -> str:
    """A layer's attention type in words: "local 512" (a sliding window of 512 keys) or "global"."""
    return "global" if window is None else f"local {window}"


def _own_layer_variants(config: TransformerConfig, own: MaskSpec | None, theta: float | None, positional: str):
    """The per-layer masks and θs a model with local and global layers runs with: own is the model's own mask
    (None when the user set one) and theta the θ the user set. Empty for any other model, or when the user set a
    mask or a θ: then every layer takes that one."""
    if not config.has_layer_types:
        return (), ()
    masks = ()
    if own is not None:
        spec = own
        masks = tuple(replace(spec, window=config.layer_window(layer)) for layer in range(config.n_layers))
    thetas = ()
    if theta is None and positional == "rope" and config.positional == "rope" and config.rope_local_theta:
        local = config.rope_local_theta
        thetas = tuple(
            config.rope_theta if config.layer_window(layer) is None else local for layer in range(config.n_layers)
        )
    return masks, thetas


def resolve(options: RunOptions, config: TransformerConfig) -> ResolvedOptions:
    """Validate options against a model and fill in the model's own defaults."""
    if not isinstance(options, RunOptions):
        raise ValueError(f"options: {short_repr(options)} is not a RunOptions; pass RunOptions(...) or keywords")
    options = options.checked()
    spec = parse_mask(options.mask)
    own_mask = spec == MaskSpec()
    if spec.base is None and spec.prefix is None:
        # A sliding-window model (Mistral) keeps its window unless the user sets any mask at all. A model with
        # local and global layers (Gemma 3) keeps a window per layer likewise; any mask set applies to all.
        own_window = config.sliding_window if own_mask and not config.has_layer_types else None
        spec = replace(spec, base="causal" if config.causal else "bidirectional")
        if own_window:
            spec = replace(spec, window=own_window)

    positional = config.positional if options.pos == "model" else options.pos
    if positional == "rope" and config.d_head % 2:
        raise ValueError(f"pos: rope needs an even head size, and this model's heads have {config.d_head} dims")
    theta = options.rope_theta
    if theta is None:
        theta = default_rope_theta(config.positional, config.rope_theta)

    own = spec if own_mask else None
    layer_masks, layer_thetas = _own_layer_variants(config, own, options.rope_theta, positional)

    kv_heads = config.n_kv_heads if options.kv_heads is None else options.kv_heads
    _check_kv_heads(config.n_heads, kv_heads)
    check_heads_exist(options.ablate, config.n_layers, config.n_heads)

    return ResolvedOptions(
        mask=spec,
        padding_mask=options.padding_mask,
        positional=positional,
        rope_theta=theta,
        kv_heads=kv_heads,
        temperature=options.temperature,
        ablate=options.ablate,
        layer_masks=layer_masks,
        layer_rope_thetas=layer_thetas,
    )
