"""`main.py export --weighting attention|norm [--renormalize]`: the files hold the engine's norm-weighted maps."""

import json

import numpy as np
import pytest
from test_cli import cli, error_of

from explorer.cli.parser import WEIGHTINGS, build_parser
from explorer.export.figure_style import caption_text, default_name, weighting_text
from models.runtime import weighting

TEXT = "The cat sat on the mat because it was warm"


def test_the_parser_offers_the_engines_weightings():
    assert WEIGHTINGS == weighting.WEIGHTINGS
    args = build_parser().parse_args(["export", "--model", "m", "--text", "t", "--out", "x.npy"])
    assert (args.weighting, args.renormalize) == ("attention", False)


@pytest.mark.slow  # two runs of a real model (subprocesses / windows): ~15-20 s
def test_export_norm_weighting_writes_the_engines_map(tmp_path, smollm):
    renormalised, raw = tmp_path / "norm.npy", tmp_path / "raw.json"
    common = ("export", "--model", "smollm2-135m-instruct", "--text", TEXT, "--layer", "3", "--head", "2")
    result = cli(*common, "--weighting", "norm", "--renormalize", "--out", str(renormalised))
    assert result.returncode == 0, result.stderr
    result = cli(*common, "--weighting", "norm", "--mask", "causal,window=4", "--out", str(raw))
    assert result.returncode == 0, result.stderr

    run = smollm.run(TEXT)
    expected = weighting.weighted_attention(run, 3, 2, weighting="norm", renormalize=True)
    written = np.load(renormalised)
    np.testing.assert_allclose(written, expected, atol=1e-6)
    np.testing.assert_allclose(written.sum(axis=-1), 1.0, atol=1e-5)
    assert not np.allclose(written, run.attention(3, 2), atol=1e-3)

    data = json.loads(raw.read_text())
    assert data["weighting"] == {"kind": "norm", "renormalized": False}
    windowed = smollm.run(TEXT, mask="causal,window=4")
    expected = weighting.weighted_attention(windowed, 3, 2, weighting="norm")
    np.testing.assert_allclose(np.array(data["attention"]), expected, atol=1e-5, rtol=1e-5)
    assert np.array(data["attention"]).sum(axis=-1).max() > 1.0  # raw norm-weighted rows are not probabilities


def test_bad_weighting_options_are_refused_before_the_model_loads(tmp_path):
    base = ("export", "--model", "all-minilm-l6-v2", "--text", "hi")
    result = cli(*base, "--weighting", "value", "--out", str(tmp_path / "m.npy"))
    assert result.returncode == 2 and "--weighting: invalid choice: 'value'" in result.stderr
    message = error_of(cli(*base, "--renormalize", "--out", str(tmp_path / "m.npy")))
    assert message.startswith("error: --renormalize applies to --weighting norm")
    message = error_of(cli(*base, "--weighting", "norm", "--out", str(tmp_path / "m.png")))
    assert "would clip" in message and "--renormalize" in message and "--scale row" in message
    assert not list(tmp_path.iterdir())


def test_norm_weighted_figures_say_so_in_their_caption_and_file_name():
    words = weighting_text("norm")
    assert words == "norm-weighted" and weighting_text("attention", True) == ""
    assert (
        caption_text("SmolLM2", 3, 5, {"mask": "causal"}, words)
        == "SmolLM2 · layer 3 · head 5 · norm-weighted · causal"
    )
    assert default_name("SmolLM2", 3, 5, None, ".svg", words) == "SmolLM2_L03_H05_norm-weighted.svg"
    assert default_name("SmolLM2", 3, 5, None, ".svg") == "SmolLM2_L03_H05.svg"
