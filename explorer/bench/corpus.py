"""`python main.py bench --corpus`: tokens/s of the corpus job in-process, on a local Ray cluster, and per text.

The bench corpus is built from the shipped sample (resources/corpus/sample.jsonl): each text is sample texts
joined until it reaches a length drawn from 50–300 tokens (seeded), then cut there. Three sides score every
head of every text:

- in-process: the corpus job (texts packed into batches by length), in this process;
- Ray: the same job on a local Ray cluster of `workers` actors (their start and model load are included);
- per text: model.run_ids([ids]) then head_scores, one text at a time, as a notebook loop would.

Wall-clock tokens/s are the figures; the in-process and per-text sides also report their CPU seconds (all of this
process's threads), which stay meaningful on a machine that others load too.

Before any side is timed, the job's means must equal the per-text loop's within 1e-5 on the first texts. The
in-process side also records this process's peak RSS after 100 texts and at the end: memory must stay flat.
"""

from __future__ import annotations

import json
import random
import resource
import tempfile
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import numpy as np

SPEEDUP_NEEDED = 2.0  # batching by length against the per-text loop
RSS_GROWTH_ALLOWED = 0.10  # peak RSS after every text against after the first 100
LENGTHS = (50, 300)
Say = Callable[[str], None]


def build_corpus(model, n_texts: int, path: Path, seed: int = 0) -> list[int]:
    """Write n_texts texts of 50–300 tokens as JSONL; returns their token counts."""
    sample = resources.files("explorer.resources").joinpath("corpus/sample.jsonl").read_text(encoding="utf-8")
    pieces = [json.loads(line)["text"] for line in sample.splitlines() if line.strip()]
    rng = random.Random(seed)
    tokenizer = model.tokenizer.backend
    lengths = []
    with path.open("w", encoding="utf-8") as handle:
        for index in range(n_texts):
            target = rng.randint(*LENGTHS)
            text = rng.choice(pieces)
            while len(tokenizer.encode(text).ids) < target:
                text += "\n" + rng.choice(pieces)
            ids = tokenizer.encode(text).ids[:target]
            text = tokenizer.decode(ids)
            lengths.append(len(tokenizer.encode(text).ids))
            handle.write(json.dumps({"id": f"bench-{index}", "text": text}, ensure_ascii=False) + "\n")
    return lengths


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def in_process(model, corpus: Path, out: Path, settings) -> tuple[dict, object]:
    from explorer.export.atomic import write_atomic
    from models.analysis.corpus_job import CorpusJob

    marks = {}

    def progress(state):
        if state.texts_done >= 100 and "rss_after_100_mb" not in marks:
            marks["rss_after_100_mb"] = peak_rss_mb()

    job = CorpusJob(model, corpus, out, settings, warn=lambda message: None)
    start, cpu = time.perf_counter(), time.process_time()
    result = job.run(write_atomic, progress)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    marks["rss_at_end_mb"] = peak_rss_mb()
    return {"seconds": seconds, "cpu_seconds": round(cpu, 2), "tokens": result.n_tokens, **marks}, result


def on_ray(model, corpus: Path, out: Path, settings, workers: int) -> dict:
    from explorer.export.atomic import write_atomic
    from models.analysis.corpus_job import CorpusJob
    from models.analysis.corpus_ray import RayCluster

    cluster = RayCluster("local", workers)
    job = CorpusJob(model, corpus, out, settings, warn=lambda message: None)
    start = time.perf_counter()
    try:
        result = cluster.run(job, model.source.path, "cpu", write_atomic)
    finally:
        cluster.shutdown()
    return {"seconds": time.perf_counter() - start, "tokens": result.n_tokens, "workers": workers}


def per_text(model, corpus: Path) -> tuple[dict, list[np.ndarray]]:
    from models.analysis import SCORE_NAMES, head_scores
    from models.analysis.corpus_reading import read_corpus, tokenize

    sequences = tokenize(model, read_corpus(corpus), model.config.n_ctx, warn=lambda message: None)
    means = []
    start, cpu = time.perf_counter(), time.process_time()
    for ids in sequences:
        scores = head_scores(model.run_ids([ids]))
        means.append(np.stack([scores[name] for name in SCORE_NAMES]))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu_seconds": round(cpu, 2), "tokens": sum(map(len, sequences))}, means


def check_agreement(result, reference: list[np.ndarray]) -> float:
    """The job's mean over texts against the per-text loop's (NaN where no text defined a score)."""
    summary = result.summary()
    with np.errstate(invalid="ignore"):
        expected = np.nanmean(np.stack(reference), axis=0)  # (S, L, H)
    got = np.stack([summary[name]["mean"] for name in result.scores])
    worst = float(np.nanmax(np.abs(got - expected) / np.maximum(1.0, np.abs(expected))))
    if not worst <= 1e-5:
        raise RuntimeError(f"the corpus job's means and the per-text loop's differ (worst {worst:.3g})")
    return worst


def run_corpus_bench(model_name: str, n_texts: int, workers: int, say: Say, ray: bool = True) -> dict:
    import models

    model = models.load(model_name, device="cpu")
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as temporary:  # the corpus and every side's shards
        return measure_sides(model, Path(temporary), n_texts, workers, say, ray)


def measure_sides(model, folder: Path, n_texts: int, workers: int, say: Say, ray: bool) -> dict:
    from explorer.bench.machine import machine
    from models.analysis.corpus_job import CorpusSettings

    lengths = build_corpus(model, n_texts, folder / "corpus.jsonl")
    say(f"corpus: {n_texts} texts, {sum(lengths)} tokens ({min(lengths)}–{max(lengths)} per text)")
    settings = CorpusSettings(max_tokens=LENGTHS[1] + 8)
    sides = {}
    say("in-process job …")
    sides["in_process"], result = in_process(model, folder / "corpus.jsonl", folder / "in-process", settings)
    say("per-text loop (run_ids + head_scores, one text at a time) …")
    sides["per_text"], reference = per_text(model, folder / "corpus.jsonl")
    worst = check_agreement(result, reference)
    if ray:
        say(f"local Ray cluster, {workers} workers …")
        sides["ray"] = on_ray(model, folder / "corpus.jsonl", folder / "ray", settings, workers)
    for side in sides.values():
        side["tokens_per_s"] = round(side["tokens"] / side["seconds"], 1)
        side["seconds"] = round(side["seconds"], 2)
    speedup = sides["in_process"]["tokens_per_s"] / sides["per_text"]["tokens_per_s"]
    rss_100 = sides["in_process"].get("rss_after_100_mb")
    growth = None if rss_100 is None else sides["in_process"]["rss_at_end_mb"] / rss_100 - 1.0
    return {
        "model": model.name,
        "texts": n_texts,
        "tokens": sum(lengths),
        "machine": machine(),
        "sides": sides,
        "worst_difference": worst,
        "speedup": round(speedup, 2),
        "speedup_needed": SPEEDUP_NEEDED,
        "rss_growth": None if growth is None else round(growth, 4),
        "rss_growth_allowed": RSS_GROWTH_ALLOWED,
        "passed": speedup >= SPEEDUP_NEEDED and (growth is None or growth <= RSS_GROWTH_ALLOWED),
    }


def render(report: dict, as_json: bool) -> str:
    if as_json:
        return json.dumps(report, indent=1)
    lines = [
        f"corpus bench: {report['model']}, {report['texts']} texts, {report['tokens']} tokens; {report['machine']}"
    ]
    for name, side in report["sides"].items():
        cpu = f", {side['cpu_seconds']} s of CPU" if "cpu_seconds" in side else ""
        lines.append(f"  {name:<11} {side['tokens_per_s']:>9,.1f} tokens/s  ({side['seconds']} s{cpu})")
    lines.append(f"  batching by length: {report['speedup']}× the per-text loop (needed ≥ {report['speedup_needed']}×)")
    side = report["sides"]["in_process"]
    if report["rss_growth"] is not None:
        lines.append(
            f"  peak RSS: {side['rss_after_100_mb']:.0f} MB after 100 texts, {side['rss_at_end_mb']:.0f} MB at the end "
            f"({report['rss_growth']:+.1%}; allowed +{report['rss_growth_allowed']:.0%})"
        )
    lines.append(f"  agreement with per-text head_scores: worst {report['worst_difference']:.2g}")
    lines.append("  PASSED" if report["passed"] else "  FAILED")
    return "\n".join(lines)
