"""Benchmark the routing model against a plain TF-IDF + LinearSVC baseline.

Run from the repository root: python bench/classifier.py [--messages N]
Goal: under 1 ms per message and under 300 MB resident with the model loaded.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

# This file is itself named classifier.py: drop its folder from the path so
# that "import classifier" finds the package, not this script.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.pipeline import Pipeline, make_pipeline  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

from classifier import (  # noqa: E402
    NONE_LABEL,
    Example,
    dumps,
    evaluate,
    load_split,
    loads,
    train,
)


@dataclass
class Figures:
    name: str
    train_seconds: float
    median_ms: float
    p99_ms: float
    per_second: float
    accuracy: float
    held_back: float


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--messages", type=int, default=2000, help="held-out messages to time (cycled)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rss-of", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_of:
        _print_rss_with_model_loaded(Path(args.rss_of))
        return

    examples = load_split("train")
    heldout = load_split("heldout")
    texts = [heldout[i % len(heldout)].text for i in range(args.messages)]

    started, cpu_started = time.perf_counter(), time.process_time()
    trained = train(examples, heldout=heldout, seed=args.seed)
    train_seconds = time.perf_counter() - started
    train_cpu_seconds = time.process_time() - cpu_started
    # Time the model as production runs it: loaded from its stored form.
    stored = dumps(trained)
    model = loads(stored)
    rss = _rss_in_fresh_process(stored)
    figures = evaluate(model, heldout)
    ours = _measure(
        "ours",
        train_seconds,
        model.predict_one,
        model.predict,
        texts,
        accuracy=figures.accuracy,
        held_back=figures.held_back,
    )

    started = time.perf_counter()
    baseline = _baseline(examples, seed=args.seed)
    baseline_seconds = time.perf_counter() - started
    guesses = baseline.predict([example.text for example in heldout])
    right = [
        guess == (example.department or NONE_LABEL)
        for example, guess in zip(heldout, guesses, strict=True)
    ]
    actionable = [ok for ok, example in zip(right, heldout, strict=True) if example.department]
    chatter = [ok for ok, example in zip(right, heldout, strict=True) if not example.department]
    plain = _measure(
        "baseline",
        baseline_seconds,
        lambda text: baseline.predict([text]),
        baseline.predict,
        texts,
        accuracy=sum(actionable) / len(actionable),
        held_back=sum(chatter) / len(chatter),
    )

    print(f"{len(examples)} training examples, {len(texts)} timed messages, 1 at a time")
    print(_table([ours, plain]))
    print(
        "accuracy: held-out actionable messages, a null answer counts wrong;"
        f" ours routes {figures.coverage:.1%} of them, {figures.routed_accuracy:.1%} correctly"
    )
    print(
        f"our training used {train_cpu_seconds:.2f} s of CPU; load average while running"
        f" {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times grow with it)"
    )
    print(f"stored model: {len(stored) / 1e6:.1f} MB")
    print(f"process with the model loaded (fresh process, one prediction): {rss}")


def _baseline(examples: Sequence[Example], *, seed: int) -> Pipeline:
    pipeline = make_pipeline(TfidfVectorizer(), LinearSVC(random_state=seed))
    return pipeline.fit(
        [example.text for example in examples],
        [example.department or NONE_LABEL for example in examples],
    )


def _measure(
    name: str,
    train_seconds: float,
    one: Callable[[str], object],
    batch: Callable[[list[str]], object],
    texts: list[str],
    *,
    accuracy: float,
    held_back: float,
) -> Figures:
    for text in texts[:50]:  # warm caches before timing
        one(text)
    latencies = []
    for text in texts:
        started = time.perf_counter()
        one(text)
        latencies.append(time.perf_counter() - started)
    started = time.perf_counter()
    batch(texts)
    batch_seconds = time.perf_counter() - started
    latencies.sort()
    return Figures(
        name=name,
        train_seconds=train_seconds,
        median_ms=statistics.median(latencies) * 1000,
        p99_ms=latencies[int(0.99 * (len(latencies) - 1))] * 1000,
        per_second=len(texts) / batch_seconds,
        accuracy=accuracy,
        held_back=held_back,
    )


def _table(rows: list[Figures]) -> str:
    lines = [
        f"{'':<15}{'train s':>9}{'median ms':>11}{'p99 ms':>9}{'batch msg/s':>13}"
        f"{'accuracy':>10}{'held back':>11}"
    ]
    for row in rows:
        lines.append(
            f"{row.name:<15}{row.train_seconds:>9.2f}{row.median_ms:>11.3f}{row.p99_ms:>9.3f}"
            f"{row.per_second:>13.0f}{row.accuracy:>10.3f}{row.held_back:>11.3f}"
        )
    ours, plain = rows
    lines.append(
        f"{'ours/baseline':<15}{ours.train_seconds / plain.train_seconds:>9.2f}"
        f"{ours.median_ms / plain.median_ms:>11.2f}{ours.p99_ms / plain.p99_ms:>9.2f}"
        f"{ours.per_second / plain.per_second:>13.2f}{ours.accuracy / plain.accuracy:>10.2f}"
        f"{ours.held_back / plain.held_back:>11.2f}"
    )
    return "\n".join(lines)


def _rss_in_fresh_process(stored: bytes) -> str:
    # This process has trained two models; a server only loads one.
    with tempfile.NamedTemporaryFile(suffix=".skops") as file:
        file.write(stored)
        file.flush()
        command = [sys.executable, __file__, "--rss-of", file.name]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


def _print_rss_with_model_loaded(path: Path) -> None:
    started = time.perf_counter()
    model = loads(path.read_bytes())
    load_seconds = time.perf_counter() - started
    model.predict_one("lampu jalan mati")
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    rss_mb = int(status["VmRSS"].split()[0]) / 1024
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"RSS {rss_mb:.0f} MB, peak {peak_mb:.0f} MB, load {load_seconds:.2f} s")


if __name__ == "__main__":
    main()
