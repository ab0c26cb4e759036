"""What each attention-variant control means, in a sentence or two with its formula: the variant panel's tooltips.

Functions, not constants, so each text is translated when the panel is built, after the translator is installed.
"""

from __future__ import annotations

from explorer.gui.i18n import tr


def mask_bases() -> tuple[tuple[str, str, str], ...]:
    """(label, value, tooltip) for each mask the Mask list offers."""
    return (
        (
            tr("Model's own"),
            "model",
            tr("The mask the model was trained with: causal for decoders, none for encoders."),
        ),
        (
            tr("Causal"),
            "causal",
            tr("Query i sees keys j ≤ i: no token looks ahead, as in a decoder (GPT, Llama)."),
        ),
        (
            tr("Bidirectional"),
            "bidirectional",
            tr("Every query sees every key (all i, j), as in an encoder (BERT)."),
        ),
        (
            tr("Prefix-LM"),
            "prefix",
            tr("The first P tokens see each other both ways (i, j < P); after them, query i sees keys j ≤ i."),
        ),
    )


def positions() -> tuple[tuple[str, str, str], ...]:
    """(label, value, tooltip) for each positional encoding the Positions list offers."""
    return (
        (tr("Model's own"), "model", tr("The positional encoding the model was trained with.")),
        (
            tr("None"),
            "none",
            tr("No positions: a score depends on content alone, so attention cannot tell the order of the tokens."),
        ),
        (
            tr("RoPE"),
            "rope",
            tr(
                "Rotary positions: rotates each pair k of q and k dimensions by position·θ^(−2k/d), so q·k depends "
                "on i − j."
            ),
        ),
        (
            tr("Sinusoidal"),
            "sinusoidal",
            tr("Adds sin and cos of position·10000^(−2k/d) to the token embeddings, as the original Transformer."),
        ),
        (
            tr("ALiBi"),
            "alibi",
            tr("No embedding: adds −m·|i − j| to every score, with one slope m per head, so distant keys fade."),
        ),
    )


def control_tips() -> dict[str, str]:
    """The tooltip of each control, by the panel's attribute name."""
    return {
        "mask_base": tr(
            "Which keys each query may see. Hidden keys get −∞ before the softmax, so their weight is exactly 0."
        ),
        "prefix": tr("Prefix-LM: the first P tokens see each other both ways (i, j < P); later queries are causal."),
        "window_on": tr("Sliding window: query i sees only keys with |i − j| < W (with a causal mask, i − W < j ≤ i)."),
        "window": tr("The window W: query i sees keys with |i − j| < W."),
        "no_self": tr("Hides the diagonal: query i may not see key j = i, so it must attend to other tokens."),
        "padding_mask": tr(
            "Texts of a batch are padded to one length. With this on, no query sees a pad key (pad j ⇒ −∞); "
            "off, pads take part in the softmax as if they were text."
        ),
        "position": tr(
            "How attention knows where a token is. RoPE and ALiBi act on the scores, the others on the input."
        ),
        "rope_theta": tr(
            "RoPE's base θ: dimension pair k turns by position·θ^(−2k/d). A larger θ turns slower and reaches further."
        ),
        "kv_heads": tr(
            "H query heads share G key/value heads, H/G to a group: G = H is MHA, 1 < G < H is GQA, G = 1 is MQA."
        ),
        "temperature": tr(
            "Divides the scores before the softmax: softmax(QKᵀ/(√d·T)). T > 1 flattens attention, T < 1 sharpens it."
        ),
        "reset": tr("Back to the model's own mask, positions, KV heads and temperature."),
    }
