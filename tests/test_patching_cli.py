"""`analyze patch` and `analyze attribute` (issue 25 item 5), and the files they write (explorer/export/patch_files.py).

The commands run in this process on the shared SmolLM2 (main_in_process); their files must hold what the API
computes. The writers are also checked on a hand-made sweep with a NaN cell: null in JSON, empty in CSV, and no
figure at all.
"""

import csv
import json

import numpy as np
import pytest

from explorer.export.patch_files import write_sweep
from models.analysis import attribution_patching, patching
from models.analysis.patching import PatchSweep
from models.analysis.patching_templates import template_named


def sweep_with_nan() -> PatchSweep:
    return PatchSweep(
        restored=np.array([[0.5, np.nan], [1.0, -0.25]]),
        what="heads",
        direction="denoise",
        metric="logit_diff",
        method="exact",
        metric_clean=2.0,
        metric_corrupt=-1.0,
        tokens_clean=["a", " b"],
        tokens_corrupt=["a", " c"],
        answer=" x",
        wrong=" y",
        model="tiny",
        seconds=0.1,
    )


def test_files_hold_nan_as_null_and_refuse_to_draw_it(tmp_path):
    sweep = sweep_with_nan()
    write_sweep(tmp_path / "s.json", sweep)
    payload = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert payload["restored"] == [[0.5, None], [1.0, -0.25]]
    assert payload["metric"] == {"name": "logit_diff", "clean": 2.0, "corrupt": -1.0}
    assert payload["tokens"] == {"clean": ["a", " b"], "corrupt": ["a", " c"]}
    write_sweep(tmp_path / "s.csv", sweep)
    rows = list(csv.reader((tmp_path / "s.csv").read_text(encoding="utf-8").splitlines()))
    assert rows == [["layer", "H0", "H1"], ["0", "0.5", ""], ["1", "1", "-0.25"]]
    with pytest.raises(ValueError, match="non-finite"):
        write_sweep(tmp_path / "s.png", sweep)
    assert not (tmp_path / "s.png").exists()


def test_analyze_patch_writes_what_the_api_computes(main_in_process, smollm, tmp_path):
    ioi = template_named("ioi")
    out = tmp_path / "heads.json"
    done = main_in_process("analyze", "patch", "--template", "ioi", "--what", "heads", "--approx", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "most restored: L23H3" in done.stdout
    payload = json.loads(out.read_text(encoding="utf-8"))
    setup = patching.prepare(smollm, ioi.clean, ioi.corrupt, ioi.answer, ioi.wrong)
    expected = attribution_patching.approximate(setup, "heads")
    np.testing.assert_allclose(np.array(payload["restored"]), expected.restored, atol=1e-6)
    assert payload["method"] == "attribution" and payload["axes"] == ["layer", "head"]
    assert payload["metric"]["clean"] == pytest.approx(setup.metric_clean)
    assert payload["tokens"]["corrupt"] == setup.tokens_corrupt
    figure = tmp_path / "resid.svg"
    done = main_in_process(
        "analyze", "patch", "--template", "factual", "--what", "resid", "--approx", "--out", str(figure)
    )
    assert done.returncode == 0, done.stderr
    assert figure.read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))


def test_analyze_attribute_writes_scores_and_completeness(main_in_process, smollm, tmp_path):
    out = tmp_path / "a.csv"
    text = "The Eiffel Tower is located in the city of"
    done = main_in_process("analyze", "attribute", "--text", text, "--method", "grad-input", "--out", str(out))
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["position", "token", "grad-input"] and len(rows) == 11
    from models.analysis import token_attribution

    expected = token_attribution.attribute(smollm, text, method="grad-input")
    np.testing.assert_allclose([float(r[2]) for r in rows[1:]], expected.scores, rtol=1e-5, atol=1e-9)
    done = main_in_process("analyze", "attribute", "--text", text, "--steps", "8", "--out", str(tmp_path / "ig.json"))
    assert done.returncode == 0 and "completeness error" in done.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["patch", "--clean", "a b", "--corrupt", "a b c", "--answer", " c", "--wrong", " d"], "different token"),
        (["patch", "--template", "ioi", "--answer", " Maryann"], "is 2 tokens"),
        (["patch", "--template", "ioi", "--clean", "When Mary and John"], "different token"),
        (["patch", "--clean", "a b", "--corrupt", "a c", "--answer", " c"], "--wrong"),
        (["patch", "--corrupt", "a c", "--answer", " c", "--wrong", " d"], "--clean: missing"),
        (["attribute", "--text", "hi", "--steps", "0"], "--steps"),
        (["attribute", "--text", "hi", "--model", "all-minilm-l6-v2"], "encoder"),
    ],
)
def test_bad_input_exits_with_one_clear_line(main_in_process, tmp_path, arguments, message):
    extra = ["--what", "heads"] if arguments[0] == "patch" else []
    done = main_in_process("analyze", *arguments, *extra, "--out", str(tmp_path / "x.json"))
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.json").exists()
