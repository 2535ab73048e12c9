"""Start-up of a book or grading kernel: jsonschema with and without its IRI grammar.

A student's kernel imports coursekit as it is (``import coursekit`` changes nothing in
``sys.modules``); the processes coursekit starts itself (the book build's kernels, the grading
workers, the ``coursekit`` command) skip ``rfc3987_syntax``, whose grammar compiles on import.
This times what a book page's first cell pays, ``import coursekit.charts, altair`` in a fresh
interpreter, both ways, alternating, and prints the medians and their ratio. Run from the
repository root::

    .venv/bin/python benchmarks/kernel_start.py          # 7 rounds
    .venv/bin/python benchmarks/kernel_start.py -n 15
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from coursekit._speedups import KERNEL_PATH

CODE = "import coursekit, coursekit.charts, altair"


def _once(skip: bool) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if skip:
        env["PYTHONPATH"] = str(KERNEL_PATH)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", CODE], env=env, check=True)
    return time.perf_counter() - started


def main() -> None:
    """Time both ways and print the medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--rounds", type=int, default=7)
    args = parser.parse_args()
    plain, skipped = [], []
    for _ in range(args.rounds):
        plain.append(_once(False))
        skipped.append(_once(True))
    a, b = statistics.median(plain), statistics.median(skipped)
    print(f"student kernel (as is):        median {a:.2f} s over {args.rounds} rounds")
    print(f"coursekit's kernels (skipped): median {b:.2f} s")
    print(f"ratio: {a / b:.2f}x  (saved {a - b:.2f} s per kernel start)")


if __name__ == "__main__":
    main()
