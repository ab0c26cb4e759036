"""`bench --lab`: the labs' training budgets with their default settings, one row per section, as Markdown or JSON.

Each section is a function returning a row {"lab", "task", "steps", "seconds", "seconds_per_step", "accuracy",
"peak_rss_mb", "budget", "passed", ...}; a lab adds its own by appending to SECTIONS. The seq2seq rows (issue 14):
the transformer on reverse ≥ 99 % and best-head cross alignment ≥ 0.9 within 60 s, the GRU (additive) on dates
≥ 95 % within 120 s, the GPT on copy ≥ 99 % within 60 s under MHA, GQA and MQA alike. Training stops at the first
evaluation that meets the budget, or when the default steps or the time run out; seconds include evaluations.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from explorer.bench.lab_classifier import classifier_row
from explorer.bench.lab_measure import one_torch_thread, peak_rss_mb

Say = Callable[[str], None]


def seq2seq_row(settings, label: str, accuracy: float, alignment: float | None, seconds_budget: float) -> dict:
    """Train settings (a LabSettings) until the budget is met or its steps or seconds_budget run out."""
    from models.lab.seq2seq import Evaluation, Trainer

    with one_torch_thread():
        started = time.perf_counter()
        trainer = Trainer(settings)
        last = None
        for event in trainer.train():
            if isinstance(event, Evaluation):
                last = event
                if _met(event, accuracy, alignment):
                    break
            if time.perf_counter() - started > seconds_budget:
                break
        if last is None or last.step != trainer.step:
            last = trainer.evaluate()
        seconds = time.perf_counter() - started
    wanted = f"accuracy ≥ {accuracy:.0%}" + ("" if alignment is None else f", best-head alignment ≥ {alignment}")
    return {
        "lab": "seq2seq",
        "task": label,
        "steps": trainer.step,
        "seconds": round(seconds, 2),
        "seconds_per_step": round(trainer.seconds / max(trainer.step, 1), 4),
        "accuracy": round(last.accuracy, 4),
        "alignment_best_head": round(last.alignment_accuracy["best_head"], 4),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "budget": f"{wanted} within {seconds_budget:.0f} s",
        "passed": _met(last, accuracy, alignment) and seconds <= seconds_budget,
    }


def _met(evaluation, accuracy: float, alignment: float | None) -> bool:
    best = evaluation.alignment_accuracy["best_head"]
    return evaluation.accuracy >= accuracy and (alignment is None or best >= alignment)


def transformer_reverse() -> dict:
    from models.lab.seq2seq import defaults

    settings = defaults("transformer", "reverse", length=10)
    return seq2seq_row(settings, "nn.Transformer on reverse (length 10)", 0.99, 0.9, 60.0)


def gru_dates() -> dict:
    from models.lab.seq2seq import defaults

    return seq2seq_row(
        defaults("gru", "dates", score="additive"), "GRU + additive attention on dates", 0.95, None, 120.0
    )


def gpt_copy(grouping: str) -> Callable[[], dict]:
    def row() -> dict:
        from models.lab.seq2seq import defaults, grouping_settings

        variants = {s.groups: s for s in grouping_settings(defaults("gpt", "copy"))}
        settings = {"MHA": variants[max(variants)], "MQA": variants[1]}.get(grouping) or variants[sorted(variants)[1]]
        label = f"tiny GPT on copy, {grouping} ({settings.groups} of {settings.heads} KV heads)"
        return seq2seq_row(settings, label, 0.99, None, 60.0)

    row.__name__ = f"gpt_copy_{grouping.lower()}"
    return row


# The rows of `bench --lab`, in order; another lab appends its own row functions here.
SECTIONS: list[Callable[[], dict]] = [transformer_reverse, gru_dates, gpt_copy("MHA"), gpt_copy("GQA"), gpt_copy("MQA")]
SECTIONS.append(classifier_row)  # issue 15: the foundations lab's BiLSTM + attention classifier


def run_lab_bench(sections=None, say: Say | None = None) -> list[dict]:
    rows = []
    for section in SECTIONS if sections is None else sections:
        if say is not None:
            say(f"bench --lab: {section.__name__} …")
        rows.append(section())
    return rows


def render(rows: list[dict], as_json: bool) -> str:
    """The rows as JSON, or as a Markdown table (an attention column shows whichever score a row has)."""
    if as_json:
        return json.dumps({"lab": rows, "passed": all(r["passed"] for r in rows)}, ensure_ascii=False)
    lines = [
        "| lab | run | steps | seconds | ms/step | accuracy | attention score | peak RSS (MB) | budget | passed |",
        "|---|---|---:|---:|---:|---:|---|---:|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['lab']} | {r['task']} | {r['steps']} | {r['seconds']:.1f} | {r['seconds_per_step'] * 1000:.1f} "
            f"| {r['accuracy']:.1%} | {_score(r)} | {r['peak_rss_mb']:.0f} | {r['budget']} "
            f"| {'yes' if r['passed'] else 'NO'} |"
        )
    return "\n".join(lines)


def _score(row: dict) -> str:
    if "alignment_best_head" in row:
        return f"alignment {row['alignment_best_head']:.2f}"
    if "cue_attention_mass" in row:
        return f"cue mass {row['cue_attention_mass']:.2f}"
    return ""
