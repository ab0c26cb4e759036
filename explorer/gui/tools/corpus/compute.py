"""What the Corpus tool asks of the engine, on the job thread: a corpus job over the open corpus, a finished job's
results with the texts they name, and the current text's own head scores to compare with the corpus means.

models.analysis is imported inside the jobs: the window opens without torch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class CorpusResults:
    folder: str
    summary: dict  # summary.json: per score, (L, H) grids of count, mean, std, ci_low, ci_high and the top examples
    texts: dict[str, str]  # text id -> text, for opening an example (empty when the corpus file has gone)
    corpus: str  # the corpus file the job read

    def grid(self, score: str, statistic: str) -> np.ndarray:
        """(L, H) float64, NaN where undefined."""
        values = self.summary["scores"][score][statistic]
        return np.array([[np.nan if v is None else v for v in row] for row in values], dtype=np.float64)


def results_folder(corpus: str, model_name: str) -> Path:
    """Where the tool keeps a corpus's results for a model: beside the corpus, so a second run resumes."""
    path = Path(corpus)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in model_name)
    return path.with_name(f"{path.stem}.{safe}.corpus")


def run_corpus(run, ctx, corpus: str, folder: str, top_k: int = 10) -> CorpusResults:
    """The corpus job for the run's model, in-process; ctx.report raises when the user cancels (the shards
    written so far stay, and the next run resumes from them)."""
    from explorer.export.atomic import write_atomic
    from models.analysis.corpus_job import CorpusJob, CorpusSettings
    from models.analysis.corpus_output import write_results

    job = CorpusJob(run.owner, corpus, folder, CorpusSettings(top_k=top_k))

    def progress(state) -> None:
        rate = f"{state.tokens_per_second:,.0f}"
        ctx.report(state.texts_done, max(state.texts, 1), f"{state.texts_done}/{state.texts} · {rate} tok/s")

    result = job.run(write_atomic, progress)
    write_results(Path(folder), result, job.fingerprint, write_atomic)
    return load_results(folder)


def load_results(folder: str) -> CorpusResults:
    """A finished job's results and the texts of its corpus; ValueError naming what is missing."""
    from models.analysis.corpus_output import read_summary
    from models.analysis.corpus_reading import read_corpus

    summary = read_summary(folder)
    corpus = ""
    try:
        corpus = json.loads((Path(folder) / "job.json").read_text(encoding="utf-8")).get("corpus", "")
    except (OSError, ValueError):
        pass
    texts = {}
    if corpus and Path(corpus).is_file():
        texts = {item.id: item.text for item in read_corpus(corpus, summary["job"].get("texts"), warn=lambda m: None)}
    return CorpusResults(str(folder), summary, texts, corpus)


def current_scores(run, seq: int) -> dict[str, np.ndarray]:
    """The current text's head scores, name -> (L, H): what a head's corpus mean is compared with."""
    from models.analysis import head_scores

    scores = head_scores(run, seq)
    return {name: scores[name] for name in scores.names}
