"""The corpus job on a local Ray cluster (2 CPUs, 2 actors) gives exactly the in-process result, shard for shard."""

from __future__ import annotations

import json

import pytest
from test_corpus import write_corpus

from explorer.export.atomic import write_atomic
from models.analysis.corpus_job import CorpusJob, CorpusSettings
from models.analysis.corpus_output import summary_dict

ray = pytest.importorskip("ray", reason="Ray is the optional extra '.[ray]', which make installs")


@pytest.mark.slow  # starts a Ray cluster and two worker processes that import torch
def test_a_local_ray_cluster_gives_exactly_the_in_process_result(tiny_causal_lm, tmp_path):
    import torch

    from models.analysis.corpus_ray import RayCluster

    corpus = write_corpus(tmp_path / "corpus.jsonl", n=40, seed=2)
    settings = CorpusSettings(shard_texts=10, top_k=3, batch_tokens=128)
    local = CorpusJob(tiny_causal_lm, corpus, tmp_path / "local", settings)
    expected = local.run(write_atomic)
    threads = torch.get_num_threads()  # the same arithmetic on both sides: the actors use this process's threads
    cluster = RayCluster("local", workers=2, threads=threads)
    remote = CorpusJob(tiny_causal_lm, corpus, tmp_path / "ray", settings)
    try:
        result = cluster.run(remote, tiny_causal_lm.source.path, "cpu", write_atomic)
    finally:
        cluster.shutdown()
    assert not ray.is_initialized()
    assert result.n_texts == 40
    assert json.dumps(summary_dict(result, remote.fingerprint)) == json.dumps(summary_dict(expected, local.fingerprint))
    for shard in sorted((tmp_path / "local").glob("shard-*.parquet")):
        assert (tmp_path / "ray" / shard.name).read_bytes() == shard.read_bytes(), shard.name
