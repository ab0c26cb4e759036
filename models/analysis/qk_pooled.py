"""Query–key geometry pooled over many texts: AttentionViz's main use, one head's queries and keys from a corpus.

    from models.analysis.corpus_reading import read_corpus
    from models.analysis.qk_pooled import pooled_geometry
    texts = read_corpus("resources/corpus/sample.jsonl", limit=100)   # CorpusText items, or plain strings
    picture = pooled_geometry(model, texts, layer=4, head=2, points=2000)
    picture.sample_text()   # "2,000 of 9,312 vectors from 100 texts"
    picture.text_ids        # (P,) the text each point came from

The texts are run in batches of similar length (model.run, with the given options; alone when the padding mask
is off) and the head's post-RoPE queries and keys over each text's real tokens are gathered (head_vectors).
The whole pooled set is normalised with the same normalise() as one text: the key shift q̄ − k̄ and the factor
c are computed over every text's vectors and applied to all of them. Both are global to the head, so each
text's scores still change by a constant per row (the shift) and not at all (the scaling): every text's softmax
is unchanged. Then a seeded uniform sample without replacement keeps points // 2 queries and as many keys, and
project() places them (PCA, t-SNE or UMAP), as for one text.
"""

from __future__ import annotations

import logging
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from models.analysis.qk_geometry import (
    DEFAULT_NEIGHBOURS,
    DEFAULT_PERPLEXITY,
    Normalised,
    QKGeometry,
    check_projection,
    check_settings,
    normalise,
    project,
)
from models.checks import short_repr

logger = logging.getLogger(__name__)

DEFAULT_POINTS = 2000


@dataclass(frozen=True)
class PooledQKGeometry(QKGeometry):
    """A QKGeometry whose points come from many texts: the sampled queries first, then the sampled keys.

    positions are each point's index among its own text's real tokens; normalised holds the sampled vectors,
    normalised with the shift and factor of the whole pooled set."""

    text_ids: list[str]  # (P,) the id of the text each point came from
    n_texts: int  # texts pooled
    n_vectors: int  # queries and keys gathered from them, before sampling
    seed: int
    options: dict  # the runs' resolved options, described (Run.options.describe())

    def sample_text(self) -> str:
        """'2,000 of 48,312 vectors from 200 texts'."""
        return f"{len(self.kinds):,} of {self.n_vectors:,} vectors from {self.n_texts:,} texts"

    def to_dict(self) -> dict:
        """As QKGeometry.to_dict(), each point with its text_id, and the sample stated."""
        data = super().to_dict()
        for entry, text_id in zip(data["points"], self.text_ids):
            entry["text_id"] = text_id
        data["sample"] = {"points": len(self.kinds), "vectors": self.n_vectors, "texts": self.n_texts,
                          "seed": self.seed, "text": self.sample_text()}  # fmt: skip
        return data


@dataclass(frozen=True)
class _Gathered:
    queries: np.ndarray  # float32 (T, d): every text's real-token queries, text after text
    keys: np.ndarray  # float32 (T, d): the keys of the same tokens
    text_index: np.ndarray  # int (T,): which text each token is in
    positions: np.ndarray  # int (T,): its index among that text's real tokens
    tokens: list[str]  # (T,)
    kv_head: int
    options: dict  # the runs' resolved options, described


def checked_texts(texts: object, ids: object = None) -> tuple[list[str], list[str]]:
    """The texts as strings and their ids: CorpusText items keep theirs, strings are numbered from 1."""
    if isinstance(texts, str) or not isinstance(texts, Sequence) or not texts:
        raise ValueError(f"texts: {short_repr(texts)} must be a non-empty list of texts")
    strings, own_ids = [], []
    for number, item in enumerate(texts, start=1):
        text = getattr(item, "text", item)
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"texts: item {number} ({short_repr(item)}) is not a non-blank string")
        strings.append(text)
        own_ids.append(str(getattr(item, "id", number)))
    if ids is not None:
        if isinstance(ids, str) or not isinstance(ids, Sequence) or len(ids) != len(strings):
            raise ValueError(f"ids: {short_repr(ids)} must be a list of {len(strings)} ids, one per text")
        own_ids = [str(text_id) for text_id in ids]
    return strings, own_ids


def checked_points(points: object) -> int:
    if isinstance(points, bool) or not isinstance(points, numbers.Integral) or points < 2:
        raise ValueError(f"points: {short_repr(points)} must be an integer >= 2 (half queries, half keys)")
    return int(points)


def _checked_head(model, layer: object, head: object) -> tuple[int, int]:
    from models.analysis.head_vectors import checked_index

    config = model.config
    return (checked_index("layer", layer, config.n_layers, "this model's layers are"),
            checked_index("head", head, config.n_heads, "this model's heads are"))  # fmt: skip


BATCH_CHARACTERS = 4096  # texts run together, sorted by length, up to this many characters × texts per batch


def _batches(texts: list[str], options) -> list[list[int]]:
    """Which texts run together. Padding changes nothing a real token sees only while the padding mask is on;
    with it off, each text runs alone (as the user asked pads be attended to, a batch would change the maps)."""
    if options is not None and not options.padding_mask:
        return [[number] for number in range(len(texts))]
    from models.analysis.corpus_reading import pack_by_length

    return pack_by_length([len(text) for text in texts], BATCH_CHARACTERS)


def gather(model, texts: list[str], ids: list[str], layer: int, head: int, options=None, progress=None) -> _Gathered:
    """Run the texts (batched by length) and keep the head's queries and keys over each text's real tokens, in
    text order whatever the batches; progress(texts done, len(texts) + 1) after each batch."""
    from models.analysis.head_vectors import head_vectors

    per_text: list = [None] * len(texts)
    kv_head, described, done = 0, {}, 0
    for batch in _batches(texts, options):
        try:
            run = model.run([texts[number] for number in batch], options=options)
        except ValueError as error:
            named = ", ".join(ids[number] for number in batch[:5]) + (", …" if len(batch) > 5 else "")
            raise ValueError(f"texts: text {named}: {error}") from None
        for seq, number in enumerate(batch):
            per_text[number] = head_vectors(run, layer, head, seq)
        kv_head, described = per_text[batch[0]].kv_head, run.options.describe()
        done += len(batch)
        if progress is not None:
            progress(done, len(texts) + 1)
    lengths = [len(vectors.tokens) for vectors in per_text]
    return _Gathered(
        queries=np.concatenate([vectors.queries for vectors in per_text]),
        keys=np.concatenate([vectors.keys for vectors in per_text]),
        text_index=np.repeat(np.arange(len(texts)), lengths),
        positions=np.concatenate([np.arange(n) for n in lengths]),
        tokens=[token for vectors in per_text for token in vectors.tokens],
        kv_head=kv_head,
        options=described,
    )


def sample(n_tokens: int, points: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Seeded uniform samples without replacement: which tokens' queries, and which tokens' keys, are kept
    (points // 2 of each, or all of them when there are fewer), each in pooled order."""
    rng = np.random.default_rng(seed)
    size = min(points // 2, n_tokens)
    chosen = [np.sort(rng.choice(n_tokens, size=size, replace=False)) for _ in ("query", "key")]
    return chosen[0], chosen[1]


def pooled_geometry(
    model,
    texts: Sequence,
    layer: int,
    head: int,
    method: str = "pca",
    points: int = DEFAULT_POINTS,
    seed: int = 0,
    options=None,
    ids: Sequence | None = None,
    perplexity: float = DEFAULT_PERPLEXITY,
    neighbours: int = DEFAULT_NEIGHBOURS,
    progress: Callable[[int, int], None] | None = None,
    fit_with: Callable[[Callable[[], np.ndarray]], np.ndarray] | None = None,
) -> PooledQKGeometry:
    """One head's queries and keys over many texts, normalised over the pooled set, sampled to `points`, projected.

    texts: strings (numbered from 1) or CorpusText items (read_corpus; their ids are kept); ids overrides them.
    progress(done, total) is called after each batch of texts and after the projection (total = texts + 1); it
    may raise (Cancelled) to stop. fit_with(fit) runs the projection, as in head_geometry."""
    from models.analysis.arguments import check_model

    model = check_model("model", model)
    method = check_settings(method, perplexity, neighbours)
    strings, text_ids = checked_texts(texts, ids)
    points = checked_points(points)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed: {short_repr(seed)} must be an integer >= 0")
    layer, head = _checked_head(model, layer, head)
    pooled = gather(model, strings, text_ids, layer, head, options, progress)
    n_tokens = len(pooled.tokens)
    kept_q, kept_k = sample(n_tokens, points, int(seed))
    check_projection(method, 2 * len(kept_q), perplexity, neighbours)
    everything = normalise(pooled.queries, pooled.keys)  # the shift and factor of the whole pooled set
    normalised = Normalised(everything.queries[kept_q], everything.keys[kept_k], everything.shift, everything.factor)
    stacked = np.concatenate([normalised.queries, normalised.keys])  # (P, d)
    fit = lambda: project(stacked, method, int(seed), perplexity, neighbours)  # noqa: E731
    coords = fit() if fit_with is None else fit_with(fit)
    if progress is not None:
        progress(len(strings) + 1, len(strings) + 1)
    kept = np.concatenate([kept_q, kept_k])
    logger.info("pooled %d of %d vectors of layer %d head %d from %d texts", len(kept), 2 * n_tokens, layer, head,
                len(strings))  # fmt: skip
    return PooledQKGeometry(
        layer=layer, head=head, kv_head=pooled.kv_head, method=method, coords=coords,
        kinds=["query"] * len(kept_q) + ["key"] * len(kept_k), positions=pooled.positions[kept],
        tokens=[pooled.tokens[i] for i in kept], normalised=normalised,
        text_ids=[text_ids[i] for i in pooled.text_index[kept]], n_texts=len(strings), n_vectors=2 * n_tokens,
        seed=int(seed), options=pooled.options,
    )  # fmt: skip
