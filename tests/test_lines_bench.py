"""`bench --lines` measures what it says: the real widget's redraws on synthetic lines (no model), and a report
that names the budget and whether each redraw kept it."""

import numpy as np

from explorer.bench.lines import BUDGET_MS, render, time_redraws
from explorer.core.lines import head_lines
from explorer.core.views import LinesResult, MapRequest


def test_the_redraws_are_timed_in_the_widget_and_reported_against_the_budget(qtbot):
    n, rng = 300, np.random.default_rng(0)
    visible = np.tril(np.ones((n, n), dtype=bool))
    heads = []
    for head in range(3):
        scores = np.where(visible, rng.normal(size=(n, n)) * 3, -np.inf)
        weights = np.exp(scores - scores.max(-1, keepdims=True))
        heads.append(head_lines(head, (weights / weights.sum(-1, keepdims=True)).astype(np.float32), visible, 0.05))
    result = LinesResult(1, 1, MapRequest(0, 0, 0, "lines", threshold=0.05), tuple(heads), int(visible.sum()), 1.0)
    redraws = time_redraws([f"w{i}" for i in range(n)], result)
    assert redraws["head_change"]["count"] == 12 and redraws["all_heads"]["count"] == 3
    assert all(0 < redraws[key]["median_ms"] <= redraws[key]["max_ms"] for key in redraws)
    machine = {"cpu": "test CPU", "cores": 2, "torch": "x", "torch_threads": 1, "python": "3"}
    report = {"model": "m", "tokens": n, "layer": 0, "heads": 3, "threshold": 0.05, "machine": machine,
              "lines_per_head": [len(h) for h in heads], "visible_pairs_per_head": int(visible.sum()),
              "compute_ms_job_thread": 1.0, "budget_ms": BUDGET_MS, **redraws}  # fmt: skip
    table = render(report, as_json=False)
    assert f"| a head change | {redraws['head_change']['median_ms']:.1f} |" in table
    assert f"of {int(visible.sum()):,} visible pairs" in table and "| 200 |" in table
