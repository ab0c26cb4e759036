"""Named hook points with TransformerLens's names: read (capture) and change (intervene on) any activation.

A run given capture=[...] or hooks=[(name, fn), ...] builds one HookSet; the forward pass hands each named
activation to it and goes on with what it returns. A run with neither passes None, and the blocks take their
plain path (one `is None` check per layer). Shapes follow TransformerLens, batch first:

    hook_embed                         (B, N, D)   the token embeddings (before positions are added)
    blocks.{l}.hook_resid_pre          (B, N, D)   the residual stream entering block l
    blocks.{l}.attn.hook_q             (B, N, H, d) queries after RoPE
    blocks.{l}.attn.hook_k             (B, N, G, d) keys after RoPE (G: the run's KV heads)
    blocks.{l}.attn.hook_v             (B, N, G, d)
    blocks.{l}.attn.hook_attn_scores   (B, H, N, N) QKᵀ·scale plus the score bias (-inf where masked)
    blocks.{l}.attn.hook_pattern       (B, H, N, N) softmax of the scores
    blocks.{l}.attn.hook_z             (B, N, H, d) each head's output before the output projection
    blocks.{l}.hook_attn_out           (B, N, D)   the output projection's output
    blocks.{l}.hook_resid_mid          (B, N, D)   resid_pre + attn_out
    blocks.{l}.hook_mlp_out            (B, N, D)
    blocks.{l}.hook_resid_post         (B, N, D)   resid_mid + mlp_out
    ln_final.hook_normalized           (B, N, D)   pre-norm models: the final norm's output

Post-norm models (BERT) normalise after each residual add, as TransformerLens's BertBlock: resid_mid and
resid_post are the sums before the norms, and blocks.{l}.ln1.hook_normalized / blocks.{l}.ln2.hook_normalized
are the norms' outputs (ln2's is the block's output); they have no ln_final.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable

import torch

from models.options import short_repr

ATTENTION_POINTS = (
    "attn.hook_q",
    "attn.hook_k",
    "attn.hook_v",
    "attn.hook_attn_scores",
    "attn.hook_pattern",
    "attn.hook_z",
)
PRE_NORM_POINTS = (
    "hook_resid_pre",
    *ATTENTION_POINTS,
    "hook_attn_out",
    "hook_resid_mid",
    "hook_mlp_out",
    "hook_resid_post",
)
POST_NORM_POINTS = (*PRE_NORM_POINTS, "ln1.hook_normalized", "ln2.hook_normalized")
SQUARE_POINTS = ("attn.hook_attn_scores", "attn.hook_pattern")  # N×N: made only when asked for

HookFunction = Callable[[torch.Tensor, "HookPoint"], "torch.Tensor | None"]


class HookPoint:
    """What a hook function receives as `hook`, as in TransformerLens: its name, and the layer it belongs to."""

    def __init__(self, name: str):
        self.name = name

    def layer(self) -> int:
        """The block index of a blocks.{l}... name; ValueError for hook_embed and ln_final."""
        parts = self.name.split(".")
        if parts[0] != "blocks":
            raise ValueError(f"hook: {self.name} belongs to no block")
        return int(parts[1])

    def __repr__(self) -> str:
        return f"HookPoint({self.name!r})"


def hook_names(n_layers: int, post_norm: bool) -> list[str]:
    """Every hook point of a model, in the order the forward pass reaches them."""
    points = POST_NORM_POINTS if post_norm else PRE_NORM_POINTS
    names = ["hook_embed"] + [f"blocks.{layer}.{point}" for layer in range(n_layers) for point in points]
    return names if post_norm else [*names, "ln_final.hook_normalized"]


def hook_patterns(post_norm: bool) -> list[str]:
    """The valid names as patterns, for error messages: blocks.*.hook_resid_pre, ..."""
    points = POST_NORM_POINTS if post_norm else PRE_NORM_POINTS
    return ["hook_embed", *(f"blocks.*.{p}" for p in points), *([] if post_norm else ["ln_final.hook_normalized"])]


def _matches(pattern: object, names: list[str], n_layers: int, post_norm: bool, what: str) -> list[str]:
    """The names a pattern (a name, or a glob such as blocks.*.hook_z) stands for; ValueError naming it if none."""
    if not isinstance(pattern, str):
        raise ValueError(f"{what}: {short_repr(pattern)} is not a hook name; give a string such as blocks.0.hook_z")
    found = [name for name in names if fnmatch.fnmatchcase(name, pattern)]
    if not found:
        raise ValueError(
            f"{what}: {pattern!r} names no hook point of this model; valid names: "
            f"{', '.join(hook_patterns(post_norm))} (* is a layer, 0..{n_layers - 1})"
        )
    return found


class HookSet:
    """One run's captures and interventions, by hook name; called by the forward pass at each hook point."""

    def __init__(self, n_layers: int, post_norm: bool, capture: Iterable[str] = (), hooks: Iterable = ()):
        names = hook_names(n_layers, post_norm)
        if isinstance(capture, str):
            capture = [capture]
        self.capture: set[str] = set()
        for pattern in capture:
            self.capture.update(_matches(pattern, names, n_layers, post_norm, "capture"))
        self.functions: dict[str, list[HookFunction]] = {}
        for entry in hooks:
            if not isinstance(entry, (tuple, list)) or len(entry) != 2 or not callable(entry[1]):
                raise ValueError(f"hooks: {short_repr(entry)} is not a (name, function) pair")
            for name in _matches(entry[0], names, n_layers, post_norm, "hooks"):
                self.functions.setdefault(name, []).append(entry[1])
        self.active = self.capture | set(self.functions)
        # The layers whose scores or pattern were asked for: only those compute their weights explicitly.
        self.square_layers = {HookPoint(n).layer() for n in self.active if n.endswith(SQUARE_POINTS)}
        # The blocks with a hook point in use take the out-of-place path (hooked.py); the others the plain one,
        # unless every_layer is set: then all do, as autograd needs (Model.forward under enable_grad). The stream
        # entering a block (hook_resid_pre) is read or replaced before either path, so it needs neither.
        inside = [n for n in self.active if n.startswith("blocks.") and not n.endswith(".hook_resid_pre")]
        self.layers = {HookPoint(n).layer() for n in inside}
        self.every_layer = False
        self.kept: dict[str, torch.Tensor] = {}  # name -> the captured activation, batch first
        self.changed: list[str] = []  # hook points whose function returned a replacement, in the order reached

    def wants(self, name: str) -> bool:
        return name in self.active

    def runs_layer(self, layer: int) -> bool:
        """Whether block `layer` must go through its hook points (else it may take the plain path)."""
        return self.every_layer or layer in self.layers

    def __call__(self, name: str, x: torch.Tensor) -> torch.Tensor:
        """x after every function hooked at `name` (in the order given); captured as the model goes on with it."""
        if name not in self.active:
            return x
        for function in self.functions.get(name, ()):
            replacement = function(x, HookPoint(name))
            if replacement is not None:
                x = self._checked(name, replacement, x)
                if name not in self.changed:
                    self.changed.append(name)
        if name in self.capture:
            self.kept[name] = x.detach().clone()  # a copy: the residual stream is updated in place later
        return x

    @staticmethod
    def _checked(name: str, replacement: object, x: torch.Tensor) -> torch.Tensor:
        try:
            value = torch.as_tensor(replacement, dtype=x.dtype, device=x.device)
        except (TypeError, ValueError, RuntimeError):
            problem = f"hooks: the function at {name} returned {short_repr(replacement)}, not a tensor"
            raise ValueError(problem) from None
        if value.shape != x.shape:
            raise ValueError(
                f"hooks: the function at {name} returned shape {tuple(value.shape)}; "
                f"the activation's is {tuple(x.shape)}"
            )
        return value
