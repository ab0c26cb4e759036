"""What a causal language model's run predicts: the next tokens, their logits, and the logit lens.

Run takes these from PredictingRun; they read the last real token's logits and residual stream that the forward
pass kept (Model._forward), never a map. An encoder has neither, and each method says so.
"""

from __future__ import annotations

import numpy as np
import torch

from models.io.tokenizer import TextTokenizer
from models.options import ResolvedOptions
from models.runtime.lens import check_k, check_position, layer_logits, top_k
from models.runtime.maps import overflow_cause


class PredictingRun:
    """What Run adds for next-token prediction; Run sets these attributes and the index checks (_seq)."""

    model_name: str
    architecture: str
    options: ResolvedOptions
    ids: list[list[int]]
    is_real: list[list[bool]]
    owner: object
    _causal_lm: bool
    _tokenizer: TextTokenizer
    _last_logits: torch.Tensor | None  # (B, V) at each sequence's last real token
    _residuals: torch.Tensor | None  # (B, L, D) at the same token, or None (an encoder)

    def next_tokens(self, k: int = 5, seq: int = 0) -> list[tuple[str, float]]:
        """Top-k (token, probability) after the last real token; causal language models only."""
        ids, probs = self._top(k, seq)
        context = self._context(self._seq(seq))
        return [(self._tokenizer.label_after(context, i), p) for i, p in zip(ids, probs)]

    def next_token_ids(self, k: int = 5, seq: int = 0) -> list[int]:
        """The ids of next_tokens(k, seq), in the same order."""
        return self._top(k, seq)[0]

    def next_token_logits(self, seq: int = 0) -> np.ndarray:
        """float32 [V]: the logits after the last real token of one sequence; causal language models only."""
        seq = self._seq(seq)
        self._check_causal("next token logits")
        return self._last_logits[seq].float().cpu().numpy()

    def _top(self, k: object, seq: object) -> tuple[list[int], list[float]]:
        self._check_causal("next tokens")
        problem = f"next tokens: the model's output is not finite; {overflow_cause(self.options)}"
        return top_k(self._last_logits[self._seq(seq)], check_k("next tokens", k), problem)

    def logit_lens(self, k: int = 5, position: int = -1, seq: int = 0) -> list[list[tuple[str, float]]]:
        """Per layer, the top-k (token, probability) that the residual stream after that layer predicts, read
        through the final norm and the LM head. The last layer's list is next_tokens(k, seq).

        The run keeps the residual stream of each sequence's last real token only: position is -1 or its index.
        """
        self._check_causal("logit lens")
        seq, k = self._seq(seq), check_k("logit lens", k)
        check_position(position, max(i for i, real in enumerate(self.is_real[seq]) if real))
        context = self._context(seq)
        logits = layer_logits(self.owner.module, self._residuals[seq], self._last_logits[seq])  # (L, V)
        lens = []
        for layer, row in enumerate(logits):
            problem = f"logit lens: layer {layer}'s reading is not finite; {overflow_cause(self.options)}"
            ids, probs = top_k(row, k, problem)
            lens.append([(self._tokenizer.label_after(context, i), p) for i, p in zip(ids, probs)])
        return lens

    def _context(self, seq: int) -> list[int]:
        """The real ids of one sequence: what a next token's label is read after."""
        return [i for i, real in zip(self.ids[seq], self.is_real[seq]) if real]

    def _check_causal(self, what: str) -> None:
        if not self._causal_lm or self._last_logits is None:
            raise ValueError(
                f"{what}: {self.model_name} is an encoder ({self.architecture}), not a causal language model"
            )
