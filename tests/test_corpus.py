"""The corpus job (models/analysis/corpus_*.py) on a generated corpus, against per-text head_scores and numpy.

The corpus mixes random texts with texts that repeat a segment (where induction heads fire). The tiny random
llama stands in for a real model: what is checked holds for any model.
"""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
from scipy.stats import t as student_t

from explorer.export.atomic import write_atomic
from models.analysis import head_scores
from models.analysis.corpus_job import CorpusJob, CorpusSettings
from models.analysis.corpus_output import summary_dict
from models.analysis.corpus_reading import pack_by_length, read_corpus, tokenize
from models.analysis.corpus_shards import ShardError, encode_shard, read_shard, shard_name
from models.analysis.scores import SCORE_NAMES

WORDS = "the cat sat on a mat while dog ran far away and came back home to eat red blue green".split()


def write_corpus(path, n=36, seed=0):
    """n texts as JSONL: every third repeats a random segment twice, the others are random words."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        for index in range(n):
            if index % 3 == 0:
                segment = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 10)))
                text = f"{segment} {segment}"
            else:
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 24)))
            handle.write(json.dumps({"id": f"t{index}", "text": text}) + "\n")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus") / "corpus.jsonl")


@pytest.fixture(scope="module")
def reference(tiny_causal_lm, corpus):
    """Per-text head_scores, each text run alone: float (T, S, L, H)."""
    texts = read_corpus(corpus)
    sequences = tokenize(tiny_causal_lm, texts, tiny_causal_lm.config.n_ctx)
    scores = [head_scores(tiny_causal_lm.run_ids([ids])) for ids in sequences]
    return np.stack([np.stack([one[name] for name in SCORE_NAMES]) for one in scores]), sequences


def run_job(model, corpus, out, **settings):
    job = CorpusJob(model, corpus, out, CorpusSettings(**{"shard_texts": 8, "top_k": 4, **settings}))
    return job, job.run(write_atomic)


def test_alone_each_text_gives_exactly_head_scores_and_the_statistics_equal_numpy(tiny_causal_lm, corpus, reference,
                                                                                 tmp_path):  # fmt: skip
    values, sequences = reference
    job, result = run_job(tiny_causal_lm, corpus, tmp_path / "out", batch_tokens=1)  # a batch per text
    summary = result.summary()
    assert result.n_texts == len(sequences) and result.n_tokens == sum(map(len, sequences))
    for s, name in enumerate(SCORE_NAMES):
        per_text = values[:, s]  # (T, L, H)
        defined = ~np.isnan(per_text)
        count = defined.sum(axis=0)
        assert np.array_equal(summary[name]["count"], count)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = (
                np.nanmean(np.where(defined, per_text, np.nan), axis=0)
                if defined.any()
                else np.full(count.shape, np.nan)
            )
            std = np.array([[np.std(per_text[defined[:, i, h], i, h], ddof=1) if count[i, h] > 1 else np.nan
                             for h in range(count.shape[1])] for i in range(count.shape[0])])  # fmt: skip
            half = student_t.ppf(0.975, np.maximum(count - 1, 1)) * std / np.sqrt(count)
        np.testing.assert_allclose(summary[name]["mean"], mean, rtol=0, atol=1e-9, equal_nan=True)
        np.testing.assert_allclose(summary[name]["std"], std, rtol=1e-7, atol=1e-9, equal_nan=True)
        np.testing.assert_allclose(summary[name]["ci_low"], mean - half, rtol=1e-7, atol=1e-9, equal_nan=True)
        np.testing.assert_allclose(summary[name]["ci_high"], mean + half, rtol=1e-7, atol=1e-9, equal_nan=True)
        edges = result.edges[name]
        for layer, head in np.ndindex(*count.shape):
            kept = np.clip(per_text[defined[:, layer, head], layer, head], edges[0], edges[-1])
            assert np.array_equal(result.bins[s, layer, head], np.histogram(kept, bins=edges)[0]), (name, layer, head)
            order = sorted(np.nonzero(defined[:, layer, head])[0], key=lambda i: (-per_text[i, layer, head], i))
            top = result.top_examples(s, layer, head)
            assert [example["index"] for example in top] == order[:4]
            assert [example["text_id"] for example in top] == [f"t{i}" for i in order[:4]]


def test_each_top_example_names_the_query_where_the_head_does_it_most(tiny_causal_lm, corpus, reference, tmp_path):
    _, sequences = reference
    _, result = run_job(tiny_causal_lm, corpus, tmp_path / "out", scores=("previous_token", "prefix_matching"))
    for s, layer, head in [(0, 0, 1), (0, 1, 6), (1, 0, 3), (1, 1, 5)]:
        example = result.top_examples(s, layer, head)[0]
        ids = np.array(sequences[example["index"]])
        attention = tiny_causal_lm.run_ids([ids.tolist()]).attention(layer, head)  # (N, N)
        n = len(ids)
        if s == 0:  # A[i, i−1] for i ≥ 1
            rows = {i: attention[i, i - 1] for i in range(1, n)}
        else:  # Σ over keys k ≥ 1 with ids[k−1] = ids[i], k ≤ i, for the i that have any
            rows = {}
            for i in range(n):
                keys = [k for k in range(1, i + 1) if ids[k - 1] == ids[i]]
                if keys:
                    rows[i] = attention[i, keys].sum()
        best = max(rows, key=lambda i: (rows[i], -i))
        assert example["position"] == best
        assert example["value"] == pytest.approx(np.mean(list(rows.values())), abs=1e-6)


def test_packed_batches_give_every_heads_mean_within_1e_6_of_per_text_head_scores(tiny_causal_lm, corpus, reference,
                                                                                   tmp_path):  # fmt: skip
    values, sequences = reference
    lengths = [len(ids) for ids in sequences]
    assert max(map(len, pack_by_length(lengths, 300))) > 3  # the job below really packs several texts per batch
    _, result = run_job(tiny_causal_lm, corpus, tmp_path / "out", batch_tokens=300)
    summary = result.summary()
    for s, name in enumerate(SCORE_NAMES):
        with (
            np.errstate(invalid="ignore"),
            pytest.warns(RuntimeWarning) if np.isnan(values[:, s]).all(0).any() else _nothing(),
        ):
            mean = np.nanmean(values[:, s], axis=0)
        np.testing.assert_allclose(summary[name]["mean"], mean, rtol=1e-6, atol=1e-6, equal_nan=True)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False


def test_partials_merge_in_any_order_to_the_same_result(tiny_causal_lm, corpus, tmp_path):
    job, whole = run_job(tiny_causal_lm, corpus, tmp_path / "out")
    shards = [read_shard(tmp_path / "out" / shard_name(n), job.fingerprint, job.empty_partial())[0] for n in range(5)]
    orders = [(0, 1, 2, 3, 4), (4, 2, 0, 3, 1), (3, 4, 1, 0, 2)]
    results = []
    for order in orders:
        merged = job.empty_partial()
        for number in order:
            merged.merge(shards[number])
        results.append(merged)
    tree = job.empty_partial().merge(shards[3].merge(shards[4]))  # (3 + 4) first, then the rest onto it
    for number in (1, 0, 2):
        tree.merge(shards[number])
    for result in [*results, tree]:
        assert json.dumps(summary_dict(result, job.fingerprint)) == json.dumps(summary_dict(whole, job.fingerprint))
        for name in ("count", "bins", "top_value", "top_index", "top_position"):
            assert np.array_equal(getattr(result, name), getattr(whole, name))
        assert (result.total == whole.total).all() and (result.squares == whole.squares).all()


def test_an_interrupted_job_resumes_without_counting_a_text_twice(tiny_causal_lm, corpus, tmp_path):
    job, whole = run_job(tiny_causal_lm, corpus, tmp_path / "whole")
    written = []

    def interrupt_at_the_third_shard(path, data):
        if path.name.startswith("shard-") and len(written) == 2:
            raise KeyboardInterrupt
        write_atomic(path, data)
        if path.name.startswith("shard-"):
            written.append(path.name)

    stopped = CorpusJob(tiny_causal_lm, corpus, tmp_path / "out", job.settings)
    with pytest.raises(KeyboardInterrupt):
        stopped.run(interrupt_at_the_third_shard)
    assert sorted(p.name for p in (tmp_path / "out").glob("shard-*")) == [shard_name(0), shard_name(1)]
    assert not list((tmp_path / "out").glob(".*part"))  # the shard in flight left nothing behind
    resumed = CorpusJob(tiny_causal_lm, corpus, tmp_path / "out", job.settings).run(write_atomic)
    assert resumed.n_texts == whole.n_texts == 36
    assert json.dumps(summary_dict(resumed, job.fingerprint)) == json.dumps(summary_dict(whole, job.fingerprint))


def test_foreign_and_corrupt_shards_are_refused_by_name(tiny_causal_lm, corpus, tmp_path):
    job, _ = run_job(tiny_causal_lm, corpus, tmp_path / "out")
    (tmp_path / "out" / shard_name(1)).write_bytes(b"PAR1 not really")
    with pytest.raises(ShardError, match=r"shard-00001\.parquet: not a readable corpus shard"):
        CorpusJob(tiny_causal_lm, corpus, tmp_path / "out", job.settings).run(write_atomic)
    # a shard stamped by another model, dropped into a folder with no job file
    foreign = dict(job.fingerprint, model="another-model", layers=12)
    (tmp_path / "other").mkdir()
    write_atomic(tmp_path / "other" / shard_name(0), encode_shard(job.empty_partial(), foreign, (0, 8)))
    with pytest.raises(
        ShardError, match=r"shard-00000\.parquet: belongs to another job \(layers=12, model='another-model'\)"
    ):
        CorpusJob(tiny_causal_lm, corpus, tmp_path / "other", job.settings).run(write_atomic)


def test_bad_corpora_get_clear_messages(tiny_causal_lm, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n\n", encoding="utf-8")
    with pytest.raises(ValueError, match="holds no text to analyse"):
        read_corpus(empty)
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "fine"}\n{"text": oops}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.jsonl line 2 is not JSON"):
        read_corpus(broken)
    twice = tmp_path / "twice.jsonl"
    twice.write_text('{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="the id 'a' is used twice"):
        read_corpus(twice)
    long = tmp_path / "long.txt"
    long.write_text("short one\n" + "word " * 50 + "\n", encoding="utf-8")
    warnings = []
    sequences = tokenize(tiny_causal_lm, read_corpus(long), 16, warnings.append)
    assert [len(ids) for ids in sequences][1] == 16
    assert len(warnings) == 1 and warnings[0].startswith("text 2: ") and "truncated to 16" in warnings[0]
