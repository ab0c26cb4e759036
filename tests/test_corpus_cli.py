"""`python main.py analyze corpus` as a user runs it: Ctrl+C in the middle and a resume, and every bad input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_corpus import write_corpus

ROOT = Path(__file__).resolve().parents[1]


def run(main_in_process, *args):
    done = main_in_process(*args)
    return done.returncode, done.stdout, done.stderr


def corpus_args(model, corpus, out, *extra):
    return ["analyze", "corpus", "--model", model.source.path, "--in", str(corpus), "--out", str(out), *extra]


def test_ctrl_c_in_the_middle_then_the_same_command_resumes_to_the_uninterrupted_result(
    tiny_causal_lm, main_in_process, tmp_path
):
    corpus = write_corpus(tmp_path / "corpus.jsonl", n=100, seed=1)
    options = ["--shard-texts", "5", "--top-k", "3", "--batch-tokens", "64"]
    command = [sys.executable, str(ROOT / "main.py"), *corpus_args(tiny_causal_lm, corpus, tmp_path / "out", *options)]
    default_sigint = lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)  # noqa: E731 (as a terminal gives it)
    environment = dict(os.environ, OMP_NUM_THREADS="1")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment,
                               preexec_fn=default_sigint)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not (tmp_path / "out" / "shard-00001.parquet").exists():  # two shards written: work is under way
            assert process.poll() is None and time.monotonic() < deadline, process.stderr.read().decode()
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    stderr = err.decode("utf-8", "replace")
    assert process.returncode == 130, stderr[-2000:]
    assert "Traceback" not in stderr and "run the same command to resume" in stderr
    kept = sorted(path.name for path in (tmp_path / "out").glob("shard-*.parquet"))
    assert 2 <= len(kept) < 20 and not (tmp_path / "out" / "summary.json").exists()
    assert not list((tmp_path / "out").glob(".*.part"))  # the shard in flight left nothing half-written

    code, out, err = run(main_in_process, *corpus_args(tiny_causal_lm, corpus, tmp_path / "out", *options))
    assert code == 0, err
    code, _, err = run(main_in_process, *corpus_args(tiny_causal_lm, corpus, tmp_path / "whole", *options))
    assert code == 0, err
    resumed = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    whole = json.loads((tmp_path / "whole" / "summary.json").read_text(encoding="utf-8"))
    assert resumed["texts"] == whole["texts"] == 100
    assert resumed == whole


def test_bad_input_gets_one_clear_line_and_no_work(tiny_causal_lm, main_in_process, tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl", n=12)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    code, _, err = run(main_in_process, *corpus_args(tiny_causal_lm, empty, tmp_path / "a"))
    assert code == 2 and "empty.jsonl holds no text to analyse" in err
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "fine"}\nnot json at all\n', encoding="utf-8")
    code, _, err = run(main_in_process, *corpus_args(tiny_causal_lm, broken, tmp_path / "a"))
    assert code == 2 and "broken.jsonl line 2 is not JSON" in err
    code, _, err = run(main_in_process, *corpus_args(tiny_causal_lm, corpus, tmp_path / "a", "--scores", "induction"))
    assert code == 2 and "--scores: induction unknown" in err
    # an unreachable Ray address: refused before the model loads or the folder is made
    code, _, err = run(main_in_process, *corpus_args(tiny_causal_lm, corpus, tmp_path / "ray", "--ray", "127.0.0.1:9"))
    assert code == 2 and "--ray: nothing answers at 127.0.0.1:9" in err and not (tmp_path / "ray").exists()

    # a text over --max-tokens is truncated, with a warning naming it
    long = tmp_path / "long.jsonl"
    long.write_text(
        json.dumps({"id": "short", "text": "a cat"}) + "\n" + json.dumps({"id": "essay", "text": "dog " * 80}) + "\n"
    )
    code, out, err = run(main_in_process, *corpus_args(tiny_causal_lm, long, tmp_path / "long", "--max-tokens", "32"))
    assert code == 0, err
    assert "warning: text essay: " in err and "truncated to 32" in err and "short" not in err
    assert json.loads((tmp_path / "long" / "summary.json").read_text())["tokens"] == 32 + len(
        tiny_causal_lm.tokenizer.backend.encode("a cat").ids
    )
    # the folder of another model's job
    code, _, err = run(main_in_process, *corpus_args(tiny_causal_lm, corpus, tmp_path / "job"))
    assert code == 0, err
    job_file = tmp_path / "job" / "job.json"
    stamp = json.loads(job_file.read_text())
    stamp["fingerprint"]["model"] = "smollm2-135m-instruct"
    job_file.write_text(json.dumps(stamp))
    code, _, err = run(main_in_process, *corpus_args(tiny_causal_lm, corpus, tmp_path / "job"))
    assert code == 2 and f"{tmp_path / 'job'}: holds another job's results (model='smollm2-135m-instruct')" in err
