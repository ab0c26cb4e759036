"""The MHA/GQA/MQA time per step: the groupings train in turn, and each row gives the median of its steps' times
and their spread, checked against step durations set by a fake clock."""

import numpy as np
import pytest

from models.lab.seq2seq import LabSettings, Trainer, cost_table, grouping_settings
from models.lab.seq2seq import trainer as trainer_module
from models.lab.seq2seq.costs import step_times

GPT = LabSettings(system="gpt", task="copy", layers=1, heads=4, d_model=16, length=4, vocab=5, steps=7,
                  batch_size=8, seed=1)  # fmt: skip


class FakeClock:
    """time.perf_counter for Trainer.train: read twice per step (start, end); step k lasts durations[k]."""

    def __init__(self, durations):
        self.durations, self.now, self.reads = list(durations), 0.0, 0

    def __call__(self) -> float:
        if self.reads % 2:  # the end of a step
            self.now += self.durations[self.reads // 2]
        self.reads += 1
        return self.now


def test_each_grouping_gets_the_median_and_spread_of_its_own_steps_taken_in_turn(monkeypatch):
    runs = len(grouping_settings(GPT))
    rng = np.random.default_rng(0)
    durations = rng.uniform(0.01, 0.02, size=GPT.steps * runs)
    durations[3] = 5.0  # one step (of grouping 3 % runs) slowed by another process on the core
    clock = FakeClock(durations)
    monkeypatch.setattr(trainer_module.time, "perf_counter", clock)
    rows = cost_table(GPT)
    assert clock.reads == 2 * GPT.steps * runs
    for index, row in enumerate(rows):
        own = durations[index::runs]  # in turn: step k of the whole run belongs to grouping k % runs
        assert row["seconds_per_step"] == pytest.approx(np.median(own))
        assert row["seconds_per_step_spread"] == pytest.approx(list(np.percentile(own, [25, 75])))
        assert row["timed_steps"] == GPT.steps
        assert row["seconds_per_step"] < 0.03  # the one slow step does not move the median


def test_training_in_turn_trains_each_grouping_as_it_would_alone():
    rows_settings = grouping_settings(GPT)
    alone = Trainer(rows_settings[1].replace(snapshot_every=10**7))
    list(alone.train())
    rows = cost_table(GPT)
    assert rows[1]["accuracy"] == alone.evaluate().accuracy and rows[1]["kv_heads"] == rows_settings[1].groups


def test_step_times_refuses_what_is_not_one_duration_per_step():
    assert step_times([0.1, 0.3, 0.2])["seconds_per_step"] == pytest.approx(0.2)
    for bad in ([], [float("nan")], [-1.0], [[0.1, 0.2]]):
        with pytest.raises(ValueError, match="seconds"):
            step_times(bad)
