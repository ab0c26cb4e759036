"""What the Corpus tool asks of the engine, on the job thread: a corpus job over the open corpus, a finished job's
results with the texts they name, and the current text's own head scores to compare with the corpus means.

models.analysis is imported inside the jobs: the window opens without torch. The engine's messages name the
command line's options (`--in: …`, `use another --out folder`); the window says them in its own words.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from explorer.export.corpus_files import statistic_grid
from explorer.gui.i18n import tr

from .messages import window_message

# The window's job reports and can stop after every batch, and keeps what it scored shard by shard: small batches
# (about a second each on SmolLM2 on two cores) and small shards, so Cancel is quick and loses little.
BATCH_TOKENS = 1024
SHARD_TEXTS = 32
TOP_K = 10
SAMPLE_FOLDER = Path(__file__).resolve().parents[4] / "resources" / "corpus"  # the shipped sample corpus


@dataclass(frozen=True)
class CorpusResults:
    folder: str
    summary: dict  # summary.json: per score, (L, H) grids of count, mean, std, ci_low, ci_high and the top examples
    texts: dict[str, str]  # text id -> text, for opening an example (empty when the corpus file has gone)
    corpus: str  # the corpus file the job read
    warnings: tuple[str, ...] = ()  # what the job warned of (a text truncated to the model's context, a blank one)

    def grid(self, score: str, statistic: str) -> np.ndarray:
        """(L, H) float64, NaN where undefined."""
        return statistic_grid(self.summary, score, statistic)


def results_folder(corpus: str, model_name: str) -> Path:
    """Where the tool keeps a corpus's results for a model: beside the corpus, so a second run resumes. The
    shipped sample's, and those of a corpus in a folder the user cannot write, go to the cache instead (named
    by the corpus's folder too), so the application's own files stay as installed."""
    path = Path(corpus).resolve()
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in model_name)
    if path.parent != SAMPLE_FOLDER and os.access(path.parent, os.W_OK):
        return path.with_name(f"{path.stem}.{safe}.corpus")
    from models.io.weight_cache import cache_root

    where = hashlib.sha256(str(path.parent).encode("utf-8")).hexdigest()[:12]
    return cache_root() / "corpus-results" / f"{path.stem}-{where}.{safe}.corpus"


def read_texts(corpus: str) -> tuple[int, tuple[str, ...]]:
    """How many texts the corpus holds, and what reading it warned of; ValueError in the window's words for a
    file that is not a corpus (empty, a line that is not JSON, no "text" column…)."""
    from models.analysis.corpus_reading import read_corpus

    warnings: list[str] = []
    try:
        texts = read_corpus(corpus, None, warnings.append)
    except ValueError as error:
        raise ValueError(window_message(str(error))) from None
    return len(texts), tuple(window_message(w) for w in warnings)


def progress_line(state, texts_this_run: int) -> str:
    """'40/276 texts · 285 tokens/s · about 2 min left': the pace and the time left once this run has scored a
    batch (texts are of any length: their mean so far stands for the rest), the texts alone before."""
    line = tr("{done}/{texts} texts").format(done=state.texts_done, texts=state.texts)
    if state.tokens_this_run == 0 or texts_this_run == 0:
        return line
    left_s = (state.texts - state.texts_done) * (state.seconds / texts_this_run)
    left = tr("about {minutes} min left").format(minutes=math.ceil(left_s / 60)) if left_s >= 60 else tr(
        "under a minute left")  # fmt: skip
    return line + " · " + tr("{rate} tokens/s").format(rate=f"{state.tokens_per_second:,.0f}") + " · " + left


def run_corpus(model, ctx, corpus: str, folder: str) -> CorpusResults:
    """The corpus job for the model, in-process; ctx.report raises when the user cancels (the shards written so
    far stay, and the next run resumes from them). ValueError in the window's words for a corpus that cannot be
    read, or a folder that holds another job's results."""
    from explorer.export.atomic import write_atomic
    from models.analysis.corpus_job import CorpusJob, CorpusSettings
    from models.analysis.corpus_output import write_results

    if model is None:
        raise ValueError(tr("Load a model first"))
    warnings: list[str] = []
    settings = CorpusSettings(top_k=TOP_K, batch_tokens=BATCH_TOKENS, shard_texts=SHARD_TEXTS)
    try:
        job = CorpusJob(model, corpus, folder, settings, warn=warnings.append)
        ctx.report(0, max(len(job.texts), 1), tr("{texts} texts read").format(texts=len(job.texts)))

        resumed: list[int] = []  # the texts done before this run (its first report says), for the time left

        def progress(state) -> None:
            done, texts = state.texts_done, state.texts
            if not resumed:
                resumed.append(done)
            ctx.report(done, max(texts, 1), progress_line(state, done - resumed[0]))

        result = job.run(write_atomic, progress)
    except ValueError as error:
        raise ValueError(window_message(str(error))) from None
    write_results(Path(folder), result, job.fingerprint, write_atomic)
    return load_results(folder, tuple(window_message(w) for w in warnings))


def load_results(folder: str, warnings: tuple[str, ...] = ()) -> CorpusResults:
    """A finished job's results and the texts of its corpus; ValueError saying what the folder is, when it is not
    a finished job's (an unfinished run, another kind of folder)."""
    from models.analysis.corpus_output import SUMMARY, read_summary
    from models.analysis.corpus_reading import read_corpus

    path = Path(folder)
    claim = _job_claim(path)
    if not (path / SUMMARY).is_file():
        if claim is None:
            raise ValueError(tr("{folder} is not a corpus job's folder: it holds no summary.json or job.json").format(
                folder=path))  # fmt: skip
        shards = len(list(path.glob("shard-*.parquet")))
        raise ValueError(tr("{folder}: an unfinished run of {model} ({shards} shards written); load that model, "
                            "open its corpus {corpus} and press Run to finish it").format(
            folder=path, model=claim.get("fingerprint", {}).get("model", "?"), shards=shards,
            corpus=claim.get("corpus", "?")))  # fmt: skip
    summary = read_summary(folder)
    corpus = str((claim or {}).get("corpus", ""))
    texts = {}
    if corpus and Path(corpus).is_file():
        texts = {item.id: item.text for item in read_corpus(corpus, summary["job"].get("texts"), warn=lambda m: None)}
    return CorpusResults(str(folder), summary, texts, corpus, warnings)


def _job_claim(folder: Path) -> dict | None:
    """job.json: the job's fingerprint and the corpus it read; None when absent or unreadable."""
    try:
        claim = json.loads((folder / "job.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return claim if isinstance(claim, dict) else None


def current_scores(run, seq: int) -> dict[str, np.ndarray]:
    """The current text's head scores, name -> (L, H): what a head's corpus mean is compared with."""
    from models.analysis import head_scores

    scores = head_scores(run, seq)
    return {name: scores[name] for name in scores.names}
