"""Two variants of the same text: per-head KL(A‖B) and Jensen–Shannon divergence, the diff map B − A, both next tokens.

    from models.analysis import compare, diff_map
    result = compare(model, "The cat sat on the mat", a={"mask": "causal"}, b={"mask": "causal,window=8"})
    result.kl, result.js              # (L, H) float64, in nats, mean over the compared query rows
    result.infinite_rows              # (L, H) int: rows where KL(A‖B) is +inf
    diff_map(result.run_a, result.run_b, layer=3, head=1).diff   # float32 [N, N]: B − A

Divergences are in nats (natural logarithm) and compare each query row's attention distribution over the keys.
A query row is compared when it is a real token that sees at least one key in both runs; the grid values are
the mean over those rows. KL(A‖B) is +inf for a row where A gives weight to a key that B's mask hides: such a
row makes the head's mean +inf, and `infinite_rows` counts them, while `kl_finite` is the mean over the
remaining rows (NaN if none remain). A key B's mask lets the query see but whose float32 probability
underflowed to 0 (far below 1e-38: a low temperature does it) is not a mask's doing: there B's probability is
taken as the smallest float32, 1.4e-45, so the term is finite (a lower bound; A's weight there is tiny too, and
the term far below any shown precision). The Jensen–Shannon divergence, 0.5·KL(A‖M) + 0.5·KL(B‖M) with
M = (A + B)/2, is always finite, at most ln 2.

Variant B may come from another model, if its vocabulary is identical to A's: both runs then read the same
token ids, and heads are compared one to one, so both models need the same number of layers and heads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from models.analysis.arguments import check_model, check_run
from models.analysis.attention_rollout import check_seq
from models.options import RunOptions, short_repr

VISIBILITY_CELLS = 16 * 1024 * 1024  # booleans per chunk of the mask read for the compared rows
UNDERFLOW_FLOOR = float(np.finfo(np.float32).smallest_subnormal)  # 1.4e-45: B's probability where it underflowed

__all__ = ["Comparison", "HeadDiff", "compare", "compare_runs", "diff_map", "run_pair"]


@dataclass(frozen=True)
class Comparison:
    """Per-head divergences of run B's attention from run A's on the same token ids."""

    kl: np.ndarray  # (L, H) float64: mean KL(A‖B) over the compared rows, nats; +inf if any row is infinite
    js: np.ndarray  # (L, H) float64: mean Jensen–Shannon divergence over the compared rows, nats, in [0, ln 2]
    kl_rows: np.ndarray  # (L, H, N) float64: per query row; NaN for rows not compared
    js_rows: np.ndarray  # (L, H, N) float64: per query row; NaN for rows not compared
    infinite_rows: np.ndarray  # (L, H) int: compared rows where KL(A‖B) is +inf
    kl_finite: np.ndarray  # (L, H) float64: mean KL over the compared rows where it is finite; NaN if none
    compared: np.ndarray  # (N,) bool: the query rows compared
    tokens: list[str]
    ids: list[int]
    run_a: object  # models.Run of variant A (kept for diff_map; not in to_dict)
    run_b: object
    next_a: list[tuple[str, float]] | None  # top next tokens of A (causal LMs), else None
    next_b: list[tuple[str, float]] | None

    def to_dict(self) -> dict:
        """Plain values for JSON: +inf as the string "inf", NaN (rows not compared) as None."""
        return {
            "model_a": self.run_a.model_name,
            "model_b": self.run_b.model_name,
            "variant_a": self.run_a.options.describe(),
            "variant_b": self.run_b.options.describe(),
            "tokens": self.tokens,
            "ids": self.ids,
            "units": "nats",
            "compared_rows": [int(i) for i in np.flatnonzero(self.compared)],
            "kl": _plain(self.kl),
            "kl_infinite_rows": self.infinite_rows.tolist(),
            "kl_finite_rows_mean": _plain(self.kl_finite),
            "js": _plain(self.js),
            "next_tokens_a": _tokens(self.next_a),
            "next_tokens_b": _tokens(self.next_b),
        }


@dataclass(frozen=True)
class HeadDiff:
    """One head in both runs: A, B and B − A. A cell hidden in one run counts as 0 there."""

    layer: int
    head: int
    a: np.ndarray  # float32 [N, N]
    b: np.ndarray  # float32 [N, N]
    diff: np.ndarray  # float32 [N, N]: b − a
    visible_a: np.ndarray  # bool [N, N]
    visible_b: np.ndarray  # bool [N, N]

    @property
    def visible(self) -> np.ndarray:
        """bool [N, N]: cells either run lets its query see; hidden in both, the difference means nothing."""
        return self.visible_a | self.visible_b


def run_pair(
    model, text: str, a=None, b=None, model_b=None, progress: Callable[[int, int], None] | None = None
) -> tuple:
    """Run one text as variant A on model, and its token ids as variant B on model_b (default: the same model).

    a, b: RunOptions, a mapping of RunOptions' fields, or None (the model's own). progress(done, total) counts
    layers over both runs and may raise models.Cancelled.
    """
    if not isinstance(text, str):
        raise ValueError(f"text: {short_repr(text)} is not text; compare runs one text")
    check_model("model", model)
    model_b = model if model_b is None else check_model("model_b", model_b)
    check_same_vocabulary(model, model_b)
    options_a, options_b = _options("a", a), _options("b", b)
    total = model.config.n_layers + model_b.config.n_layers
    first = None if progress is None else (lambda done, _n: progress(done, total))
    run_a = model.run(text, options=options_a, progress=first)
    second = None if progress is None else (lambda done, _n: progress(model.config.n_layers + done, total))
    ids = [i for i, real in zip(run_a.ids[0], run_a.is_real[0]) if real]
    run_b = model_b.run_ids([ids], options=options_b, progress=second)
    return run_a, run_b


def compare(model, text: str, a=None, b=None, model_b=None, k: int = 5, progress=None) -> Comparison:
    """run_pair, then compare_runs: the whole comparison of one text in two variants."""
    run_a, run_b = run_pair(model, text, a, b, model_b)
    return compare_runs(run_a, run_b, k=k, progress=progress)


def compare_runs(run_a, run_b, seq: int = 0, k: int = 5, progress=None) -> Comparison:
    """Per-head KL and JS of two runs over the same token ids (sequence seq of each).

    progress(done, total): total the layers, done a float that also moves within a layer; it may raise
    models.Cancelled.

    Streamed: both runs' maps are read block by block in lockstep (Run.layer_blocks), so memory stays at one
    block of rows whatever the length (a full (H, N, N) layer is 1 GB at 8k tokens on Gemma 3, 17 GB at 32k).
    """
    ids = _check_pair(run_a, run_b, seq)
    seq = run_a.sequence_index(seq)
    compared = _rows_seeing_a_key(run_a, seq) & _rows_seeing_a_key(run_b, seq)  # (N,)
    n_layers, n_heads, n = run_a.n_layers, run_a.n_heads, len(compared)
    kl_rows = np.full((n_layers, n_heads, n), np.nan)
    js_rows = np.full((n_layers, n_heads, n), np.nan)
    for layer in range(n_layers):
        # progress(done, n_layers), done a float: a layer's share as its rows go (a global layer at 32k tokens
        # takes minutes, and a cancel arrives through progress)
        within = None if progress is None else (lambda share, layer=layer: progress(layer + share, n_layers))
        _layer_divergences(run_a, run_b, layer, seq, compared, kl_rows[layer], js_rows[layer], within)
        if progress is not None:
            progress(layer + 1, n_layers)
    infinite = np.isinf(kl_rows).sum(axis=-1)  # (L, H)
    finite_count = int(compared.sum()) - infinite  # (L, H)
    finite_sum = np.where(np.isfinite(kl_rows), kl_rows, 0.0).sum(axis=-1)  # NaN rows (not compared) add 0
    return Comparison(
        kl=_mean_or_nan(kl_rows[..., compared]),
        js=_mean_or_nan(js_rows[..., compared]),
        kl_rows=kl_rows,
        js_rows=js_rows,
        infinite_rows=infinite.astype(int),
        kl_finite=np.divide(finite_sum, finite_count, out=np.full(finite_sum.shape, np.nan), where=finite_count > 0),
        compared=compared,
        tokens=run_a.tokens[seq],
        ids=ids,
        run_a=run_a,
        run_b=run_b,
        next_a=_next_tokens(run_a, k, seq),
        next_b=_next_tokens(run_b, k, seq),
    )


def _layer_divergences(run_a, run_b, layer: int, seq: int, compared, kl_out, js_out, within=None) -> None:
    """Fill kl_out and js_out (H, N) with one layer's row divergences, block of rows by block of rows;
    within(share) after each sixteenth of the rows.

    Both runs have the same N and H, so their blocks cover the same rows; their key ranges may differ (another
    mask), and each block is laid into the union of the two, the keys outside a run's range being 0 there.
    """
    for (rows, keys_a, probs_a, _), (rows_b, keys_b, probs_b, seen_b) in zip(
        run_a.layer_blocks(layer, seq), run_b.layer_blocks(layer, seq), strict=True
    ):
        if (rows.start, rows.stop) != (rows_b.start, rows_b.stop):
            raise RuntimeError(f"layer {layer}: the runs' blocks cover rows {rows} and {rows_b}")  # never: same N, H
        chosen = compared[rows]  # (R,)
        if not chosen.any():
            continue
        lo, hi = min(keys_a.start, keys_b.start), max(keys_a.stop, keys_b.stop)
        a = _in_keys(probs_a.cpu().numpy()[:, chosen], keys_a, lo, hi)  # (H, R', K)
        b = _in_keys(probs_b.cpu().numpy()[:, chosen], keys_b, lo, hi)
        seen = _in_keys(seen_b.cpu().numpy()[None, chosen], keys_b, lo, hi)  # (1, R', K): B's mask, this layer's
        heads, count, width = a.shape
        kl, js = row_divergences(
            a.reshape(-1, width), b.reshape(-1, width), np.broadcast_to(seen, a.shape).reshape(-1, width)
        )
        where = np.arange(rows.start, rows.stop)[chosen]  # (R',)
        kl_out[:, where], js_out[:, where] = kl.reshape(heads, count), js.reshape(heads, count)
        n = len(compared)
        if within is not None and rows.stop < n and (16 * rows.stop) // n > (16 * rows.start) // n:
            within(rows.stop / n)


def _in_keys(block: np.ndarray, keys: slice, lo: int, hi: int) -> np.ndarray:
    """block (..., K) over keys, laid into keys lo..hi with zeros (False) outside its own range."""
    if (keys.start, keys.stop) == (lo, hi):
        return block
    out = np.zeros((*block.shape[:-1], hi - lo), dtype=block.dtype)
    out[..., keys.start - lo : keys.stop - lo] = block
    return out


def _rows_seeing_a_key(run, seq: int) -> np.ndarray:
    """bool (N,): real queries that see at least one key (attention_rollout.masked_rows' complement), read in
    chunks of rows so the N × N visibility is never held whole."""
    n = len(run.is_real[seq])
    sees = np.zeros(n, dtype=bool)
    step = max(1, VISIBILITY_CELLS // max(1, n))
    for start in range(0, n, step):
        rows = np.arange(start, min(n, start + step))
        sees[rows] = run.visible(seq, rows=rows).any(axis=1)
    return np.asarray(run.is_real[seq], dtype=bool) & sees


def row_divergences(a: np.ndarray, b: np.ndarray, seen_by_b: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """KL(A‖B) and JS(A, B) in nats for each row of two [R, N] arrays of distributions.

    seen_by_b: bool [R, N], the cells B's mask shows; a 0 there is float32 underflow, and KL reads it as
    UNDERFLOW_FLOOR (see the module's docstring). scipy's kl_div(p, q) = p·ln(p/q) − p + q is ≥ 0 cell by cell
    (0 where p = 0, +inf where p > 0 and q = 0), so rounding in rows that sum to 1 within float32 precision never
    makes a divergence negative.
    """
    from scipy.special import kl_div

    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    middle = 0.5 * (a + b)
    floored = b if seen_by_b is None else np.where(seen_by_b & (b == 0), UNDERFLOW_FLOOR, b)
    kl = kl_div(a, floored).sum(axis=-1)
    js = 0.5 * kl_div(a, middle).sum(axis=-1) + 0.5 * kl_div(b, middle).sum(axis=-1)
    return kl, js


def diff_map(run_a, run_b, layer: int, head: int, seq: int = 0) -> HeadDiff:
    """One head of both runs and B − A, float32 [N, N] each."""
    _check_pair(run_a, run_b, seq)
    a, visible_a = run_a.attention_and_visibility(layer, head, seq)
    b, visible_b = run_b.attention_and_visibility(layer, head, seq)
    return HeadDiff(int(layer), int(head), a, b, b - a, visible_a, visible_b)


def check_same_vocabulary(model_a, model_b) -> None:
    """ValueError unless both models map every token to the same id: then both runs read the same ids."""
    if model_a is model_b:
        return
    vocab_a = model_a.tokenizer.backend.get_vocab(with_added_tokens=True)
    vocab_b = model_b.tokenizer.backend.get_vocab(with_added_tokens=True)
    if vocab_a != vocab_b:
        differ = len(set(vocab_a.items()) ^ set(vocab_b.items()))
        raise ValueError(
            f"model_b: {model_b.name}'s vocabulary differs from {model_a.name}'s ({len(vocab_b)} and "
            f"{len(vocab_a)} tokens, {differ} entries differ); comparing two models needs the same tokenizer"
        )


def _check_pair(run_a, run_b, seq: int) -> list[int]:
    check_run("run_a", run_a), check_run("run_b", run_b)
    if (run_a.n_layers, run_a.n_heads) != (run_b.n_layers, run_b.n_heads):
        raise ValueError(
            f"run_b: {run_b.model_name} has {run_b.n_layers} layers × {run_b.n_heads} heads and {run_a.model_name} "
            f"{run_a.n_layers} × {run_a.n_heads}; heads are compared one to one, so the shapes must match"
        )
    seq = check_seq(run_b, check_seq(run_a, seq))  # a sequence of both runs
    if run_a.ids[seq] != run_b.ids[seq] or run_a.is_real[seq] != run_b.is_real[seq]:
        raise ValueError("run_b: the two runs read different token ids; run B on run A's ids (run_pair does)")
    return list(run_a.ids[seq])


def _options(name: str, value) -> RunOptions:
    if value is None:
        return RunOptions()
    if isinstance(value, RunOptions):
        return value.checked()
    if isinstance(value, Mapping):
        return RunOptions.from_dict(value)
    raise ValueError(f"{name}: {short_repr(value)} is not RunOptions, a mapping of run options or None")


def _next_tokens(run, k: int, seq: int) -> list[tuple[str, float]] | None:
    return run.next_tokens(k, seq) if run.owner.is_causal_lm else None  # an encoder predicts no next token


def _mean_or_nan(rows: np.ndarray) -> np.ndarray:
    """The mean over the last axis; NaN (not a warning) where it is empty: no row was compared."""
    if rows.shape[-1] == 0:
        return np.full(rows.shape[:-1], np.nan)
    return rows.mean(axis=-1)


def _plain(values: np.ndarray) -> list:
    """Nested lists with +inf as "inf" and NaN as None: JSON has neither."""
    flat = [None if np.isnan(v) else ("inf" if np.isinf(v) else float(v)) for v in np.ravel(values)]
    return np.array(flat, dtype=object).reshape(np.shape(values)).tolist()


def _tokens(top: list[tuple[str, float]] | None) -> list[dict] | None:
    return None if top is None else [{"token": token, "probability": p} for token, p in top]
