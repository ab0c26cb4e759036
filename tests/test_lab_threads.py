"""The labs' small models train on one torch thread, and the process's own count comes back however training ends."""

import pytest
import torch

from explorer.gui.tools.seq2seq import training
from models.lab.seq2seq import LabSettings, Trainer, defaults
from models.lab.threads import SMALL_MODEL_PARAMETERS, threads_for, training_threads

TINY = {"system": "transformer", "task": "reverse", "layers": 1, "heads": 2, "d_model": 16, "length": 4,
        "vocab": 5, "steps": 6, "snapshot_every": 3, "batch_size": 8, "seed": 3}  # fmt: skip


@pytest.fixture
def two_threads():
    """The process on two torch threads (as on the 2-core machine), whatever the test runner set."""
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(before)


def test_small_models_get_one_thread_and_big_ones_keep_the_processs_count():
    assert threads_for(100_000, 8) == 1
    assert threads_for(SMALL_MODEL_PARAMETERS, 8) == 1
    assert threads_for(SMALL_MODEL_PARAMETERS + 1, 8) == 8
    for system, task in (("transformer", "reverse"), ("gru", "dates"), ("gpt", "copy")):
        assert Trainer(defaults(system, task)).parameters <= SMALL_MODEL_PARAMETERS  # every default lab run
    with pytest.raises(ValueError, match="parameters"):
        threads_for(-1, 2)
    with pytest.raises(ValueError, match="available"):
        threads_for(10, 0)


def test_the_count_is_restored_after_the_block_and_after_an_error(two_threads):
    with training_threads(1000) as threads:
        assert threads == 1 and torch.get_num_threads() == 1
    assert torch.get_num_threads() == 2
    with pytest.raises(RuntimeError), training_threads(1000):
        raise RuntimeError("training failed")
    assert torch.get_num_threads() == 2
    with training_threads(10**9) as threads:
        assert threads == 2 and torch.get_num_threads() == 2


def test_the_windows_training_job_trains_on_one_thread_and_gives_the_count_back_when_cancelled(two_threads):
    handle = training.LabHandle(LabSettings(**TINY).check().to_json())
    job = training.train(handle, 6, ctx=None)
    next(job)  # the first step is done
    assert torch.get_num_threads() == 1 and handle.threads == 1
    job.close()  # what the job runner does on Pause, Stop or the status bar's Cancel
    assert torch.get_num_threads() == 2 and not handle.busy
    steps = list(training.train(handle, 6, ctx=None))  # Resume, to the end
    assert handle.trainer.step == 6 and steps and torch.get_num_threads() == 2


def test_the_grouping_costs_job_gives_the_count_back_when_cancelled(two_threads):
    from explorer.gui.tools.seq2seq.costs import train_groupings

    gpt = LabSettings(**{**TINY, "system": "gpt", "task": "copy", "heads": 2, "steps": 5}).check().to_json()
    job = train_groupings(gpt, ctx=None)
    next(job)
    assert torch.get_num_threads() == 1
    job.close()  # Cancel
    assert torch.get_num_threads() == 2
