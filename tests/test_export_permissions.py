"""Files the app writes get the mode any saved file gets: 0666 less the umask (0644 under the usual 022).

Lab checkpoints were written 0600 (safetensors creates its file so), unlike every other file the user saves
(issue 21, item 18). Exports go through write_atomic, which already honoured the umask: checked too.
"""

from __future__ import annotations

import os
import stat

import pytest

from explorer.export.atomic import write_atomic
from models.lab.seq2seq import LabSettings, Trainer
from models.lab.seq2seq.checkpoint import json_path, save_checkpoint

TINY = {"layers": 1, "heads": 1, "d_model": 8, "batch_size": 4, "snapshot_every": 1000}


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_lab_checkpoint_and_its_json_are_written_0644_under_umask_022(tmp_path, umask_022):
    trainer = Trainer(LabSettings(system="gru", task="copy", length=4, **TINY))
    path = tmp_path / "lab.safetensors"
    save_checkpoint(trainer, path)
    assert (mode(path), mode(json_path(path))) == (0o644, 0o644)


def test_a_lab_checkpoint_follows_a_stricter_umask(tmp_path):
    previous = os.umask(0o077)
    try:
        path = tmp_path / "private.safetensors"
        save_checkpoint(Trainer(LabSettings(system="gru", task="copy", length=4, **TINY)), path)
    finally:
        os.umask(previous)
    assert (mode(path), mode(json_path(path))) == (0o600, 0o600)


def test_an_export_is_written_0644_under_umask_022(tmp_path, umask_022):
    path = tmp_path / "figure.svg"
    write_atomic(path, b"<svg/>")
    assert mode(path) == 0o644
