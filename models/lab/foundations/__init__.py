"""The foundations lab: attention taught from the ground up, as plain numpy and small torch models, without Qt.

    from models.lab.foundations import pooling, scores, positions, classifier, bpe

- `pooling`: Nadaraya–Watson attention pooling (kernel regression) and its parametric, trainable twin.
- `scores`: dot, scaled dot, general, additive and cosine scores, and why 1/√d matters (row entropy against d).
- `positions`: sinusoidal, learned, RoPE, ALiBi, T5 relative buckets and 2-D sin-cos encodings.
- `classifier`: a BiLSTM + attention text classifier (Zhou et al. 2016) trained live on a seeded cue-word task.
- `bpe`: byte-pair encoding merges learned with `tokenizers`, and a word built merge by merge.

Each module is imported on its own, so `pooling` or `positions` never pays for torch's import.
"""
