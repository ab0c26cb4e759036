"""`bench --lab`'s classifier row: the attentive BiLSTM's held-out accuracy and cue attention mass within 60 s.

The budget (issue 15): with the default settings, ≥ 95 % held-out accuracy and cue_attention_mass ≥ 0.7 within
60 s on the 2-core machine. Training stops as soon as both are reached at an evaluation (every eval_every steps),
or when the default steps or the time budget run out; the row says which.
"""

from __future__ import annotations

import time

from explorer.bench.lab_measure import one_torch_thread, peak_rss_mb

ACCURACY_BUDGET, MASS_BUDGET, SECONDS_BUDGET = 0.95, 0.7, 60.0


def classifier_row(seed: int = 0, seconds_budget: float = SECONDS_BUDGET) -> dict:
    """One row: {"lab", "task", "steps", "seconds", "seconds_per_step", "accuracy", "cue_attention_mass",
    "peak_rss_mb", "budget", "passed"}; seconds count training and its evaluations, not the imports."""
    with one_torch_thread():
        return _train_row(seed, seconds_budget)


def _train_row(seed: int, seconds_budget: float) -> dict:
    from models.lab.foundations.classifier import ClassifierSettings, ClassifierTrainer

    settings = ClassifierSettings(seed=seed)
    started = time.perf_counter()
    trainer = ClassifierTrainer(settings)
    accuracy = mass = 0.0
    step_seconds = []
    for event in trainer.train(settings.steps):
        step_seconds.append(event.seconds)
        if event.accuracy is not None:
            accuracy, mass = event.accuracy, event.cue_attention_mass
            if accuracy >= ACCURACY_BUDGET and mass >= MASS_BUDGET:
                break
        if time.perf_counter() - started > seconds_budget:
            break
    seconds = time.perf_counter() - started
    passed = accuracy >= ACCURACY_BUDGET and mass >= MASS_BUDGET and seconds <= seconds_budget
    return {
        "lab": "classifier",
        "task": f"BiLSTM + attention on cue words (seed {seed})",
        "steps": trainer.step,
        "seconds": round(seconds, 2),
        "seconds_per_step": round(sum(step_seconds) / max(len(step_seconds), 1), 4),
        "accuracy": round(accuracy, 4),
        "cue_attention_mass": round(mass, 4),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "budget": f"accuracy ≥ {ACCURACY_BUDGET:.0%}, cue mass ≥ {MASS_BUDGET} within {seconds_budget:.0f} s",
        "passed": passed,
    }
