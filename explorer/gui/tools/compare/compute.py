"""What the Compare tool asks of the engine, on the job thread: both variants' runs, their divergences, one head.

The runs of A and B are kept in a PairCache between jobs (jobs run one at a time on one thread, so it needs no
lock), so showing another head costs two maps, not two runs. models and models.analysis are imported here,
inside the jobs: the window opens without torch. What leaves is plain data: numpy arrays and strings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.core.display import encode
from explorer.core.diverging import encode_diff, symmetric_limit
from explorer.core.summary_pixels import needs_summary, summary_map

from ...i18n import tr

NEXT_TOKENS = 5


@dataclass(frozen=True)
class HeadMaps:
    layer: int
    head: int
    a: np.ndarray  # float32 (N, N); (R, C) block maxima of a text too long for the screen
    b: np.ndarray
    pixels_a: np.ndarray  # uint8 (N, N) or (R, C), display.encode on the linear scale
    pixels_b: np.ndarray
    diff: np.ndarray | None  # float32 (N, N): b − a; None for a text too long for the screen (see `summary`)
    visible: np.ndarray | None  # bool (N, N): cells either run shows
    diff_pixels: np.ndarray | None  # uint8 (N, N) on the diverging table for [−limit, limit]
    limit: float  # max |b − a| over the cells shown (1 when all are 0); NaN without a diff
    # (row_edges, col_edges) when a and b are block maxima (explorer.core.summary_pixels), else None
    edges: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def summary(self) -> bool:
        return self.edges is not None


@dataclass(frozen=True)
class RegionMaps:
    """A zoomed region of A's or B's block-summary map: finer blocks, or its cells once they fit."""

    key: tuple
    layer: int
    head: int
    variant: int  # 0: A, 1: B
    values: np.ndarray  # float32 (R, C)
    pixels: np.ndarray  # uint8 (R, C)
    row_edges: np.ndarray
    col_edges: np.ndarray


@dataclass(frozen=True)
class CompareResult:
    key: tuple  # what was compared: (run id, seq, A, B, model B)
    model_a: str
    model_b: str
    tokens: list[str]
    kl: np.ndarray  # (L, H), +inf where B's mask hides a key A attends to
    js: np.ndarray  # (L, H)
    infinite_rows: np.ndarray  # (L, H) int
    kl_finite: np.ndarray  # (L, H): mean KL over the rows where it is finite; NaN if none
    compared_rows: int
    next_a: list[tuple[str, float]] | None
    next_b: list[tuple[str, float]] | None
    variant_a: dict  # the resolved options, as ResolvedOptions.describe
    variant_b: dict
    head: HeadMaps


class PairCache:
    """The last pair of runs and the second model, touched only on the job thread."""

    def __init__(self):
        self.key: tuple | None = None
        self.runs: tuple | None = None
        self.comparison = None  # models.analysis.Comparison of the runs: what Export Comparison… writes
        self.models: dict[str, object] = {}  # name -> models.Model, variant B's other model

    def model(self, name: str | None, run, ctx):
        if name is None or name == run.owner.name:
            return run.owner
        if name not in self.models:
            import models

            self.models.clear()  # one other model at a time: each costs its weights in memory
            report = lambda fraction, message: ctx.report(fraction, 1.0, message)  # noqa: E731
            self.models[name] = models.load(name, device=run.owner.device.type, progress=report)
        return self.models[name]


def compute_compare(run, cache: PairCache, key: tuple, options_a, options_b, model_b: str | None, where, ctx):
    """Run A and B on the run's sequence, compare every head, and return the head at where = (layer, head,
    pixels), pixels as head_maps takes them."""
    from models.analysis import compare_runs

    seq = key[1]
    other = cache.model(model_b, run, ctx)
    # Both variants run on the ids on screen (not the text again): they read exactly the tokens shown.
    ids = [i for i, real in zip(run.ids[seq], run.is_real[seq]) if real]
    runs = _run_ids_pair(run.owner, other, ids, options_a, options_b, ctx)
    cache.key, cache.runs, cache.comparison = key, runs, None

    def progress(done: int, total: int) -> None:
        layer = min(int(done) + 1, total)  # done moves within a layer too
        ctx.report(done, total, tr("comparing heads: layer {done}/{total}").format(done=layer, total=total))

    result = compare_runs(*runs, k=NEXT_TOKENS, progress=progress)
    cache.comparison = result
    return CompareResult(
        key,
        runs[0].model_name,
        runs[1].model_name,
        result.tokens,
        result.kl,
        result.js,
        result.infinite_rows,
        result.kl_finite,
        int(result.compared.sum()),
        result.next_a,
        result.next_b,
        runs[0].options.describe(),
        runs[1].options.describe(),
        head_maps(cache, key, *where, ctx=ctx),
    )


def _run_ids_pair(model, other, ids, options_a, options_b, ctx) -> tuple:
    from models.analysis.compare import check_same_vocabulary

    check_same_vocabulary(model, other)
    total = model.config.n_layers + other.config.n_layers

    def first(done, _n):
        ctx.report(done, total, tr("running A: layer {done}").format(done=done))

    def second(done, _n):
        ctx.report(model.config.n_layers + done, total, tr("running B: layer {done}").format(done=done))

    run_a = model.run_ids([ids], options=options_a, progress=first)
    run_b = other.run_ids([ids], options=options_b, progress=second)
    return run_a, run_b


def head_maps(cache: PairCache, key: tuple, layer: int, head: int, pixels: int = 0, ctx=None) -> HeadMaps | None:
    """One head of the cached pair; None if the cache now holds another comparison (a newer one overtook).

    pixels: the screen pixels along a map's side; a text longer than both them and EXACT_UP_TO gets A and B as
    block maxima at that resolution (never N × N: 4 GB a map at 32k tokens), and no B − A (a block's maximum of
    B less A's is not the maximum of B − A)."""
    from models.analysis import diff_map

    if cache.key != key or cache.runs is None:
        return None
    run_a = cache.runs[0]
    layer, head = min(layer, run_a.n_layers - 1), min(head, run_a.n_heads - 1)
    if needs_summary(len(run_a.tokens[0]), pixels):
        return _summary_head_maps(cache.runs, layer, head, pixels, ctx)
    maps = diff_map(*cache.runs, layer, head)
    limit = symmetric_limit(maps.diff, maps.visible)
    return HeadMaps(
        layer,
        head,
        maps.a,
        maps.b,
        encode(maps.a, maps.visible_a, "linear"),
        encode(maps.b, maps.visible_b, "linear"),
        maps.diff,
        maps.visible,
        encode_diff(maps.diff, maps.visible, limit),
        limit,
    )


def _summary_head_maps(runs, layer: int, head: int, pixels: int, ctx) -> HeadMaps:
    shown = []
    for variant, run in enumerate(runs):
        note = tr("drawing {variant} at the screen's resolution").format(variant="AB"[variant])
        progress = None if ctx is None else (lambda done, total, note=note: ctx.report(done, total, note))
        shown.append(summary_map(run, layer, head, 0, "head", "linear", pixels, "max", progress=progress))
    (a, pixels_a, row_edges, col_edges), (b, pixels_b, _, _) = shown
    return HeadMaps(layer, head, a, b, pixels_a, pixels_b, None, None, None, float("nan"), (row_edges, col_edges))


def region_maps(cache: PairCache, key: tuple, variant: int, layer: int, head: int, pixels: int, region, ctx):
    """A zoomed region of variant A's (0) or B's (1) map, as Maps zooms: finer blocks, or cells once they fit."""
    if cache.key != key or cache.runs is None:
        return None
    note = tr("drawing the map at the screen's resolution")
    progress = lambda done, total: ctx.report(done, total, note)  # noqa: E731
    values, encoded, row_edges, col_edges = summary_map(
        cache.runs[variant], layer, head, 0, "head", "linear", pixels, "max", region, progress
    )
    return RegionMaps(key, layer, head, variant, values, encoded, row_edges, col_edges)
