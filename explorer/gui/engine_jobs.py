"""The engine's side of the session: the loaded model and the current run, touched only inside jobs.

Jobs run one at a time on the job runner's thread, so this object needs no lock. What leaves it is plain
data (ModelInfo, RunInfo, numpy arrays): no tensor and no engine object reaches the GUI thread's widgets.
"""

from __future__ import annotations

import models
from explorer.core.views import ModelInfo, RunInfo
from models.options import RunOptions, attention_kind, default_rope_theta, divisors
from models.runtime.budget import MemoryBudgetError, check_run

from .i18n import tr
from .jobs import JobContext

NEXT_TOKENS = 5
WAY_OUT = "in the app, File → Back to Single Text runs only the sequence on screen"


class Engine:
    def __init__(self):
        self.model = None  # models.Model
        self.run = None  # models.Run
        self.run_id = 0  # the job id of the run job that made self.run

    # -- jobs (each called on the worker thread with its JobContext) --------------------------------------
    def list_catalogue(self, extra_paths: list[str]) -> list:
        return models.catalogue(list(extra_paths))

    def load(self, ctx: JobContext, name: str, device: str, extra_paths: list[str]) -> ModelInfo:
        model = models.load(name, device=device, progress=lambda f, m: ctx.report(f, 1.0, m), extra_paths=extra_paths)
        # Only now is the old model replaced: a failed or cancelled load keeps the user's current one.
        self.model, self.run = model, None
        return self.model_info()

    def move(self, device: str) -> ModelInfo:
        self._require_model().to(device)
        self.run = None
        return self.model_info()

    def run_texts(self, ctx: JobContext, texts: list[str], options: RunOptions) -> RunInfo:
        model = self._require_model()
        try:  # refused here, the previous run stays current and on screen
            check_run(model, texts, options.kv_heads)
        except MemoryBudgetError as error:
            raise MemoryBudgetError(f"{error}; {WAY_OUT}" if len(texts) > 1 else str(error)) from None

        def progress(done: int, total: int) -> None:
            ctx.report(done, total, tr("layer {done}/{total}").format(done=done, total=total))

        # Handing over the previous run lets a causal model recompute only what changed at the end.
        run = model.run(list(texts), options=options, progress=progress, reuse=self.run)
        self.run, self.run_id = run, ctx.job_id
        return self.run_info()

    def current_run(self, run_id: int):
        """The run a query was made for, or None when a newer run has replaced it (the query is moot)."""
        if self.run is None or self.run_id != run_id:
            return None
        if self.run.superseded:
            # Its buffers went to a run that was then cancelled, and no newer run is coming: say so.
            raise ValueError("the last run was cancelled before it finished; edit the text or press F5 to run again")
        return self.run

    # -- plain data out -----------------------------------------------------------------------------------
    def model_info(self) -> ModelInfo:
        model = self._require_model()
        config = model.config
        own = config.n_kv_heads
        kv_choices = tuple(
            (g, tr("{kind} · model's own").format(kind=kind) if g == own else kind)
            for g in divisors(config.n_heads)
            for kind in [attention_kind(config.n_heads, g)]
        )
        return ModelInfo(
            name=model.name,
            architecture=config.architecture,
            n_layers=config.n_layers,
            n_heads=config.n_heads,
            n_kv_heads=own,
            n_ctx=config.n_ctx,
            causal=config.causal,
            positional=config.positional,
            rope_theta=config.rope_theta,
            device=model.device.type,
            devices=tuple(models.available_devices()),
            source=f"{model.source.origin}: {model.source.path}",
            default_rope_theta=default_rope_theta(config.positional, config.rope_theta),
            kv_choices=kv_choices,
        )

    def run_info(self) -> RunInfo:
        run, model = self.run, self.model
        next_tokens = next_pieces = None
        if model.is_causal_lm:
            next_tokens = [run.next_tokens(NEXT_TOKENS, seq) for seq in range(run.n_sequences)]
            next_ids = [run.next_token_ids(NEXT_TOKENS, seq) for seq in range(run.n_sequences)]
            next_pieces = [[(i, model.tokenizer.piece(i)) for i in ids] for ids in next_ids]
        return RunInfo(
            request_id=self.run_id,
            model=model.name,
            tokens=run.tokens,
            ids=run.ids,
            special=run.special,
            is_real=run.is_real,
            n_layers=run.n_layers,
            n_heads=run.n_heads,
            kv_heads=run.kv_heads,
            kv_groups=run.kv_groups,
            options=run.options,
            layer_ms=list(run.timings.layer_ms),
            total_ms=run.timings.total_ms,
            tokens_per_second=run.timings.tokens_per_second,
            reused_tokens=run.timings.reused_tokens,
            device=run.timings.device,
            next_tokens=next_tokens,
            warnings=list(run.warnings),
            kind=attention_kind(run.n_heads, run.kv_heads),
            pieces=run.pieces,
            next_token_pieces=next_pieces,
        )

    def _require_model(self):
        if self.model is None:
            raise ValueError("model: none is loaded yet; choose one in the Model list")
        return self.model
