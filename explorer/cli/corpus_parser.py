"""The grammar of `analyze corpus`: the corpus, the output folder, batching, the scores kept, and Ray.

Only argparse here, so `--help` stays instant; the command itself is explorer/cli/corpus_command.py.
"""

from __future__ import annotations


def add_corpus_parser(kinds, add_run_options) -> None:
    """analyze corpus's options; add_run_options is the parser module's (passed in: no import cycle)."""
    corpus = kinds.add_parser(
        "corpus", help="head score statistics and top examples over a corpus (.txt, .jsonl, .parquet), resumable"
    )
    corpus.add_argument("--model", required=True, help="model name or path")
    corpus.add_argument("--in", dest="corpus", required=True, help=".txt (a text per line), .jsonl or .parquet")
    corpus.add_argument("--out", required=True, help="output folder; the same folder again resumes the job")
    corpus.add_argument("--max-tokens", type=int, help="truncate each text to this many tokens (default: context)")
    corpus.add_argument("--batch-tokens", type=int, default=8192, help="padded tokens per batch (default 8192)")
    corpus.add_argument("--scores", help="comma list of head scores (default: all)")
    corpus.add_argument("--top-k", type=int, default=10, help="top examples kept per head and score (default 10)")
    corpus.add_argument("--limit", type=int, help="analyse only the first N texts")
    corpus.add_argument("--shard-texts", type=int, default=256, help="texts per shard file (default 256)")
    ray = corpus.add_argument_group("Ray (pip install '.[ray]')")
    ray.add_argument("--ray", metavar="auto|local|ADDRESS", help="run on Ray: a cluster's address, auto, or local")
    ray.add_argument("--workers", type=int, default=2, help="Ray actors, each loading the model once (default 2)")
    ray.add_argument("--gpus-per-worker", type=float, default=0.0, help="GPUs each actor reserves (default 0)")
    add_run_options(corpus)
    corpus.set_defaults(handler=("explorer.cli.corpus_command", "analyze_corpus"))
