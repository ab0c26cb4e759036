"""What the Query–Key tool asks of a run, on the job thread: one query's neuron view, one head's QK scatter.

Each function takes the engine's Run and a JobContext (whose report raises when the job is cancelled or
overtaken) and returns plain data. models.analysis is imported here, inside the jobs: the window opens without
torch. scikit-learn's t-SNE and umap-learn's UMAP take no callback, so their fit runs on a thread of its own
(fit_beside) while the job waits for it, reporting the seconds spent and checking for Cancel: a cancelled job ends
at once, and the abandoned fit finishes in the background with its result dropped. compute_pooled pools the head
over a corpus's texts instead (models/analysis/qk_pooled.py), reporting after each text.
"""

from __future__ import annotations

import threading
import time
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
    pool: tuple | None = None  # pooled over a corpus: (path, points, texts), as PoolRequest.key() says it
    text_ids: list[str] | None = None  # pooled: the text each point came from
    sample: str = ""  # pooled: "2,000 of 48,312 vectors from 200 texts", in the window's language


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

    message = tr("query–key scatter: {method}, {seconds} s").format
    fit_with = lambda fit: fit_beside(fit, ctx, lambda seconds: message(method=names[method], seconds=seconds))  # noqa: E731
    picture = head_geometry(run, layer, head, method=method, seq=seq, progress=progress, fit_with=fit_with)
    real = np.flatnonzero(np.asarray(run.is_real[seq], dtype=bool))  # the run's index of each real token
    return ScatterResult(
        run_id, seq, picture.layer, picture.head, method, picture.to_dict(), picture.coords, picture.kinds,
        real[picture.positions], picture.tokens,
    )  # fmt: skip


def sample_text(points: int, vectors: int, texts: int) -> str:
    return tr("{points} of {vectors} vectors from {texts} texts").format(
        points=f"{points:,}", vectors=f"{vectors:,}", texts=f"{texts:,}")  # fmt: skip


def compute_pooled(run, run_id: int, layer: int, head: int, method: str, pool: tuple, ctx) -> ScatterResult:
    """The head's queries and keys pooled over a corpus's texts, run with the current run's model and options.

    pool: (path, points, texts: 0 for all, then what the tool keys it by). ctx.report after each text raises
    when the job is cancelled."""
    from models.analysis.corpus_reading import read_corpus
    from models.analysis.qk_pooled import pooled_geometry

    path, points, limit = pool[:3]
    ctx.report(0, 1, tr("reading {path}").format(path=path))
    texts = read_corpus(path, limit=limit or None)
    names = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP"}

    def progress(done: int, total: int) -> None:
        ctx.report(done, total, tr("pooling over the corpus: text {done} of {total}").format(
            done=min(done, total - 1), total=total - 1))  # fmt: skip

    message = tr("query–key scatter: {method}, {seconds} s").format
    fit_with = lambda fit: fit_beside(fit, ctx, lambda seconds: message(method=names[method], seconds=seconds))  # noqa: E731
    picture = pooled_geometry(run.owner, texts, layer, head, method=method, points=points,
                              options=run.options.as_run_options(), progress=progress, fit_with=fit_with)  # fmt: skip
    return ScatterResult(
        run_id, 0, picture.layer, picture.head, method, picture.to_dict(), picture.coords, picture.kinds,
        picture.positions, picture.tokens, pool, picture.text_ids,
        sample_text(len(picture.kinds), picture.n_vectors, picture.n_texts),
    )  # fmt: skip


POLL_SECONDS, REPORT_SECONDS = 0.05, 0.5


def fit_beside(fit, ctx, message) -> np.ndarray:
    """fit() on a thread of its own while the job waits, checking for Cancel every POLL_SECONDS and reporting
    message(seconds) every REPORT_SECONDS; Cancelled is raised as soon as the job is cancelled or overtaken."""
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["coords"] = fit()
        except BaseException as error:  # noqa: BLE001 - handed to the job, which reports it
            outcome["error"] = error

    thread = threading.Thread(target=target, name="qk-projection", daemon=True)
    start = last_report = time.monotonic()
    thread.start()
    while thread.is_alive():
        thread.join(POLL_SECONDS)
        ctx.check()
        now = time.monotonic()
        if now - last_report >= REPORT_SECONDS:
            ctx.report(1, 3, message(int(now - start)))
            last_report = now
    if "error" in outcome:
        raise outcome["error"]
    return outcome["coords"]
