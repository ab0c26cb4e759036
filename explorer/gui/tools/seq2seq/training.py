"""The lab's jobs, run on the job thread: training that streams its events back, translating, saving, loading.

The Trainer lives in a LabHandle that the tool keeps but only jobs touch (one worker thread runs every job, so
no two touch it at once). Training is a generator job: each step's events go into the handle's outbox, a
thread-safe queue the tool drains a few times a second, and the job yields so a cancel (Pause, Stop, the
status bar's Cancel) stops it between two steps. Trainer.train resumes where a stopped generator left off.
torch and the lab's models are imported here inside the jobs only, so opening the window never loads them.
"""

from __future__ import annotations

import collections
import threading
import time

from explorer.gui.jobs import Progress

PROGRESS_SECONDS = 0.2  # how often a training job reports: often enough for the status bar, rarely enough for Qt


class LabHandle:
    """One lab model and what it has sent: created empty, filled by the first training or a loaded checkpoint."""

    def __init__(self, settings: dict):
        self.settings = dict(settings)  # LabSettings.to_json() of the model this handle trains
        self.trainer = None  # models.lab.seq2seq.Trainer: touched only inside jobs
        self.loaded_step, self.loaded_losses = 0, []  # what a loaded checkpoint had done, read by the GUI
        self._lock = threading.Lock()
        self._outbox: collections.deque = collections.deque()
        self.busy = False  # a training job is running on it (set and cleared on the job thread)
        self.threads: int | None = None  # the torch threads its last training job used (set on the job thread)

    def post(self, event) -> None:
        with self._lock:
            self._outbox.append(event)

    def take(self) -> list:
        """Every event posted since the last take, oldest first (GUI thread)."""
        with self._lock:
            events = list(self._outbox)
            self._outbox.clear()
        return events


def trainer_of(handle: LabHandle):
    """The handle's Trainer, made from its settings the first time (seeded: the same settings, the same run)."""
    if handle.trainer is None:
        from models.lab.seq2seq import LabSettings, Trainer

        handle.trainer = Trainer(LabSettings.from_json(handle.settings))
    return handle.trainer


def train(handle: LabHandle, until_step: int, ctx):
    """Train until the trainer has done until_step steps, posting every event; returns the steps done."""
    from models.lab.threads import training_threads

    handle.busy = True
    try:
        trainer = trainer_of(handle)
        remaining = until_step - trainer.step
        reported = 0.0
        if remaining > 0:
            # A small model on one thread (explorer's own count restored after, however the job ends).
            with training_threads(trainer.parameters) as threads:
                handle.threads = threads
                on = "1 thread" if threads == 1 else f"{threads} threads"
                for event in trainer.train(remaining):
                    handle.post(event)  # the Trainer itself refuses a non-finite loss (a ValueError naming lr)
                    now = time.monotonic()
                    if now - reported >= PROGRESS_SECONDS:
                        reported = now
                        message = f"training on {on}: step {trainer.step} of {until_step}"
                        yield Progress(trainer.step, until_step, message)
                    else:
                        yield None  # no report, but a cancel is still seen between two steps
        return trainer.step
    finally:
        handle.busy = False  # also when a cancel closes the generator


def translate(handle: LabHandle, text: str):
    """(Snapshot, outside) for typed or picked source text: the model's output and every attention map, and
    outside_training's note on the input (None when it is like what the model trained on). ValueError if the
    task cannot read the text."""
    trainer = trainer_of(handle)
    snapshot = trainer.translate(text)
    return snapshot, outside_training(trainer.task, snapshot.source)


def outside_training(task, source) -> dict | None:
    """How a source differs from every training example, or None: {"length", "shortest", "longest"} when its
    length is one the task never drew (a reverse model trained at difficulty 1 saw length-10 sources only, and
    gets "a b c d e" wrong). Symbols need no check here: the task refuses a symbol it does not know."""
    shortest, longest = getattr(task, "shortest", None), getattr(task, "length", None)
    if shortest is None or longest is None or shortest <= len(source) <= longest:
        return None
    return {"length": len(source), "shortest": int(shortest), "longest": int(longest)}


def heldout(handle: LabHandle, count: int) -> list[str]:
    return list(trainer_of(handle).heldout_examples(count))


def evaluate(handle: LabHandle) -> None:
    """Post an Evaluation and a Snapshot at the model's step, as training does at each snapshot interval."""
    from models.lab.threads import training_threads

    trainer = trainer_of(handle)
    with training_threads(trainer.parameters):
        handle.post(trainer.evaluate())
        handle.post(trainer.snapshot())


def save(handle: LabHandle, path: str) -> tuple[str, int]:
    """Write the model; (the path, the step saved)."""
    if handle.trainer is None:
        raise ValueError("checkpoint: there is no trained model to save yet; Start training first")
    handle.trainer.save(path)
    return path, handle.trainer.step


def load(path: str) -> LabHandle:
    """A handle around the checkpoint's Trainer (safetensors weights + the JSON beside them; never pickle)."""
    from models.lab.seq2seq import load_checkpoint

    trainer = load_checkpoint(path)
    handle = LabHandle(trainer.settings.to_json())
    handle.trainer = trainer
    handle.loaded_step, handle.loaded_losses = trainer.step, [float(loss) for loss in trainer.losses]
    return handle
