"""The seq2seq lab's library side of the second hardening sweep (issue 22): Trainer's arguments, checkpoints as a
pair written as one, and checkpoints checked when read (wrong kinds of fields, weights that are not finite, two
files from different saves). Each test failed on the code before the sweep. Tiny models, a few steps each."""

import json
import os

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safetensors.torch import load_file, save_file

from models.lab.seq2seq import LabSettings, Trainer, defaults, load_checkpoint
from models.lab.seq2seq import checkpoint as checkpoint_module

TINY = {"layers": 1, "heads": 2, "d_model": 8, "batch_size": 4, "length": 4, "vocab": 4, "snapshot_every": 1000}
SETTINGS = settings(
    max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=10),
)
anything = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner)),
    max_leaves=6,
)


@pytest.fixture(scope="module")
def trainer():
    trained = Trainer(defaults("transformer", "reverse", steps=3, **TINY))
    for _ in trained.train():
        pass
    return trained


@pytest.fixture
def saved(trainer, tmp_path):
    path = tmp_path / "run.safetensors"
    trainer.save(path)
    return path


# -- Trainer's arguments ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [{"system": "gru"}, None, "transformer", 3])
def test_trainer_refuses_what_is_not_settings(bad):
    with pytest.raises(ValueError, match="settings: .* is not a LabSettings"):
        Trainer(bad)


@pytest.mark.parametrize("bad", ["5", -5, -1, 1.5, True, 10**400, [3]])
def test_train_refuses_a_bad_step_count_when_called_not_at_the_first_step(trainer, bad):
    with pytest.raises(ValueError, match="n_steps"):
        trainer.train(bad)  # no next(): the check runs at the call


def test_train_zero_steps_is_nothing_and_an_integer_trains_that_many(trainer):
    step = trainer.step
    assert list(trainer.train(0)) == []
    events = list(trainer.train(2))
    assert [e.step for e in events if hasattr(e, "loss")] == [step + 1, step + 2]


@SETTINGS
@given(data=anything)
def test_settings_from_any_json_are_checked_settings_or_a_named_value_error(data):
    try:
        loaded = LabSettings.from_json(data)
    except ValueError as error:
        assert ":" in str(error)  # "field: ..."
        return
    assert loaded.check() is loaded


@SETTINGS
@given(n_steps=scalars)
def test_train_takes_an_integer_or_none_or_refuses_by_name(trainer, n_steps):
    try:
        events = trainer.train(n_steps)
    except ValueError as error:
        assert "n_steps" in str(error)
        return
    assert n_steps is None or (isinstance(n_steps, int) and not isinstance(n_steps, bool) and n_steps >= 0)
    events.close()  # valid: a generator, not run here


# -- a checkpoint is a pair ------------------------------------------------------------------------------------
def pair_bytes(path):
    return path.read_bytes(), path.with_suffix(".json").read_bytes()


@pytest.fixture
def changed(trainer, saved):
    """The trainer with other weights and another step for the test's length: a save that differs in both files."""
    first = next(trainer.model.parameters())
    with torch.no_grad():
        first.add_(1.0)
    trainer.step += 1
    yield trainer
    trainer.step -= 1
    with torch.no_grad():
        first.sub_(1.0)


def test_a_failed_json_write_leaves_the_old_pair_whole(changed, saved, monkeypatch):
    before = pair_bytes(saved)

    def full_disk(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(checkpoint_module.Path, "write_text", full_disk)
    with pytest.raises(OSError, match="No space"):
        changed.save(saved)
    assert pair_bytes(saved) == before
    assert sorted(p.name for p in saved.parent.iterdir()) == ["run.json", "run.safetensors"], "no partial file"


def test_a_failed_replace_of_the_json_puts_the_old_weights_back(changed, saved, monkeypatch):
    before = pair_bytes(saved)
    real_replace = os.replace

    def refuse_json(source, target):
        if str(target).endswith(".json"):
            raise PermissionError(13, "Permission denied", str(target))
        return real_replace(source, target)

    monkeypatch.setattr(checkpoint_module.os, "replace", refuse_json)
    with pytest.raises(PermissionError):
        changed.save(saved)
    assert pair_bytes(saved) == before
    assert sorted(p.name for p in saved.parent.iterdir()) == ["run.json", "run.safetensors"]


def test_a_failed_first_save_leaves_no_file(trainer, tmp_path, monkeypatch):
    monkeypatch.setattr(checkpoint_module.Path, "write_text", lambda *a, **k: (_ for _ in ()).throw(OSError("x")))
    with pytest.raises(OSError):
        trainer.save(tmp_path / "run.safetensors")
    assert list(tmp_path.iterdir()) == []


def test_files_from_two_saves_are_refused_as_a_pair(trainer, tmp_path):
    first, second = tmp_path / "a.safetensors", tmp_path / "b.safetensors"
    trainer.save(first)
    trainer.save(second)
    first.with_suffix(".json").write_bytes(second.with_suffix(".json").read_bytes())
    with pytest.raises(ValueError, match="not saved together"):
        load_checkpoint(first)
    assert load_checkpoint(second).step == trainer.step


def test_save_creates_a_missing_folder_and_checks_the_destination_first(trainer, tmp_path):
    nested = tmp_path / "new" / "dir" / "run.safetensors"
    trainer.save(nested)
    assert load_checkpoint(nested).step == trainer.step
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for bad, words in (
        (blocker / "run.safetensors", "is not a folder"),
        (tmp_path / "run.pt", "must end in .safetensors"),
        (tmp_path / "new", "must end in .safetensors"),
    ):
        with pytest.raises(ValueError, match=words):
            checkpoint_module.check_save_path(bad)
    (tmp_path / "folder.safetensors").mkdir()
    with pytest.raises(ValueError, match="is a folder"):
        trainer.save(tmp_path / "folder.safetensors")


# -- a checkpoint is checked when read ----------------------------------------------------------------------------
def test_weights_that_are_not_finite_are_refused_by_the_library(saved):
    state = load_file(str(saved))
    name = next(iter(state))
    state[name] = torch.full_like(state[name], float("nan"))
    pair = json.loads(saved.with_suffix(".json").read_text())["pair"]
    save_file(state, str(saved), metadata={"format": checkpoint_module.FORMAT, "pair": pair})
    with pytest.raises(ValueError, match="not finite"):
        load_checkpoint(saved)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("step", "abc", '"step" is "abc"; it must be an integer >= 0'),
        ("step", -3, '"step" is -3'),
        ("step", 2.5, '"step" is 2.5'),
        ("step", True, '"step" is true'),
        ("seconds", "fast", '"seconds" is "fast"'),
        ("seconds", float("nan"), '"seconds" is NaN'),
        ("losses", "abc", '"losses" must be a list'),
        ("losses", [1.0, None], '"losses" must be a list'),
        ("losses", [0.5] * 50, '"losses" has 50 entries for'),
        ("pair", 7, '"pair" is 7'),
    ],
)
def test_a_json_field_of_the_wrong_kind_is_named(saved, field, value, words):
    meta_path = saved.with_suffix(".json")
    meta = json.loads(meta_path.read_text())
    meta[field] = value
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(ValueError) as caught:
        load_checkpoint(saved)
    assert words in str(caught.value)
    assert "does not hold this run's weights" not in str(caught.value)
