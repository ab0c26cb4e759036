"""What the Query–Key tool asks of a run, on the job thread: one query's neuron view, one head's QK scatter.

Each function takes the engine's Run and a JobContext (whose report raises when the job is cancelled or
overtaken) and returns plain data. models.analysis is imported here, inside the jobs: the window opens without
torch. scikit-learn's t-SNE and umap-learn's UMAP take no callback, so their fit is one step between two reports:
Cancel drops its result as soon as it returns, and stops a job that has not reached the fit yet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...i18n import tr
from ...widgets.neuron_strips import NeuronTerms


@dataclass(frozen=True)
class NeuronResult:
    run_id: int
    seq: int
    layer: int
    head: int
    kv_head: int
    asked: int  # the query as the state says it: -1 for the last token
    terms: NeuronTerms


@dataclass(frozen=True)
class ScatterResult:
    run_id: int
    seq: int
    layer: int
    head: int
    method: str
    points: dict  # QKGeometry.to_dict(): layer, head, kv_head, method, normalisation, points
    coords: np.ndarray  # (2N, 2)
    kinds: list[str]
    positions: np.ndarray  # int (2N,): each point's token index in the run's sequence (pads counted)
    tokens: list[str]


def compute_neuron(run, seq: int, run_id: int, layer: int, head: int, query: int, ctx) -> NeuronResult:
    from models.analysis import query_key_terms

    ctx.report(0, 1, tr("neuron view: layer {layer} head {head}").format(layer=layer, head=head))
    view = query_key_terms(run, layer, head, query, seq)
    fields = ("q", "keys", "products", "dots", "scale", "scaled", "bias", "scores", "visible", "probabilities")
    terms = NeuronTerms(tokens=view.tokens, query=view.query, **{name: getattr(view, name) for name in fields})
    return NeuronResult(run_id, seq, view.layer, view.head, view.kv_head, query, terms)


def compute_scatter(run, seq: int, run_id: int, layer: int, head: int, method: str, ctx) -> ScatterResult:
    from models.analysis import head_geometry

    names = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP"}

    def progress(done: int, total: int) -> None:
        ctx.report(done, total, tr("query–key scatter: {method}").format(method=names[method]))

    picture = head_geometry(run, layer, head, method=method, seq=seq, progress=progress)
    real = np.flatnonzero(np.asarray(run.is_real[seq], dtype=bool))  # the run's index of each real token
    return ScatterResult(
        run_id, seq, picture.layer, picture.head, method, picture.to_dict(), picture.coords, picture.kinds,
        real[picture.positions], picture.tokens,
    )  # fmt: skip
