"""Recolouring the Heads tool at SmolLM2's size (30 layers × 9 heads) stays interactive: issue 21, item 2.

The one measured test the issue asks for. Filling the table a second time used to cost 18 s (the columns were
resized to their contents after every cell: O(n²)); the budget is 0.2 s of GUI-thread time for the table and the
atlas together: the thread's CPU time (a busy machine's waits do not count), the best of a few repeats.
"""

import time

import numpy as np
from widget_helpers import show

from explorer.gui.widgets.head_atlas import HeadAtlas
from explorer.gui.widgets.head_table import HeadTable

LAYERS, HEADS = 30, 9
NAMES = ("previous_token", "self", "first_token", "prefix_matching", "special_tokens", "entropy", "mean_distance")
BUDGET_S = 0.2


def scores(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    out = {name: rng.random((LAYERS, HEADS)) for name in NAMES}
    out["prefix_matching"][:, 4] = np.nan
    return out


def best_time(action, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.thread_time()  # this thread's CPU time: the GUI thread's own work, painting included
        action()
        times.append(time.thread_time() - start)
    return min(times)


def test_refilling_270_rows_and_recolouring_the_atlas_is_fast(qtbot):
    table = show(qtbot, HeadTable(), 900, 600)
    atlas = show(qtbot, HeadAtlas(), 400, 600)
    kv = [head // 3 for head in range(HEADS)]
    table.show_scores(scores(0), kv, knocked_out=[(0, 3)])  # the first fill was always quick
    atlas.show_scores(scores(0)["self"], (0.0, 1.0), "self")
    qtbot.wait(10)
    seeds = iter(range(1, 100))

    def recolour():
        new = scores(next(seeds))
        atlas.show_scores(new["entropy"], (0.0, 1.0), "entropy")
        table.show_scores(new, kv, knocked_out=[(0, 3)])
        table.sort_by("entropy", False)
        qtbot.wait(5)  # the repaint the fill schedules

    elapsed = best_time(recolour)
    assert elapsed <= BUDGET_S, f"recolouring 270 heads took {elapsed:.3f} s (budget {BUDGET_S} s)"
    knock = best_time(lambda: (table.set_knockouts([(5, 5), (29, 8)]), qtbot.wait(5)))
    clear = best_time(lambda: (table.set_knockouts([]), qtbot.wait(5)))
    assert knock <= BUDGET_S and clear <= BUDGET_S, (knock, clear)

    # and what the fast fill shows is right: the newest scores, sorted, n/a last
    last = scores(3)
    table.show_scores(last, kv, knocked_out=[(2, 7)])
    np.testing.assert_allclose(table.values("entropy"), last["entropy"])
    np.testing.assert_allclose(table.values("prefix_matching"), last["prefix_matching"], equal_nan=True)
    shown = [table.values("entropy")[table.head_of(row)] for row in range(table.row_count())]
    assert shown == sorted(shown, reverse=True) and table.sort_key() == ("entropy", False)
    assert table.is_knocked_out(table.row_of(2, 7)) and not table.is_knocked_out(table.row_of(0, 3))
