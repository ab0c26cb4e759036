"""A corpus job: every head's score statistics over a corpus, shard by shard, resumable, in-process or on Ray.

The corpus's texts are cut into shards of `shard_texts` consecutive texts. A shard's texts are packed into
batches by length, run, scored (corpus_scoring.py) and gathered into one partial (corpus_statistics.py), which
is written as one Parquet file (corpus_shards.py) through the caller's atomic writer. A shard is therefore
all there or absent: re-running the job on the same folder skips the shards already written and never counts
a text twice, and an interrupt loses at most the shard in flight. Shards are cut by position alone, so the
in-process run and the Ray run (corpus_ray.py) compute the very same shards.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from models.analysis.corpus_reading import CorpusText, corpus_digest, pack_by_length, read_corpus, tokenize
from models.analysis.corpus_scoring import score_batch
from models.analysis.corpus_shards import ShardError, encode_shard, read_shard, shard_name
from models.analysis.corpus_statistics import BINS, CorpusPartial, bin_edges, score_ranges
from models.analysis.scores import SCORE_NAMES
from models.options import RunOptions

log = logging.getLogger(__name__)

JOB_FILE = "job.json"
Write = Callable[[Path, bytes], None]  # an atomic writer: explorer.export.atomic.write_atomic
Warn = Callable[[str], None]
BatchDone = Callable[[int, int], None]  # (texts, tokens) of a batch just scored


@dataclass(frozen=True)
class CorpusSettings:
    """What a corpus job computes; everything here but `batch_tokens` decides its shards' contents."""

    scores: tuple[str, ...] = SCORE_NAMES
    max_tokens: int | None = None  # None: the model's context
    batch_tokens: int = 8192  # padded tokens per forward pass (texts × the longest)
    top_k: int = 10
    limit: int | None = None
    shard_texts: int = 256
    options: RunOptions = field(default_factory=RunOptions)

    @classmethod
    def from_dict(cls, data: dict) -> CorpusSettings:
        options = dict(data["options"], ablate=tuple(tuple(pair) for pair in data["options"]["ablate"]))
        fields_ = {key: value for key, value in data.items() if key != "options"}
        return cls(**{**fields_, "scores": tuple(data["scores"]), "options": RunOptions.from_dict(options)}).checked()

    def checked(self) -> CorpusSettings:
        unknown = [name for name in self.scores if name not in SCORE_NAMES]
        if not self.scores or unknown:
            raise ValueError(f"--scores: {', '.join(unknown) or 'none'} unknown; allowed: {', '.join(SCORE_NAMES)}")
        for option, value in (("--top-k", self.top_k), ("--shard-texts", self.shard_texts)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{option}: {value!r} must be an integer >= 1")
        return self


@dataclass
class Progress:
    """Where a job stands: texts and tokens done (those of resumed shards included) and the pace of this run."""

    texts_done: int
    texts: int
    tokens_done: int
    tokens_this_run: int
    seconds: float

    @property
    def tokens_per_second(self) -> float:
        return self.tokens_this_run / self.seconds if self.seconds > 0 else 0.0


class CorpusJob:
    """One corpus analysed by one model into one output folder."""

    def __init__(
        self,
        model,
        corpus: str | Path,
        out: str | Path,
        settings: CorpusSettings,
        warn: Warn = log.warning,
        texts: list[CorpusText] | None = None,
    ):
        """texts: the corpus as read_corpus(corpus, settings.limit) gives it, when the caller has read it already."""
        self.model, self.corpus, self.out = model, Path(corpus), Path(out)
        self.settings = settings.checked()
        self.warn = warn
        self.max_tokens = settings.max_tokens or model.config.n_ctx
        if not 2 <= self.max_tokens <= model.config.n_ctx:
            raise ValueError(
                f"--max-tokens: {self.max_tokens} must be from 2 to the model's context, {model.config.n_ctx}"
            )
        self.texts = texts if texts is not None else read_corpus(self.corpus, settings.limit, warn)
        self.fingerprint = self._fingerprint()

    def _fingerprint(self) -> dict:
        config = self.model.config
        return {
            "model": self.model.name,
            "layers": config.n_layers,
            "heads": config.n_heads,
            "vocab": config.vocab_size,
            "options": self.settings.options.to_dict(),
            "scores": list(self.settings.scores),
            "max_tokens": self.max_tokens,
            "top_k": self.settings.top_k,
            "bins": BINS,
            "shard_texts": self.settings.shard_texts,
            "corpus_sha256": corpus_digest(self.corpus),
            "texts": len(self.texts),
        }

    # -- the plan ----------------------------------------------------------------------------------------------
    def shard_ranges(self) -> list[tuple[int, int]]:
        step = self.settings.shard_texts
        return [(start, min(start + step, len(self.texts))) for start in range(0, len(self.texts), step)]

    def empty_partial(self) -> CorpusPartial:
        return empty_partial(self.model, self.settings)

    def prepare(self, write: Write) -> dict[int, CorpusPartial]:
        """Claim the folder (job.json) and read the shards already there: shard number -> partial.

        A folder of another job (job.json or any shard) is refused by name before any work."""
        self.out.mkdir(parents=True, exist_ok=True)
        stamp = self.out / JOB_FILE
        if stamp.exists():
            try:
                theirs = json.loads(stamp.read_text(encoding="utf-8"))["fingerprint"]
            except (ValueError, KeyError, TypeError, UnicodeDecodeError):
                raise ShardError(f"{stamp}: not a corpus job's file; use another --out folder") from None
            differs = {key: theirs.get(key) for key in self.fingerprint if theirs.get(key) != self.fingerprint[key]}
            if differs:
                shown = ", ".join(f"{key}={value!r}" for key, value in differs.items())
                raise ShardError(f"{self.out}: holds another job's results ({shown}); use another --out folder")
        else:
            claim = {"fingerprint": self.fingerprint, "corpus": str(self.corpus.resolve())}  # where its texts are
            write(stamp, json.dumps(claim, indent=1).encode("utf-8"))
        done = {}
        ranges = self.shard_ranges()
        for path in sorted(self.out.glob("shard-*.parquet")):
            partial, texts = read_shard(path, self.fingerprint, self.empty_partial())
            number = ranges.index(texts) if texts in ranges else -1
            if number < 0 or path.name != shard_name(number):
                raise ShardError(f"{path}: holds texts {texts[0]}..{texts[1] - 1}, not its name's; delete it")
            done[number] = partial
        return done

    # -- the work ----------------------------------------------------------------------------------------------
    def compute_shard(self, number: int, on_batch: BatchDone | None = None) -> CorpusPartial:
        start, end = self.shard_ranges()[number]
        texts = self.texts[start:end]
        return compute_partial(self.model, texts, self.empty_partial(), self.settings, self.warn, on_batch)

    def run(self, write: Write, progress: Callable[[Progress], None] | None = None) -> CorpusPartial:
        """Compute the missing shards in-process, write each as it completes, and return the merged result."""
        done = self.prepare(write)
        tracker = ProgressTracker(self, done, progress)
        for number, _ in enumerate(self.shard_ranges()):
            if number in done:
                continue
            partial = self.compute_shard(number, tracker.batch_done)
            self.store(number, partial, write)
            done[number] = partial
        return merge_in_order(self.empty_partial(), done)

    def store(self, number: int, partial: CorpusPartial, write: Write) -> None:
        write(self.out / shard_name(number), encode_shard(partial, self.fingerprint, self.shard_ranges()[number]))

    def settings_dict(self) -> dict:
        """The settings as plain data, to rebuild them elsewhere (a Ray worker): CorpusSettings.from_dict."""
        settings = self.settings
        return {
            "scores": list(settings.scores),
            "max_tokens": self.max_tokens,
            "batch_tokens": settings.batch_tokens,
            "top_k": settings.top_k,
            "limit": settings.limit,
            "shard_texts": settings.shard_texts,
            "options": settings.options.to_dict(),
        }


def empty_partial(model, settings: CorpusSettings) -> CorpusPartial:
    """A partial of no texts for this model and these settings: what every shard starts from."""
    ranges = score_ranges(settings.max_tokens or model.config.n_ctx)
    edges = {name: bin_edges(*ranges[name]) for name in settings.scores}
    shape = (model.config.n_layers, model.config.n_heads)
    return CorpusPartial(settings.scores, shape, edges, settings.top_k)


def compute_partial(
    model,
    texts: list[CorpusText],
    partial: CorpusPartial,
    settings: CorpusSettings,
    warn: Warn,
    on_batch: BatchDone | None = None,
) -> CorpusPartial:
    """Score `texts` in batches packed by length into `partial` (a fresh one of this job), and return it."""
    max_tokens = settings.max_tokens or model.config.n_ctx
    sequences = tokenize(model, texts, max_tokens, warn)
    wanted = [SCORE_NAMES.index(name) for name in settings.scores]
    for batch in pack_by_length([len(ids) for ids in sequences], settings.batch_tokens):
        scored = score_batch(model, [sequences[i] for i in batch], settings.options)
        for position, result in zip(batch, scored):
            text = texts[position]
            partial.add_text(text.index, text.id, result.tokens, result.values[wanted], result.best[wanted])
        if on_batch is not None:
            on_batch(len(batch), sum(len(sequences[i]) for i in batch))
    return partial


def merge_in_order(empty: CorpusPartial, partials: dict[int, CorpusPartial]) -> CorpusPartial:
    for number in sorted(partials):  # any order gives the same result; sorted for readers of the code
        empty.merge(partials[number])
    return empty


class ProgressTracker:
    def __init__(self, job: CorpusJob, done: dict[int, CorpusPartial], report):
        self.report, self.started = report, time.monotonic()
        self.texts = len(job.texts)
        self.texts_done = sum(partial.n_texts for partial in done.values())
        self.tokens_done, self.tokens_this_run = sum(partial.n_tokens for partial in done.values()), 0
        self._send()

    def batch_done(self, texts: int, tokens: int) -> None:
        self.texts_done += texts
        self.tokens_done += tokens
        self.tokens_this_run += tokens
        self._send()

    def _send(self) -> None:
        if self.report is not None:
            elapsed = time.monotonic() - self.started
            self.report(Progress(self.texts_done, self.texts, self.tokens_done, self.tokens_this_run, elapsed))
