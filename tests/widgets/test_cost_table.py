"""CostTable alone: one row per grouping, figures formatted from the numbers given, a real model's row apart."""

import numpy as np
import pytest
from widget_helpers import show

from explorer.gui.widgets.cost_table import COLUMNS, CostTable, byte_size, cell_text

ROWS = [
    {"grouping": "MHA", "kv_heads": 4, "accuracy": 1.0, "seconds_per_step": 0.0123, "parameters": 104_320,
     "kv_cache_bytes_per_token": 2 * 2 * 4 * 16 * 4},
    {"grouping": "GQA", "kv_heads": 2, "accuracy": 0.995, "seconds_per_step": 0.011, "parameters": 100_224,
     "kv_cache_bytes_per_token": 2 * 2 * 2 * 16 * 4},
    {"grouping": "MQA", "kv_heads": 1, "accuracy": 0.5, "seconds_per_step": 0.0105, "parameters": 98_176,
     "kv_cache_bytes_per_token": 2 * 2 * 1 * 16 * 4},
]  # fmt: skip


@pytest.fixture
def table(qtbot):
    return show(qtbot, CostTable(), 800, 200)


def test_every_row_and_figure_is_shown(table):
    table.show_rows(ROWS)
    assert table.rowCount() == 3 and table.columnCount() == len(COLUMNS)
    assert [table.text(r, "grouping") for r in range(3)] == ["MHA", "GQA", "MQA"]
    assert table.text(1, "accuracy") == "99.5%"
    assert table.text(0, "seconds_per_step") == "12.3 ms"
    assert table.text(0, "parameters") == "104,320"
    assert table.text(0, "kv_cache_bytes_per_token") == "1 KiB"  # 2 (K, V) × 2 layers × 4 heads × 16 × 4 bytes
    assert table.text(2, "kv_cache_bytes_per_token") == "256 B"


def test_a_real_models_row_has_no_training_figures_and_names_the_context_total(table):
    per_token = 2 * 30 * 3 * 64 * 2  # SmolLM2-135M: K and V, 30 layers, 3 KV heads, d_head 64, 2 bytes
    row = {"grouping": "smollm2 (GQA)", "kv_heads": 3, "accuracy": None, "seconds_per_step": None,
           "parameters": 134_515_008, "kv_cache_bytes_per_token": per_token, "context": 2048,
           "kv_cache_bytes": per_token * 2048}  # fmt: skip
    table.show_rows([*ROWS, row])
    assert table.text(3, "accuracy") == "—" and table.text(3, "seconds_per_step") == "—"
    assert table.text(3, "kv_cache_bytes_per_token") == "22.5 KiB  (45 MiB at 2,048 tokens)"


def test_byte_sizes_use_binary_units():
    assert byte_size(0) == "0 B" and byte_size(1023) == "1023 B"
    assert byte_size(1536) == "1.5 KiB"
    assert byte_size(3 * 1024**3) == "3 GiB"


def test_a_non_finite_figure_is_refused_and_the_table_is_left_as_it_was(table):
    table.show_rows(ROWS)
    bad = dict(ROWS[0], seconds_per_step=float("nan"))
    with pytest.raises(ValueError, match="seconds_per_step"):
        table.show_rows([bad])
    assert table.rowCount() == 3 and table.text(0, "seconds_per_step") == "12.3 ms"
    assert cell_text("accuracy", np.float64(0.25)) == "25.0%"


def test_the_time_per_step_shows_its_spread_and_a_bad_spread_is_refused(table):
    timed = [dict(row, seconds_per_step_spread=[row["seconds_per_step"] - 0.001, row["seconds_per_step"] + 0.002])
             for row in ROWS]  # fmt: skip
    table.show_rows(timed)
    assert table.text(0, "seconds_per_step") == "12.3 ms (11.3–14.3)"
    assert table.text(2, "seconds_per_step") == "10.5 ms (9.5–12.5)"
    header = table.horizontalHeaderItem(COLUMNS.index("seconds_per_step"))
    assert "median" in header.toolTip() and "25th to 75th" in header.toolTip()
    for spread in ([0.02, 0.01], [float("inf"), 0.02], [-0.001, 0.01]):
        with pytest.raises(ValueError, match="seconds_per_step_spread"):
            table.show_rows([dict(timed[0], seconds_per_step_spread=spread)])
    assert table.text(0, "seconds_per_step") == "12.3 ms (11.3–14.3)"  # left as it was
