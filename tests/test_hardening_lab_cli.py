"""The labs from the command line and the foundations library, second hardening sweep (issue 22): settings too big
for memory refused before anything is allocated, naming the setting and the budget; seeds named as --seed; a
pickle never read as positions; a bad --save refused before training. Each failed before the sweep."""

import json
import time

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.cli.main import main
from models.lab.foundations import pooling, positions, relative, scores
from models.lab.memory import MemoryBudgetError
from models.lab.seq2seq import Trainer, defaults

QUICK = ["--layers", "1", "--heads", "2", "--d-model", "16", "--batch-size", "8", "--snapshot-every", "10"]
SETTINGS = settings(
    max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)


@pytest.fixture
def one_gigabyte(monkeypatch):
    monkeypatch.setenv("ATTENTION_EXPLORER_MEMORY_BUDGET", "1G")


def refused(argv, capsys, *words) -> str:
    started = time.perf_counter()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err and "unexpected" not in err, err
    for word in words:
        assert word in err, err
    assert time.perf_counter() - started < 30, "refused before the work, not after"
    return err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["lab", "train", "--d-model", "2048", "--layers", "12", "--batch-size", "4096"], ["d_model", "batch_size"]),
        (["lab", "train", "--system", "gpt", "--d-model", "2048", "--layers", "12"], ["d_model", "layers"]),
        (["lab", "pooling", "--n", "200000"], ["training points", "1.0 GB"]),
        (["lab", "pooling", "--n", "10", "--test-points", "200000000"], ["test points"]),
        (["lab", "pooling", "--n", "5000", "--json"], ["JSON"]),
        (["lab", "positions", "--kind", "sinusoidal", "--length", "400000", "--similarity"], ["positions"]),
        (["lab", "positions", "--kind", "alibi", "--length", "200000"], ["length"]),
        (["lab", "positions", "--kind", "t5", "--length", "300000"], ["length"]),
        (["lab", "positions", "--kind", "rope", "--max-distance", "2000000000"], ["max_distance"]),
        (["lab", "positions", "--kind", "2d-sincos", "--grid", "100000x100000"], ["grid"]),
        (["lab", "scores", "--n", "30000", "--m", "30000"], ["n, m or d"]),
        (["lab", "scores", "--n", "2000", "--m", "2000", "--kind", "additive"], ["additive"]),
        (["lab", "classifier", "--hidden", "100000"], ["hidden"]),
        (["lab", "positions", "--kind", "rope", "--length", "1000000000"], ["length"]),  # was killed for memory
    ],
)
def test_settings_beyond_the_memory_budget_are_refused_first(one_gigabyte, capsys, argv, words):
    refused(argv, capsys, "memory:", "ATTENTION_EXPLORER_MEMORY_BUDGET", *words)


def test_the_library_refuses_the_same_sizes(one_gigabyte):
    for call in (
        lambda: Trainer(defaults("transformer", "reverse", d_model=2048, layers=12, batch_size=4096)),
        lambda: pooling.nadaraya_watson(np.zeros(200_000), np.zeros(200_000), np.zeros(200_000)),
        lambda: positions.similarity(np.zeros((400_000, 1))),
        lambda: relative.alibi_bias(8, 200_000),
        lambda: scores.random_qk(10, 10, 10**9),
    ):
        with pytest.raises(MemoryBudgetError, match="memory: .* lower "):
            call()


def test_patch_similarity_computes_one_row_not_the_whole_grid(one_gigabyte):
    """A 300×300 grid's full similarity is 8·90,000² bytes = 60 GB; the one row shown is 90,000 values."""
    table = positions.sincos_2d(300, 300, 8)
    image = positions.patch_similarity(table, 300, 300, (10, 20))
    reference = table @ table[10 * 300 + 20] / np.linalg.norm(table, axis=1) / np.linalg.norm(table[10 * 300 + 20])
    assert image.shape == (300, 300) and np.abs(image.ravel() - reference).max() < 1e-12
    assert image[10, 20] == pytest.approx(1.0)


@pytest.mark.parametrize("command", [["pooling"], ["scores"], ["classifier", "--steps", "1"]])
@pytest.mark.parametrize("seed", ["-1", "-5", str(2**63), "x"])
def test_a_bad_seed_names_the_flag(capsys, command, seed):
    with pytest.raises(SystemExit) as stopped:  # argparse's own exit: status 2, the usage and the message
        main(["lab", *command, "--seed", seed])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "argument --seed" in err and "expected non-negative" not in err


@SETTINGS
@given(seed=st.one_of(st.integers(-(10**30), 10**30), st.floats(), st.booleans(), st.none(), st.text(max_size=4)))
def test_the_library_names_a_bad_seed(seed):
    for call in (
        lambda: pooling.make_data(5, seed=seed),
        lambda: scores.random_qk(2, 2, 2, seed),
        lambda: relative.t5_bias_pattern(4, seed=seed),
    ):
        try:
            call()
        except ValueError as error:
            assert "seed" in str(error)
        else:
            assert isinstance(seed, int) and not isinstance(seed, bool) and 0 <= seed < 2**63


def test_a_pickle_given_as_learned_positions_is_named_not_unpickled(tmp_path, capsys, monkeypatch):
    path = tmp_path / "positions.pt"
    torch.save({"wpe.weight": torch.zeros(4, 8)}, path)
    monkeypatch.setattr("pickle.load", lambda *a, **k: pytest.fail("a pickle was loaded"))
    err = refused(["lab", "positions", "--kind", "learned", "--model", str(path)], capsys, "not a safetensors file")
    assert "never loaded" in err


def test_a_save_destination_that_cannot_be_written_is_refused_before_training(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    (tmp_path / "folder.safetensors").mkdir()
    for save, words in ((blocker / "run.safetensors", "not a folder"), (tmp_path / "folder.safetensors", "folder")):
        argv = ["lab", "train", "--steps", "1000000", *QUICK, "--save", str(save)]
        refused(argv, capsys, "--save", words)


def test_a_save_into_a_new_folder_creates_it(tmp_path, capsys):
    run = tmp_path / "new" / "dir" / "run.safetensors"
    assert main(["lab", "train", "--system", "gru", "--task", "copy", "--steps", "2", *QUICK, "--save", str(run)]) == 0
    assert run.is_file() and run.with_suffix(".json").is_file()
    meta = json.loads(run.with_suffix(".json").read_text())
    meta["step"] = "abc"
    run.with_suffix(".json").write_text(json.dumps(meta))
    refused(["lab", "attention", "--load", str(run)], capsys, '"step" is "abc"')


CLI_FUZZ = settings(
    max_examples=25, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
numbers_as_text = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from(["0", "-1", "1e9", "nan", "inf", "", "x", str(2**63), "99999999"]),
)


@CLI_FUZZ
@given(
    command=st.sampled_from(
        [
            ["pooling", "--n"],
            ["pooling", "--test-points"],
            ["pooling", "--bandwidth"],
            ["pooling", "--noise"],
            ["scores", "--n"],
            ["scores", "--d"],
            ["scores", "--view", "entropy", "--dims"],
            ["positions", "--kind", "t5", "--length"],
            ["positions", "--kind", "rope", "--max-distance"],
            ["positions", "--kind", "alibi", "--heads"],
            ["positions", "--kind", "sinusoidal", "--dim"],
            ["train", "--d-model"],
            ["train", "--batch-size"],
            ["train", "--steps"],
            ["train", "--seed"],
        ]
    ),
    value=numbers_as_text,
)
def test_any_number_for_a_lab_setting_is_a_result_or_one_clear_error(monkeypatch, capsys, command, value):
    """Each lab command with one setting replaced: status 0, or status 2 with one error line (argparse's or
    ours), never a traceback or an 'unexpected' error; what would not fit in 1 GB is refused, not attempted."""
    monkeypatch.setenv("ATTENTION_EXPLORER_MEMORY_BUDGET", "1G")
    argv = ["lab", *command, value]
    if command[0] == "train":
        argv += [*QUICK, "--steps", "0"] if command[1] != "--steps" else QUICK
        if command[1] == "--steps" and value.lstrip("-").isdigit() and int(value) > 3:
            return  # a long run is a valid request, not a bad input
    try:
        code = main(argv)
    except SystemExit as stopped:  # argparse: not a number of the flag's type
        code = stopped.code
    err = capsys.readouterr().err
    assert code in (0, 2), err
    assert "Traceback" not in err and "unexpected" not in err, err


def test_bpe_with_a_billion_merges_is_refused_not_aborted(capsys):
    """`tokenizers` aborted the whole process (SIGABRT, exit 134) when asked for a vocabulary of 10⁹ entries."""
    refused(["lab", "bpe", "--text", "hello hello", "--merges", "1000000000"], capsys, "merges", "1,000,000")


def test_asking_for_more_merges_than_a_corpus_allows_learns_the_same_merges():
    from models.lab.foundations.bpe import learn_merges

    text = "low lower lowest newer newest wider widest " * 3
    assert learn_merges(text, 1_000_000) == learn_merges(text, 500) == learn_merges(text, len(text))
