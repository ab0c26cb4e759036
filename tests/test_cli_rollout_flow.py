"""`main.py analyze rollout|flow`, run in-process through main(argv), checked against the API on the same text."""

import csv
import json

import numpy as np
import pytest
from PIL import Image

from explorer.cli import parser
from explorer.cli.main import main
from models.analysis import FLOW_MAX_TOKENS, HEAD_REDUCTIONS, flow, rollout

SMOL = "smollm2-135m-instruct"
TEXT = "The capital of France is Paris."
# The commands read the shipped model the tests already hold (conftest.py), instead of loading it per command.
pytestmark = pytest.mark.usefixtures("share_loaded_models")


def test_the_parser_names_the_engines_choices_without_importing_it():
    assert parser.HEAD_REDUCTIONS == HEAD_REDUCTIONS and parser.FLOW_MAX == FLOW_MAX_TOKENS


def test_rollout_as_json_npy_and_csv_holds_the_apis_matrix(tmp_path, smollm):
    expected = rollout(smollm.run(TEXT), residual=0.3, head_reduce="max")
    for suffix in (".json", ".npy", ".csv"):
        out = tmp_path / f"r{suffix}"
        assert main(["analyze", "rollout", "--model", SMOL, "--text", TEXT, "--residual", "0.3",
                     "--head-reduce", "max", "--out", str(out)]) == 0  # fmt: skip
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["residual"] == 0.3 and data["head_reduce"] == "max" and len(data["tokens"]) == len(expected)
    np.testing.assert_allclose(np.array(data["rollout"], dtype=float), expected, rtol=1e-6, atol=1e-7)
    assert data["reachable"] == np.tril(np.ones_like(expected, dtype=bool)).tolist()
    np.testing.assert_array_equal(np.load(tmp_path / "r.npy"), expected)
    rows = list(csv.reader((tmp_path / "r.csv").open(encoding="utf-8")))
    assert rows[0][1] == "0:The" and rows[1][2] == "", "a cell no path reaches is left empty"
    assert float(rows[2][1]) == pytest.approx(expected[1, 0], rel=1e-6)


def test_flow_as_json_and_csv_holds_the_apis_values(tmp_path, smollm):
    expected = flow(smollm.run(TEXT), query=3)
    for suffix in (".json", ".csv"):
        assert main(["analyze", "flow", "--model", SMOL, "--text", TEXT, "--query", "3", "--out",
                     str(tmp_path / f"f{suffix}")]) == 0  # fmt: skip
    data = json.loads((tmp_path / "f.json").read_text())
    assert data["query"] == 3
    np.testing.assert_allclose(data["flow"], expected, rtol=1e-6)
    rows = list(csv.reader((tmp_path / "f.csv").open(encoding="utf-8")))
    assert rows[0] == ["position", "token", "flow"] and rows[4][:2] == ["3", "␣France"]
    assert float(rows[1][2]) == pytest.approx(expected[0], rel=1e-6)


@pytest.mark.parametrize("command, suffix", [("rollout", ".png"), ("flow", ".png"), ("flow", ".svg")])
def test_figures_are_written(tmp_path, smollm, command, suffix):
    out = tmp_path / f"{command}{suffix}"
    assert main(["analyze", command, "--model", SMOL, "--text", TEXT, "--width", "800", "--out", str(out)]) == 0
    assert out.stat().st_size > 1000
    if suffix == ".png":
        assert Image.open(out).size[0] == 800
    else:
        assert "attention flow into" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--residual", "1.5"], "--residual"),
        (["--residual", "nan"], "--residual"),
        (["--out", "x.txt"], "--out"),
        (["--width", "5", "--out", "x.png"], "width"),
        (["--mask", "sideways"], "mask"),
    ],
)
def test_bad_arguments_are_refused_before_the_model_loads(tmp_path, capsys, extra, message):
    argv = ["analyze", "rollout", "--model", "no-such-model", "--text", TEXT, "--out", str(tmp_path / "x.json")]
    assert main(argv + extra) == 2
    assert message in capsys.readouterr().err


def test_flow_refuses_a_bad_query_and_a_long_text(tmp_path, capsys, smollm):
    base = ["analyze", "flow", "--model", SMOL, "--out", str(tmp_path / "f.json")]
    assert main([*base, "--text", TEXT, "--query", "99"]) == 2
    assert "query" in capsys.readouterr().err
    assert main([*base, "--text", " ".join(["word"] * (FLOW_MAX_TOKENS + 1))]) == 2
    assert "use rollout" in capsys.readouterr().err
    assert not (tmp_path / "f.json").exists()
