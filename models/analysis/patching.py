"""Activation patching: which activations carry the answer from a clean text into a corrupted one.

    setup = prepare(model, clean, corrupt, answer=" Mary", wrong=" John")   # texts of equal token length
    result = sweep(setup, "heads")                # restored fraction per layer × head
    result.restored                               # (L, H): (m_patched − m_corrupt) / (m_clean − m_corrupt)

Denoising puts one activation of the clean run into the corrupted run (1: that activation alone restores the
clean answer); noising puts the corrupted run's into the clean run (near 0: the clean answer needs it). The
metric m is the logit difference answer − wrong at the last token, or the answer's probability.

Speed, as head importance does it (importance.py): patching layer l leaves every layer before it unchanged, so
each patched run restarts at layer l from the target run's cached residual stream, and the patches of one layer
go through together, one per sequence of a batch. The batched restarts themselves: patching_runs.py.
"""

from __future__ import annotations

import logging
import numbers
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch

from models.analysis.arguments import check_model
from models.errors import NumericalError
from models.options import RunOptions, short_repr
from models.runtime.model import Model

log = logging.getLogger(__name__)

__all__ = ["DIRECTIONS", "METRICS", "WHATS", "PatchSetup", "PatchSweep", "patch", "prepare", "sweep"]

WHATS = ("resid", "heads", "heads_by_position", "pattern", "attn_out", "mlp_out")
DIRECTIONS = ("denoise", "noise")
METRICS = ("logit_diff", "prob")
TOP_PREDICTIONS = 10
# The hook point each sweep patches, and the axes of its result after the layer.
HOOK_POINTS = {
    "resid": "hook_resid_pre",
    "heads": "attn.hook_z",
    "heads_by_position": "attn.hook_z",
    "pattern": "attn.hook_pattern",
    "attn_out": "hook_attn_out",
    "mlp_out": "hook_mlp_out",
}
AXES = {
    "resid": ("layer", "position"),
    "heads": ("layer", "head"),
    "heads_by_position": ("layer", "head", "position"),
    "pattern": ("layer", "head"),
    "attn_out": ("layer", "position"),
    "mlp_out": ("layer", "position"),
}
CACHED = ("hook_resid_pre", "attn.hook_z", "hook_attn_out", "hook_mlp_out")  # patterns are N×N: made on demand
SAME_METRIC = 1e-6  # |m_clean − m_corrupt| at or under this (relative to their size): nothing to restore


@dataclass
class PatchSetup:
    """A clean and a corrupted text of equal token length, the metric, and both runs' cached activations."""

    model: Model
    options: RunOptions
    ids_clean: list[int]
    ids_corrupt: list[int]
    tokens_clean: list[str]
    tokens_corrupt: list[str]
    answer_id: int
    answer: str
    wrong_id: int | None
    wrong: str | None
    metric: str
    metric_clean: float
    metric_corrupt: float
    top_predictions: list[tuple[str, float]]  # the clean run's most probable next tokens: (label, probability)
    top_ids: list[int]
    # "clean" / "corrupt" -> hook name -> the activation without its batch axis, e.g. (N, H, d) for hook_z
    cache: dict[str, dict[str, torch.Tensor]] = field(default_factory=dict, repr=False)

    @property
    def n_layers(self) -> int:
        return self.model.config.n_layers

    @property
    def n_heads(self) -> int:
        return self.model.config.n_heads

    @property
    def n_tokens(self) -> int:
        return len(self.ids_clean)

    @property
    def differing(self) -> list[int]:
        """The positions where the two texts have different tokens."""
        return [i for i, (a, b) in enumerate(zip(self.ids_clean, self.ids_corrupt)) if a != b]

    def activation(self, which: str, name: str) -> torch.Tensor:
        """One run's cached activation ("clean" or "corrupt"), e.g. activation("clean", "blocks.3.attn.hook_z");
        patterns are computed on first use (each layer's is H×N×N)."""
        kept = self.cache[which]
        if name not in kept:
            ids = self.ids_clean if which == "clean" else self.ids_corrupt
            run = self.model.run_ids([ids], options=self.options, capture=["blocks.*.attn.hook_pattern"])
            for layer in range(self.n_layers):
                pattern = f"blocks.{layer}.attn.hook_pattern"
                kept[pattern] = torch.from_numpy(run.activation(pattern)).to(self.model.device)
        return kept[name]

    def metric_of(self, logits: torch.Tensor) -> np.ndarray:
        """logits (B, V) of the last token -> the metric of each sequence (B,), float64."""
        logits = logits.double()
        if self.metric == "prob":
            values = torch.softmax(logits, dim=-1)[:, self.answer_id]
        else:
            values = logits[:, self.answer_id] - logits[:, self.wrong_id]
        values = values.detach().cpu().numpy()
        if not np.isfinite(values).all():
            raise NumericalError("patching: the model's output is not finite on these texts with these options")
        return values

    def restored(self, metric: np.ndarray) -> np.ndarray:
        """(m − m_corrupt) / (m_clean − m_corrupt), NaN where clean = corrupt."""
        span = self.metric_clean - self.metric_corrupt
        if span == 0:
            return np.full(np.shape(metric), np.nan)
        return (np.asarray(metric, dtype=np.float64) - self.metric_corrupt) / span


@dataclass(frozen=True)
class PatchSweep:
    """restored[l, ...]: the fraction of the clean metric one patch brings back (see the module's docstring)."""

    restored: np.ndarray  # float64: (L, N), (L, H) or (L, H, N) by `what`
    what: str
    direction: str
    metric: str
    method: str  # "exact" (a forward pass per patch) or "attribution" (the linear approximation)
    metric_clean: float
    metric_corrupt: float
    tokens_clean: list[str]
    tokens_corrupt: list[str]
    answer: str
    wrong: str | None
    model: str
    seconds: float

    @property
    def axes(self) -> tuple[str, ...]:
        return AXES[self.what]

    @property
    def layer_labels(self) -> list[str]:
        return [str(layer) for layer in range(self.restored.shape[0])]

    @property
    def head_labels(self) -> list[str] | None:
        return [str(head) for head in range(self.restored.shape[1])] if "head" in self.axes else None

    @property
    def position_labels(self) -> list[str] | None:
        """Each position's token, "clean/corrupt" where the texts differ."""
        if "position" not in self.axes:
            return None
        pairs = zip(self.tokens_clean, self.tokens_corrupt)
        return [a if a == b else f"{a}/{b}" for a, b in pairs]

    def ranked(self, n: int = 10) -> list[tuple]:
        """The n cells whose patch moves the metric most: (layer, index, restored); index is a head or a position,
        or a (head, position) pair for heads_by_position. Denoising ranks by |restored| (0: no effect), noising by
        |1 − restored| (1: the clean answer is untouched). NaN cells come last."""
        effect = self.restored if self.direction == "denoise" else 1.0 - self.restored
        magnitude = np.nan_to_num(np.abs(effect), nan=-1.0)
        order = np.argsort(-magnitude, axis=None, kind="stable")[:n]
        cells = []
        for flat in order:
            index = np.unravel_index(flat, self.restored.shape)
            rest = int(index[1]) if len(index) == 2 else (int(index[1]), int(index[2]))
            cells.append((int(index[0]), rest, float(self.restored[index])))
        return cells

    def to_dict(self) -> dict:
        """Plain values for JSON: restored as nested lists with NaN as None."""
        restored = np.where(np.isnan(self.restored), None, self.restored).tolist()
        return {
            "model": self.model,
            "what": self.what,
            "direction": self.direction,
            "method": self.method,
            "axes": list(self.axes),
            "metric": {"name": self.metric, "clean": self.metric_clean, "corrupt": self.metric_corrupt},
            "answer": self.answer,
            "wrong": self.wrong,
            "tokens": {"clean": self.tokens_clean, "corrupt": self.tokens_corrupt},
            "restored": restored,
            "seconds": self.seconds,
        }


def prepare(
    model: Model,
    clean: str,
    corrupt: str,
    answer: str | int,
    wrong: str | int | None = None,
    metric: str = "logit_diff",
    options: RunOptions | None = None,
) -> PatchSetup:
    """Run both texts once, keep what the sweeps patch, and measure the metric on each.

    answer, wrong: token ids, or text that is exactly one token (" Mary", with its leading space). wrong is
    needed for metric="logit_diff" (answer − wrong) and unused for metric="prob" (the answer's probability).
    """
    options = _checked_arguments(model, clean, corrupt, metric, options)
    ids_clean = model.tokenizer.encode([clean]).ids[0]
    ids_corrupt = model.tokenizer.encode([corrupt]).ids[0]
    tokens_clean, tokens_corrupt = model.tokenizer.labels(ids_clean), model.tokenizer.labels(ids_corrupt)
    if len(ids_clean) != len(ids_corrupt):
        raise ValueError(
            f"corrupt: the texts have different token lengths ({len(ids_clean)} clean, {len(ids_corrupt)} "
            f"corrupted); patching needs them equal. clean: {tokens_clean}; corrupted: {tokens_corrupt}"
        )
    answer_id = token_id(model, answer, "answer")
    wrong_id = None
    if metric == "logit_diff":
        if wrong is None:
            raise ValueError("wrong: the logit difference needs a wrong answer; give one, or use metric='prob'")
        wrong_id = token_id(model, wrong, "wrong")
        if wrong_id == answer_id:
            raise ValueError(f"wrong: {short_repr(wrong)} is the answer itself; the logit difference would be 0")
    setup = PatchSetup(
        model=model,
        options=options,
        ids_clean=ids_clean,
        ids_corrupt=ids_corrupt,
        tokens_clean=tokens_clean,
        tokens_corrupt=tokens_corrupt,
        answer_id=answer_id,
        answer=model.tokenizer.label_after(ids_clean, answer_id),
        wrong_id=wrong_id,
        wrong=None if wrong_id is None else model.tokenizer.label_after(ids_clean, wrong_id),
        metric=metric,
        metric_clean=float("nan"),
        metric_corrupt=float("nan"),
        top_predictions=[],
        top_ids=[],
    )
    _run_both(setup)
    return setup


def _checked_arguments(model: object, clean: object, corrupt: object, metric: object, options: object) -> RunOptions:
    """prepare's arguments checked before anything runs; the run options (the model's own for None)."""
    check_model("model", model)
    if not model.is_causal_lm:
        raise ValueError(
            f"model: {model.name} is an encoder ({model.config.architecture}); patching reads a causal language "
            "model's next-token prediction (a masked-token target for an encoder such as BERT is not supported)"
        )
    for name, text in (("clean", clean), ("corrupt", corrupt)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{name}: {short_repr(text)} is not a text; give a non-empty string")
    if metric not in METRICS:
        raise ValueError(f"metric: {short_repr(metric)} is not allowed; allowed: {', '.join(METRICS)}")
    if options is not None and not isinstance(options, RunOptions):
        raise ValueError(f"options: {short_repr(options)} is not a RunOptions; pass RunOptions(...) or None")
    return options or RunOptions()


def token_id(model: Model, value: object, name: str) -> int:
    """A token id from an id or from text that is exactly one token; ValueError naming the argument."""
    vocab = model.config.vocab_size
    if isinstance(value, str):
        ids = model.tokenizer.backend.encode(value, add_special_tokens=False).ids
        if len(ids) != 1:
            pieces = [model.tokenizer.label(i) for i in ids]
            raise ValueError(
                f"{name}: {short_repr(value)} is {len(ids)} tokens ({pieces}), not one; give a single token "
                "(mind the leading space: ' Paris') or a token id"
            )
        return ids[0]
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 0 <= value < vocab:
        raise ValueError(
            f"{name}: {short_repr(value)} is not a token; give a token id in 0..{vocab - 1} or one token's text"
        )
    return int(value)


def _run_both(setup: PatchSetup) -> None:
    """Both runs with their activations captured; the metric of each; ValueError if they do not differ."""
    from models.analysis.patching_runs import last_logits

    model = setup.model
    capture = [f"blocks.*.{point}" for point in CACHED]
    for which, ids in (("clean", setup.ids_clean), ("corrupt", setup.ids_corrupt)):
        run = model.run_ids([ids], options=setup.options, capture=capture)
        setup.cache[which] = {name: torch.from_numpy(run.activation(name)).to(model.device) for name in run.activations}
        if which == "clean":
            setup.top_predictions = run.next_tokens(TOP_PREDICTIONS)
            setup.top_ids = run.next_token_ids(TOP_PREDICTIONS)
    with torch.inference_mode():  # the metric as every patched run computes it: the same forward pass
        both = torch.tensor([setup.ids_clean, setup.ids_corrupt], device=model.device)
        setup.metric_clean, setup.metric_corrupt = (float(v) for v in setup.metric_of(last_logits(setup, both)))
    span = abs(setup.metric_clean - setup.metric_corrupt)
    if span <= SAME_METRIC * max(1.0, abs(setup.metric_clean)):
        raise ValueError(
            f"metric: the clean and corrupted texts give the same {setup.metric} ({setup.metric_clean:.6g}); "
            "there is nothing to restore. Corrupt the text so that the answer changes"
        )


def sweep(
    setup: PatchSetup,
    what: str,
    direction: str = "denoise",
    progress: Callable[[int, int], None] | None = None,
) -> PatchSweep:
    """Patch every cell of `what` (WHATS) in turn: restored per layer × position, head, or head × position.

    progress(done, total) is called as the patched runs finish; it may raise models.errors.Cancelled."""
    from models.analysis.patching_runs import patched_metrics

    what, direction = checked_sweep(setup, what, direction)
    if progress is not None and not callable(progress):
        raise ValueError(f"progress: {short_repr(progress)} is not callable; pass a function(done, total) or None")
    started = time.perf_counter()
    with torch.inference_mode():
        metrics = patched_metrics(setup, what, direction, progress)
    seconds = time.perf_counter() - started
    log.info("patching: %s sweep (%s) of %s in %.2f s", what, direction, setup.model.name, seconds)
    return result_of(setup, what, direction, setup.restored(metrics), "exact", seconds)


def patch(
    setup: PatchSetup,
    what: str,
    layer: int,
    positions: list[int] | None = None,
    heads: list[int] | None = None,
    direction: str = "denoise",
) -> float:
    """The restored fraction of one patch of any size: the given positions (default all) and, for heads and
    pattern, the given heads (default all) of `layer`, all at once. Patching nothing gives 0.0."""
    from models.analysis.patching_runs import patched_metric

    what, direction = checked_sweep(setup, what, direction)
    if isinstance(layer, bool) or not isinstance(layer, numbers.Integral) or not 0 <= layer < setup.n_layers:
        raise ValueError(f"layer: {short_repr(layer)} is not a layer; give 0..{setup.n_layers - 1}")
    positions = _indices("positions", positions, setup.n_tokens)
    heads = _indices("heads", heads, setup.n_heads)
    with torch.inference_mode():
        metric = patched_metric(setup, what, direction, int(layer), positions, heads)
    return float(setup.restored(np.array([metric]))[0])


def checked_sweep(setup: object, what: object, direction: object) -> tuple[str, str]:
    if not isinstance(setup, PatchSetup):
        raise ValueError(f"setup: {short_repr(setup)} is not a PatchSetup; pass prepare(...)")
    what = what.replace("-", "_") if isinstance(what, str) else what
    if what not in WHATS:
        raise ValueError(f"what: {short_repr(what)} is not allowed; allowed: {', '.join(WHATS)}")
    if direction not in DIRECTIONS:
        raise ValueError(f"direction: {short_repr(direction)} is not allowed; allowed: {', '.join(DIRECTIONS)}")
    return what, direction


def _indices(name: str, values: object, limit: int) -> list[int]:
    if values is None:
        return list(range(limit))
    if not isinstance(values, (list, tuple, range)):
        raise ValueError(f"{name}: {short_repr(values)} is not a list of indices")
    for value in values:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 0 <= value < limit:
            raise ValueError(f"{name}: {short_repr(value)} is out of range; give 0..{limit - 1}")
    return sorted({int(v) for v in values})


def result_of(setup: PatchSetup, what: str, direction: str, restored: np.ndarray, method: str, seconds: float):
    return PatchSweep(
        restored=np.asarray(restored, dtype=np.float64),
        what=what,
        direction=direction,
        metric=setup.metric,
        method=method,
        metric_clean=setup.metric_clean,
        metric_corrupt=setup.metric_corrupt,
        tokens_clean=setup.tokens_clean,
        tokens_corrupt=setup.tokens_corrupt,
        answer=setup.answer,
        wrong=setup.wrong,
        model=setup.model.name,
        seconds=seconds,
    )
