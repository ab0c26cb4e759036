"""`main.py analyze compare`, run as a user runs it: the JSON against the API on the same text, the diff map as
.npy and .csv, a figure, and bad input refused in one line before any model loads."""

import csv
import io
import json

import numpy as np
import pytest
from test_cli_analyze import SMOL, cli

from explorer.export.compare_files import write_comparison
from models.analysis import compare, diff_map

TEXT = "The quick brown fox jumps over the lazy dog, and the dog did not mind at all."


@pytest.mark.slow
def test_compare_writes_the_apis_grids_diff_map_and_next_tokens(tmp_path, smollm):
    out = tmp_path / "cmp.json"
    args = ["analyze", "compare", "--model", SMOL, "--text", TEXT, "--a", "mask=causal", "--b", "mask=causal,window=8"]
    result = cli(*args, "--layer", "3", "--head", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "infinite in 270 of 270 heads" in result.stdout
    data = json.loads(out.read_text())
    expected = compare(smollm, TEXT, a={"mask": "causal"}, b={"mask": "causal,window=8"})
    assert data["variant_a"]["mask"] == "causal" and data["variant_b"]["mask"] == "causal,window=8"
    np.testing.assert_allclose(np.array(data["js"]), expected.js, rtol=1e-12)
    assert np.array(data["kl"]).tolist() == [["inf"] * 9] * 30
    assert data["kl_infinite_rows"] == expected.infinite_rows.tolist()
    head = diff_map(expected.run_a, expected.run_b, 3, 1)
    np.testing.assert_array_equal(np.array(data["head"]["diff"], dtype=np.float32), head.diff)
    assert data["next_tokens_a"][0]["token"] == expected.next_a[0][0]
    # The other formats are written by the same step, called here in-process: a subprocess each costs a load.
    for suffix in (".npy", ".csv", ".svg"):
        path = tmp_path / f"cmp{suffix}"
        write_comparison(path, expected, head, width=1600, dpi=300, theme="light")
    np.testing.assert_array_equal(np.load(tmp_path / "cmp.npy"), head.diff)
    rows = list(csv.reader(io.StringIO((tmp_path / "cmp.csv").read_text())))
    assert float(rows[1 + 8][1]) == pytest.approx(float(head.diff[8, 0]), abs=1e-8) and rows[1][2] == ""
    svg = (tmp_path / "cmp.svg").read_text()
    assert all(f'id="heatmap-{panel}"' in svg for panel in range(3))  # A, B and B − A as cell images


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--b", "window=0"], "error: --b: mask window=W"),
        (["--b", "kv-heads=x"], "error: --b: kv-heads='x' is not a whole number"),
        (["--a", "temperature=hot", "--b", "causal"], "error: --a: temperature='hot' is not a number"),
        (["--b", "causal", "--out", "x.txt"], "error: --out: unknown extension '.txt'"),
        (["--b", "causal", "--layer", "-1"], "error: --layer: -1 must be >= 0"),
        (["--b", "causal", "--out", "x.png", "--width", "5"], "error: width: 5 pixels is outside"),
    ],
)
def test_bad_input_is_one_error_line_before_any_model_loads(tmp_path, extra, message):
    args = ["analyze", "compare", "--model", "no-such-model", "--text", TEXT, "--out", str(tmp_path / "c.json")]
    result = cli(*args, *extra)
    assert result.returncode == 2 and message in result.stderr, result.stderr
