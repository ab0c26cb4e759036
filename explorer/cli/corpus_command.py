"""`python main.py analyze corpus`: every head's score statistics and top examples over a corpus, in-process or on Ray.

Bad arguments, an unreadable corpus and an unreachable Ray address are refused before the model loads. The
job (models/analysis/corpus_job.py) writes its shards into --out one by one through write_atomic; running the
same command again resumes, and Ctrl+C loses at most the shard in flight.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from explorer.cli.analyze_command import checked_options, load_model, top_heads
from explorer.cli.progress import TerminalProgress
from explorer.export.atomic import write_atomic


def analyze_corpus(args: argparse.Namespace) -> int:
    from models.analysis.corpus_job import CorpusJob, CorpusSettings
    from models.analysis.corpus_output import write_results
    from models.analysis.corpus_reading import read_corpus

    out = checked_folder(args.out)
    settings = CorpusSettings(
        scores=parse_scores(args.scores),
        max_tokens=args.max_tokens,
        batch_tokens=args.batch_tokens,
        top_k=args.top_k,
        limit=args.limit,
        shard_texts=args.shard_texts,
        options=checked_options(args),
    ).checked()
    texts = read_corpus(args.corpus, args.limit, warn)
    cluster = None
    if args.ray is not None:
        from models.analysis.corpus_ray import RayCluster

        cluster = RayCluster(args.ray, args.workers, args.gpus_per_worker)  # refuses an unreachable address now
    model = load_model(args)
    job = CorpusJob(model, args.corpus, out, settings, warn=warn, texts=texts)
    bar = TerminalProgress()
    try:
        if cluster is None:
            result = job.run(write_atomic, progress=lambda state: bar(*progress_line(state)))
        else:
            result = cluster.run(job, args.model, args.device, write_atomic, lambda state: bar(*progress_line(state)))
    except KeyboardInterrupt:
        bar.done()
        print(f"interrupted: the finished shards are kept in {out}; run the same command to resume", file=sys.stderr)
        raise
    finally:
        bar.done()
        if cluster is not None:
            cluster.shutdown()
    summary = write_results(out, result, job.fingerprint, write_atomic)
    print(f"wrote {out} ({result.n_texts} texts, {result.n_tokens} tokens, {model.name})")
    if "prefix_matching" in summary["scores"]:
        import numpy as np

        means = np.array(summary["scores"]["prefix_matching"]["mean"], dtype=float)
        print(f"highest mean prefix_matching: {top_heads(means)}")
    return 0


def progress_line(state) -> tuple[float, str]:
    """(fraction, "120/1000 texts, 850 tokens/s, ETA 3m10s") for TerminalProgress."""
    fraction = state.texts_done / state.texts if state.texts else 1.0
    rate = state.tokens_per_second
    eta = "?"
    if rate > 0 and state.texts_done:  # the texts left, at the mean length so far, at this run's pace
        eta = duration((state.texts - state.texts_done) * (state.tokens_done / state.texts_done) / rate)
    return fraction, f"{state.texts_done}/{state.texts} texts, {rate:,.0f} tokens/s, ETA {eta}"


def duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def checked_folder(path: str) -> Path:
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out: {out} is a file; give a folder (it is created if missing)")
    return out


def parse_scores(text: str | None) -> tuple[str, ...]:
    from models.analysis.scores import SCORE_NAMES

    if text is None:
        return SCORE_NAMES
    names = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [name for name in names if name not in SCORE_NAMES]
    if not names or unknown:
        raise ValueError(f"--scores: {', '.join(unknown) or 'none given'} unknown; allowed: {', '.join(SCORE_NAMES)}")
    return tuple(name for name in SCORE_NAMES if name in names)  # one canonical order: the job's fingerprint
