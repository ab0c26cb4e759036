"""What the Maps tool asks of a run, computed on the job thread: maps as float matrices plus display pixels.

Each function takes the engine's Run and returns numpy arrays; nothing here touches Qt. A norm-weighted map
(models.runtime.weighting, imported when first asked for: it needs torch) is shown with its rows renormalised,
so it reads on the same 0-to-1 scales as attention.
"""

from __future__ import annotations

import time

import numpy as np

from explorer.core.display import encode, visible_of
from explorer.core.lines import head_lines
from explorer.core.map_pixels import head_map
from explorer.core.summary_pixels import EXACT_UP_TO, needs_summary, summary_map
from explorer.core.thumbnails import bin_keys, bin_visible, sample_rows
from explorer.core.views import LinesResult, MapRequest, MapResult, OverviewResult

from ...i18n import tr
from ...jobs import Progress


def compute_map(run, request: MapRequest, job_id: int, run_id: int, ctx=None) -> MapResult:
    """One head, the layer's mean, or every head of the layer, as the view asks: cell by cell, or as block
    summaries at the screen's resolution when the map is too long for it (explorer.core.summary_pixels); those
    report their progress to ctx (the job's context, which stops them when a newer map is asked for)."""
    started = time.perf_counter()
    if request.region is not None or needs_summary(len(run.tokens[request.seq]), request.pixels):
        return summarised_map(run, request, job_id, run_id, started, ctx)
    if request.weighting != "attention":
        matrix, pixels = weighted_map(run, request)
    elif request.mode == "head":
        matrix, pixels = head_map(run, request.layer, request.head, request.seq, request.scale)
    else:
        if request.mode == "grid":
            matrix = run.layer_attention(request.layer, request.seq)  # (H, N, N)
        else:
            matrix = run.mean_attention(request.layer, request.seq)  # (N, N)
        pixels = encode(matrix, run.visible(request.seq), request.scale)
    elapsed = (time.perf_counter() - started) * 1000.0
    return MapResult(job_id, run_id, request, matrix, pixels, elapsed)


def compute_lines(run, request: MapRequest, job_id: int, run_id: int):
    """Every head of the layer as lines at or above request.threshold, read from each head's own map as the
    heatmap gets it (compute_map), so a line's weight is the cell's number. A generator job: progress per head."""
    started, heads, pairs = time.perf_counter(), [], 0
    for head in range(run.n_heads):
        one = MapRequest(request.layer, head, request.seq, "head", request.scale, request.weighting)
        shown = compute_map(run, one, job_id, run_id)  # matrix (N, N) float32, pixels (N, N) uint8
        visible = visible_of(shown.pixels)
        heads.append(head_lines(head, shown.matrix, visible, request.threshold))
        pairs = int(visible.sum())
        note = tr("lines: head {done}/{total}").format(done=head + 1, total=run.n_heads)
        yield Progress(head + 1, run.n_heads, note)
    elapsed = (time.perf_counter() - started) * 1000.0
    return LinesResult(job_id, run_id, request, tuple(heads), pairs, elapsed)


def summarised_map(run, request: MapRequest, job_id: int, run_id: int, started: float, ctx=None) -> MapResult:
    """A map too long to draw cell by cell, or a zoomed region of one, as block summaries (exact where they fit)."""
    if request.weighting != "attention":
        raise ValueError(
            tr("Norm weighting is drawn for texts of up to {limit} tokens; this one has {n}. Choose Attention.").format(
                limit=EXACT_UP_TO, n=len(run.tokens[request.seq])
            )
        )
    r, note = request, tr("drawing the map at the screen's resolution")
    progress = None if ctx is None else (lambda done, total: ctx.report(done, total, note))
    matrix, pixels, row_edges, col_edges = summary_map(
        run, r.layer, r.head, r.seq, r.mode, r.scale, r.pixels or EXACT_UP_TO, r.reduce, r.region, progress
    )
    elapsed = (time.perf_counter() - started) * 1000.0
    return MapResult(job_id, run_id, request, matrix, pixels, elapsed, row_edges, col_edges)


def weighted_map(run, request: MapRequest) -> tuple[np.ndarray, np.ndarray]:
    """(matrix, pixels) of a weighting other than attention itself, rows renormalised to sum to 1."""
    from models.runtime.weighting import weighted_attention_and_visibility, weighted_layer_attention

    weighting = {"weighting": request.weighting, "renormalize": True}
    if request.mode == "head":
        matrix, visible = weighted_attention_and_visibility(run, request.layer, request.head, request.seq, **weighting)
    else:
        matrix = weighted_layer_attention(run, request.layer, request.seq, **weighting)  # (H, N, N)
        visible = run.visible(request.seq)
        if request.mode == "mean":
            matrix = matrix.mean(axis=0)  # (N, N): each head's rows sum to 1, so the mean's do too
    return matrix, encode(matrix, visible, request.scale)


def overview_visible(run, seq: int, rows, size: int) -> np.ndarray:
    """bool (S, S): which key bins the sampled rows see; (L, S, S) when layers differ in their masks (Gemma 3's
    local layers see a band), each kind's bins computed once."""
    kinds = list(getattr(run, "layer_kinds", None) or [])
    if len(set(kinds)) <= 1:
        return bin_visible(run.visible(seq, rows=rows), size)
    by_kind = {}
    for layer, kind in enumerate(kinds):
        if kind not in by_kind:
            by_kind[kind] = bin_visible(run.visible(seq, layer, rows=rows), size)
    return np.stack([by_kind[kind] for kind in kinds])


def compute_overview(run, seq: int, size: int, run_id: int, job_id: int, weighting: str = "attention"):
    """Thumbnails of every layer × head: sampled query rows, key mass summed into bins (linear memory).

    A generator job: it yields progress after each layer, so it can be cancelled between layers.
    """
    n = len(run.tokens[seq])
    rows = sample_rows(n, size)
    visible = overview_visible(run, seq, rows, size)  # (S, S) or (L, S, S), never N × N: the same for every head
    thumbnails = np.zeros((run.n_layers, run.n_heads, len(rows), min(n, size)), dtype=np.float32)  # (L, H, S, S)
    for layer in range(run.n_layers):
        if weighting == "attention":
            for head in range(run.n_heads):
                thumbnails[layer, head] = bin_keys(run.attention_rows(layer, head, rows, seq), size)
        else:
            from models.runtime.weighting import weighted_layer_rows

            maps = weighted_layer_rows(run, layer, rows, seq, weighting, renormalize=True)  # (H, S, N)
            for head in range(run.n_heads):
                thumbnails[layer, head] = bin_keys(maps[head], size)
        note = tr("overview: layer {done}/{total}").format(done=layer + 1, total=run.n_layers)
        yield Progress(layer + 1, run.n_layers, note)
    return OverviewResult(job_id, run_id, seq, thumbnails, weighting, visible)
