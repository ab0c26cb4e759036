"""The corpus job on Ray: actors that load the model once each and compute whole shards, the driver writes them.

Ray is an optional extra (`pip install ".[ray]"`). The driver keeps the job's plan, its folder and its
resume rules (corpus_job.py); each actor receives a shard's texts as plain strings and returns the shard's
Parquet bytes, which the driver checks like any shard on disk and writes through the atomic writer. The bytes
are those the in-process job would write for that shard, so the two runs give the same result.

An unreachable address is refused before anything is loaded: a plain TCP connection is tried first, because
ray.init on a dead address waits for a long time before it fails.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from pathlib import Path

from models.analysis.corpus_job import (
    CorpusJob,
    CorpusSettings,
    ProgressTracker,
    compute_partial,
    empty_partial,
    merge_in_order,
)
from models.analysis.corpus_reading import CorpusText
from models.analysis.corpus_shards import encode_shard, read_shard, shard_name

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
DEFAULT_PORT = 6379  # a Ray head's GCS port
CLIENT_PORT = 10001  # ray:// addresses: the Ray Client server


class CorpusWorker:
    """One Ray actor: loads the model once, then computes shards. Plain data in, Parquet bytes out."""

    def __init__(self, model_name: str, device: str, settings: dict, threads: int | None):
        import torch

        import models

        if threads is not None:
            torch.set_num_threads(threads)
        self.model = models.load(model_name, device=device)
        self.settings = CorpusSettings.from_dict(settings)

    def shard(self, texts: list[tuple[int, str, str]], fingerprint: dict, span: tuple[int, int]) -> tuple:
        """(the shard's Parquet bytes, the warnings its texts raised)."""
        warnings: list[str] = []
        corpus = [CorpusText(index, text_id, text) for index, text_id, text in texts]
        partial = compute_partial(
            self.model, corpus, empty_partial(self.model, self.settings), self.settings, warnings.append
        )
        return encode_shard(partial, fingerprint, tuple(span)), warnings


class RayCluster:
    """Where the job runs: `local` (a cluster started here), `auto` (the one this machine belongs to), or an
    address (host:port or ray://host:port)."""

    def __init__(self, address: str, workers: int, gpus_per_worker: float = 0.0, threads: int | None = None):
        try:
            import ray  # noqa: F401
        except ImportError:
            raise ValueError("--ray: Ray is not installed; install the extra: pip install '.[ray]'") from None
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError(f"--workers: {workers!r} must be an integer >= 1")
        if not isinstance(gpus_per_worker, (int, float)) or not 0 <= gpus_per_worker <= 64:
            raise ValueError(f"--gpus-per-worker: {gpus_per_worker!r} must be a number from 0 to 64")
        self.address, self.workers, self.gpus = address.strip(), workers, float(gpus_per_worker)
        if self.address not in ("local", "auto"):
            check_reachable(self.address)
        if threads is None and self.address == "local":  # the local machine's cores shared among the actors
            threads = max(1, (os.cpu_count() or 1) // workers)
        self.threads = threads
        self._started = False

    def connect(self) -> None:
        import ray

        if ray.is_initialized():  # a cluster this process already joined (a notebook, a test)
            return
        quiet = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.WARNING}
        try:
            if self.address == "local":
                ray.init(num_cpus=self.workers, **quiet)
            else:
                ray.init(address=self.address, **quiet)
        except ConnectionError as error:
            raise ValueError(f"--ray: cannot join the Ray cluster at {self.address}: {error}") from None
        self._started = True

    def run(self, job: CorpusJob, model_name: str, device: str, write: Callable[[Path, bytes], None], progress=None):
        """The job's missing shards on the cluster's actors; each written by the driver as it arrives."""
        import ray

        self.connect()  # `auto` finds no cluster here: refused before the folder is touched
        done = job.prepare(write)
        tracker = ProgressTracker(job, done, progress)
        todo = [number for number in range(len(job.shard_ranges())) if number not in done]
        if not todo:
            return merge_in_order(job.empty_partial(), done)
        actor = ray.remote(num_cpus=1, num_gpus=self.gpus)(CorpusWorker)
        workers = [
            actor.remote(model_name, device, job.settings_dict(), self.threads)
            for _ in range(min(self.workers, len(todo)))
        ]
        running = {}
        for worker in workers:
            self._submit(job, worker, todo, running)
        while running:
            ready, _ = ray.wait(list(running), num_returns=1)
            worker, number = running.pop(ready[0])
            data, warnings = ray.get(ready[0])
            for warning in warnings:
                job.warn(warning)
            path = job.out / shard_name(number)
            partial, _ = read_shard(path, job.fingerprint, job.empty_partial(), data)  # checked before it is kept
            write(path, data)
            done[number] = partial
            tracker.batch_done(partial.n_texts, partial.n_tokens)
            self._submit(job, worker, todo, running)
        return merge_in_order(job.empty_partial(), done)

    @staticmethod
    def _submit(job: CorpusJob, worker, todo: list[int], running: dict) -> None:
        if not todo:
            return
        number = todo.pop(0)
        start, end = job.shard_ranges()[number]
        texts = [(text.index, text.id, text.text) for text in job.texts[start:end]]
        running[worker.shard.remote(texts, job.fingerprint, (start, end))] = (worker, number)

    def shutdown(self) -> None:
        """Leave the cluster this object joined (a local one stops); one joined before is left as it was."""
        if self._started:
            import ray

            ray.shutdown()
            self._started = False


def check_reachable(address: str) -> None:
    """Refuse an address nothing answers at, in seconds, before any model is loaded."""
    plain = address.removeprefix("ray://")
    host, _, port_text = plain.rpartition(":") if ":" in plain else (plain, "", "")
    default = CLIENT_PORT if address.startswith("ray://") else DEFAULT_PORT
    try:
        port = int(port_text) if port_text else default
    except ValueError:
        raise ValueError(f"--ray: {address!r} is not auto, local, host:port or ray://host:port") from None
    if not host or not 0 < port < 65536:
        raise ValueError(f"--ray: {address!r} is not auto, local, host:port or ray://host:port")
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S):
            pass
    except OSError as error:
        raise ValueError(
            f"--ray: nothing answers at {host}:{port} ({error.strerror or error}); nothing was computed"
        ) from None
