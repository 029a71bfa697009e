"""How long reading a large transcript takes: `alignment.read_transcript` on 1 MB of prose.

    python -m benchmarks.transcript_bench [--megabytes 1] [--runs 3] [--profile]

The transcript is built from the seed's words (deterministic): speaker labels on their
own lines, each followed by a paragraph of about 60 words cut into sentences of 6 to 25
words, some with a title ("Mr."), a decimal or a question mark, until it reaches the
size asked for. Prints the size, the sentence count and the best of `runs` wall times.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import re
import time

from alignment.synthetic import SEED_TEXT as SEED
from alignment.transcript import read_transcript

SPEAKERS = ("LORD ROBERTSON:", "PRESIDENT PUTIN:", "Q:", "Dana Whitfield:", "MR. SMITH:")


def prose(size: int, seed: int = 11) -> str:
    """About `size` bytes of labelled prose in 60-word paragraphs (see the module doc)."""
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", SEED.read_text(encoding="utf-8"))
    words = [w.lower() for w in words if len(w) > 1] or ["word"]
    rnd = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        label = rnd.choice(SPEAKERS)
        sentences = []
        count = 0
        while count < 60:
            n = rnd.randint(6, 25)
            ws = [rnd.choice(words) for _ in range(n)]
            if rnd.random() < 0.1:
                ws.insert(rnd.randrange(n), "Mr. Ivanov")
            if rnd.random() < 0.05:
                ws.insert(rnd.randrange(n), f"{rnd.randint(1, 99)}.{rnd.randint(0, 9)}")
            end = "?" if rnd.random() < 0.15 else "."
            sentences.append(" ".join(ws).capitalize() + end)
            count += n
        block = f"{label}\n{' '.join(sentences)}\n\n"
        parts.append(block)
        total += len(block.encode("utf-8"))
    return "".join(parts)


def measure(text: str, runs: int = 3) -> tuple[float, float, int]:
    """Best wall time and best CPU time (s) of `runs` readings of `text`, and its
    sentence count. The CPU time is what a busy machine distorts less."""
    best = cpu = float("inf")
    count = 0
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        script = read_transcript(text)
        best = min(best, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
        count = len(script.sentences)
    return best, cpu, count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print the 25 costliest calls")
    args = parser.parse_args(argv)
    text = prose(int(args.megabytes * 1_000_000))
    if args.profile:
        prof = cProfile.Profile()
        prof.runcall(read_transcript, text)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
        return
    seconds, cpu, count = measure(text, args.runs)
    print(f"{len(text.encode('utf-8')):,} bytes, {count:,} sentences: "
          f"best of {args.runs}: {seconds:.2f} s wall, {cpu:.2f} s CPU")


if __name__ == "__main__":
    main()
