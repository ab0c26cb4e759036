"""The seq2seq lab: small encoder-decoders and a tiny GPT trained live on tasks whose alignment is known.

    from models.lab.seq2seq import LabSettings, Trainer, load_checkpoint
    s = LabSettings(system="transformer", task="reverse")   # or defaults("gru", "dates"); s.check()
    t = Trainer(s)
    for event in t.train(200):      # TrainStep every step; Evaluation + Snapshot every snapshot_every steps
        ...                         # stop consuming to pause; t.train() again resumes
    t.evaluate()                    # Evaluation(step, accuracy, alignment_accuracy={"best_head", "mean"})
    t.translate("a b c")            # Snapshot(step, source, target, output, attention, alignment)
    t.save("run.safetensors")       # + run.json;  load_checkpoint("run.safetensors") -> Trainer

Costs of KV grouping: costs.grouping_settings / cost_row / train_groupings / cost_table / grouping_costs /
model_kv_costs.
"""

from models.lab.seq2seq.alignment import alignment_accuracy
from models.lab.seq2seq.costs import (
    cost_row,
    cost_table,
    grouping_costs,
    grouping_settings,
    model_kv_costs,
    train_groupings,
)
from models.lab.seq2seq.settings import ATTENTION_KINDS, KINDS_BY_SYSTEM, SCORES, SYSTEMS, TASKS, LabSettings, defaults
from models.lab.seq2seq.trainer import Evaluation, Snapshot, Trainer, TrainStep, load_checkpoint

__all__ = [
    "ATTENTION_KINDS",
    "KINDS_BY_SYSTEM",
    "SCORES",
    "SYSTEMS",
    "TASKS",
    "Evaluation",
    "LabSettings",
    "Snapshot",
    "TrainStep",
    "Trainer",
    "alignment_accuracy",
    "cost_row",
    "cost_table",
    "defaults",
    "grouping_costs",
    "grouping_settings",
    "load_checkpoint",
    "model_kv_costs",
    "train_groupings",
]
