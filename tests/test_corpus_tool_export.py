"""The Corpus tool in one window: bad input first (each gets a clear ⚠ status line naming what is wrong, never a
traceback, and Run stays off until a readable corpus is open), then its exports: the atlas of a score's corpus
means (figure, or every head's count, mean, spread and 95 % interval as CSV/JSON) and a head's top examples, each
checked against the job's own files (summary.json and heads.parquet, read independently here)."""

import csv
import json
import math

import numpy as np
import pyarrow.parquet as pq
import pytest
from builders import write_hf_model
from gui_helpers import LOAD_TIMEOUT_MS, close, open_window
from test_corpus import write_corpus

from explorer.export.corpus_files import atlas_csv, write_corpus_atlas, write_top_examples
from explorer.gui.tools.corpus.compute import SAMPLE_FOLDER, progress_line, results_folder
from models.analysis.corpus_job import Progress

SCORE = "prefix_matching"


def run_corpus_in(qtbot, window, corpus):
    tool = window.tools["corpus"]
    window.open_tool("corpus")
    tool.open_corpus(str(corpus))
    qtbot.waitUntil(lambda: tool.view.run_button.isEnabled(), timeout=LOAD_TIMEOUT_MS)
    tool.view.run_button.click()
    qtbot.waitUntil(lambda: tool.results is not None, timeout=LOAD_TIMEOUT_MS)
    return tool


def export(qtbot, tool, write, path):
    with qtbot.waitSignal(tool.export.exported, timeout=LOAD_TIMEOUT_MS) as written:
        write(path)
    assert written.args == [str(path)]
    return path


def number(text: str) -> float:
    return math.nan if text == "n/a" else float(text)


def status_after(qtbot, tool, action) -> str:
    tool.view.status.setText(" ")
    action()
    qtbot.waitUntil(lambda: tool.view.status.text().startswith("⚠"), timeout=LOAD_TIMEOUT_MS)
    return tool.view.status.text()


def check_bad_input(qtbot, window, tmp_path):
    """In the export test's window (a window of its own would cost the suite seconds); its model is tiny-llama."""
    window.open_tool("corpus")
    tool = window.tools["corpus"]

    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    message = status_after(qtbot, tool, lambda: tool.open_corpus(str(empty)))
    assert f"{empty} holds no text to analyse" in message and "--in" not in message
    assert not tool.view.run_button.isEnabled()

    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": 1, "text": "fine"}\nnot json at all\n', encoding="utf-8")
    message = status_after(qtbot, tool, lambda: tool.open_corpus(str(broken)))
    assert f"{broken}: line 2 is not JSON" in message
    assert not tool.view.run_button.isEnabled() and tool.corpus is None
    assert tool.view.source.text() == "No corpus open"  # not the refused file's name, as if it were open

    unfinished = tmp_path / "other.corpus"  # another model's run, stopped before its summary
    unfinished.mkdir()
    fingerprint = {"model": "other-model", "layers": 3, "heads": 2}
    claim = {"fingerprint": fingerprint, "corpus": str(broken)}
    (unfinished / "job.json").write_text(json.dumps(claim), encoding="utf-8")
    (unfinished / "shard-00000.parquet").write_bytes(b"PAR1 not really")
    message = status_after(qtbot, tool, lambda: tool.open_results(str(unfinished)))
    assert "unfinished run of other-model (1 shards written)" in message
    message = status_after(qtbot, tool, lambda: tool.open_results(str(tmp_path / "tiny-llama")))
    assert "is not a corpus job's folder" in message

    good = tmp_path / "good.jsonl"
    good.write_text('{"id": "a", "text": "one two one two"}\n', encoding="utf-8")
    taken = tmp_path / "good.tiny-llama.corpus"  # where the tool keeps this corpus's results: another job's
    taken.mkdir()
    (taken / "job.json").write_text(json.dumps(claim), encoding="utf-8")
    tool.open_corpus(str(good))
    qtbot.waitUntil(tool.view.run_button.isEnabled, timeout=LOAD_TIMEOUT_MS)
    message = status_after(qtbot, tool, tool.view.run_button.click)
    assert f"{taken} holds the results of another job" in message and "delete that folder" in message
    assert "--out" not in message and tool.results is None
    qtbot.waitUntil(tool.view.run_button.isEnabled, timeout=LOAD_TIMEOUT_MS)  # Run again once it is fixed


def test_bad_input_then_a_run_whose_exports_are_the_jobs_numbers(qtbot, tmp_path):
    folder = tmp_path / "tiny-llama"
    write_hf_model(folder, "llama")
    corpus = write_corpus(tmp_path / "corpus.jsonl", n=12)
    window = open_window(qtbot, tmp_path, model=str(folder), text="a b c a b c")
    try:
        check_bad_input(qtbot, window, tmp_path)
        tool = run_corpus_in(qtbot, window, corpus)
        out = tmp_path / "corpus.tiny-llama.corpus"
        heads = pq.read_table(out / "heads.parquet").to_pylist()
        rows = {(r["layer"], r["head"]): r for r in heads if r["score"] == SCORE}
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))

        table = list(csv.DictReader(export(qtbot, tool, tool.export.export_atlas_to, tmp_path / "atlas.csv").open()))
        assert len(table) == summary["layers"] * summary["heads"] == len(rows)
        for line in table:
            expected = rows[(int(line["layer"]), int(line["head"]))]
            assert int(line["count"]) == expected["count"]
            for key in ("mean", "std", "ci_low", "ci_high"):
                want = math.nan if expected[key] is None else expected[key]
                np.testing.assert_allclose(number(line[key]), want, rtol=1e-8, equal_nan=True)

        data = json.loads(export(qtbot, tool, tool.export.export_atlas_to, tmp_path / "atlas.json").read_text("utf-8"))
        assert (data["model"], data["score"], data["texts"], data["corpus"]) == ("tiny-llama", SCORE, 12, str(corpus))
        for key in ("count", "mean", "std", "ci_low", "ci_high"):
            assert data[key] == summary["scores"][SCORE][key]

        tool.show_head(1, 2)
        texts = {json.loads(line)["id"]: json.loads(line)["text"] for line in corpus.read_text().splitlines()}
        top = summary["scores"][SCORE]["top"][1][2]
        examples = list(
            csv.DictReader(export(qtbot, tool, tool.export.export_examples_to, tmp_path / "top.csv").open())
        )
        assert [e["text_id"] for e in examples] == [e["text_id"] for e in top] and len(top) > 0
        assert [float(e["value"]) for e in examples] == pytest.approx([e["value"] for e in top], rel=1e-8)
        assert [int(e["position"]) for e in examples] == [e["position"] for e in top]
        assert [e["text"] for e in examples] == [texts[e["text_id"]] for e in top]
        data = json.loads(export(qtbot, tool, tool.export.export_examples_to, tmp_path / "top.json").read_text("utf-8"))
        assert (data["layer"], data["head"], data["mean"]) == (1, 2, rows[(1, 2)]["mean"])
        assert [e["text_id"] for e in data["top"]] == [e["text_id"] for e in top]

        for suffix in (".svg", ".pdf"):
            figure = export(qtbot, tool, tool.export.export_atlas_to, tmp_path / f"atlas{suffix}")
            assert figure.stat().st_size > 1000
        svg = (tmp_path / "atlas.svg").read_text(encoding="utf-8")
        assert "tiny-llama" in svg and "mean over 12 texts" in svg  # the caption says what the means are over

        # A text where no token repeats (one token): prefix matching is undefined on it, said in words, never "nan".
        with qtbot.waitSignal(window.workspace.run_changed, timeout=LOAD_TIMEOUT_MS):
            window.workspace.set_texts(["a"])  # one token: no query has an earlier copy
        tool.show_head(1, 2)
        qtbot.waitUntil(lambda: tool.current is not None, timeout=LOAD_TIMEOUT_MS)
        assert np.isnan(tool.current[SCORE][1, 2])
        assert "on the current text: n/a" in tool.view.status.text() and "nan" not in tool.view.status.text()
    finally:
        close(window)


SUMMARY = {
    "model": "m",
    "texts": 3,
    "tokens": 30,
    "confidence": 0.95,
    "layers": 1,
    "heads": 2,
    "scores": {
        SCORE: {
            "count": [[3, 1]],
            "mean": [[0.5, 0.25]],
            "std": [[0.1, None]],
            "ci_low": [[0.3, None]],
            "ci_high": [[0.7, None]],
            "top": [[[{"text_id": "a", "value": 0.75, "position": 4, "token": "x"}], []]],
        }
    },
}


def test_undefined_values_are_na_and_bad_requests_are_refused(tmp_path):
    lines = atlas_csv(SUMMARY, SCORE).decode().splitlines()
    assert lines == ["layer,head,count,mean,std,ci_low,ci_high", "0,0,3,0.5,0.1,0.3,0.7", "0,1,1,0.25,n/a,n/a,n/a"]
    with pytest.raises(ValueError, match="score: 'entropy'"):
        atlas_csv(SUMMARY, "entropy")
    with pytest.raises(ValueError, match="L1H0 is outside"):
        write_top_examples(tmp_path / "top.csv", SUMMARY, SCORE, 1, 0, {})
    with pytest.raises(ValueError, match="is not one of"):
        write_top_examples(tmp_path / "top.png", SUMMARY, SCORE, 0, 0, {})
    undefined = json.loads(json.dumps(SUMMARY))
    undefined["scores"][SCORE]["mean"] = [[None, None]]
    with pytest.raises(ValueError, match="no text defined"):
        write_corpus_atlas(tmp_path / "atlas.svg", undefined, SCORE, label="mean", title="t")
    assert not (tmp_path / "atlas.svg").exists() and not (tmp_path / "top.csv").exists()


def test_progress_says_the_pace_and_the_time_left_once_a_batch_of_this_run_is_scored():
    resumed = Progress(texts_done=40, texts=276, tokens_done=2000, tokens_this_run=0, seconds=0.5)
    assert progress_line(resumed, 0) == "40/276 texts"  # no pace yet: never "0 tokens/s"
    # 40 texts of this run took 20 s: the 196 left take about 98 s more
    state = Progress(texts_done=80, texts=276, tokens_done=4000, tokens_this_run=2000, seconds=20.0)
    assert progress_line(state, 40) == "80/276 texts · 100 tokens/s · about 2 min left"
    state = Progress(texts_done=270, texts=276, tokens_done=9000, tokens_this_run=7000, seconds=70.0)
    assert progress_line(state, 230) == "270/276 texts · 100 tokens/s · under a minute left"


def test_results_go_beside_the_corpus_but_the_shipped_samples_go_to_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ATTENTION_EXPLORER_CACHE", str(tmp_path / "cache"))
    mine = tmp_path / "texts.jsonl"
    assert results_folder(str(mine), "Some/Model") == tmp_path / "texts.Some_Model.corpus"
    sample = results_folder(str(SAMPLE_FOLDER / "sample.jsonl"), "m")
    assert sample.parent == tmp_path / "cache" / "corpus-results" and sample.name.startswith("sample-")
    assert (SAMPLE_FOLDER / "sample.jsonl").is_file()  # the sample it names is the shipped one


def test_the_engines_corpus_messages_are_each_said_in_the_windows_words(tmp_path):
    """Each message KNOWN rewords is one the engine really raises: a change of its wording fails here, not in use."""
    from explorer.gui.tools.corpus.messages import window_message
    from models.analysis.corpus_reading import read_corpus

    files = {
        "empty.jsonl": "",
        "broken.jsonl": '{"text": "fine"}\nnot json\n',
        "shape.jsonl": '{"words": "no text key"}\n',
        "corpus.csv": "text\nhello\n",
        "latin1.txt": "caf\xe9\n",
    }
    said = []
    for name, content in files.items():
        path = tmp_path / name
        path.write_bytes(content.encode("latin-1"))
        with pytest.raises(ValueError) as error:
            read_corpus(path)
        said.append(window_message(str(error.value)))
    warned = []
    (tmp_path / "blank.jsonl").write_text('{"id": "a", "text": "  "}\n{"id": "b", "text": "ok"}\n')
    read_corpus(tmp_path / "blank.jsonl", warn=warned.append)
    said.append(window_message(warned[0]))
    assert said == [
        f"{tmp_path / 'empty.jsonl'} holds no text to analyse",
        f"{tmp_path / 'broken.jsonl'}: line 2 is not JSON (Expecting value)",
        f'{tmp_path / "shape.jsonl"}: line 1 is not an object with a "text" string',
        f"{tmp_path / 'corpus.csv'} is not a corpus: its extension is '.csv'; use .txt, .jsonl, .parquet",
        f"{tmp_path / 'latin1.txt'} is not UTF-8 text (invalid continuation byte at byte 3)",
        f"{tmp_path / 'blank.jsonl'}: text a is blank; skipped",
    ]
