"""What checking the limits adds to an operation, relative to parsing and validating it.

    uv run python bench/limits_overhead.py [--rounds N]

Prints, per document, the time of graphql-core's parse and validate (work every request
already pays) and of `schema.limits.measure` (the added walk), and their ratio. Ratios from
one run are what to compare; absolute times depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphql import get_introspection_query, get_operation_ast, parse, validate

from schema import schema
from schema.limits import measure
from tests.support.bulk import NESTED

DOCUMENTS = {"nested catalog query": NESTED, "GraphiQL introspection": get_introspection_query()}


def _time(work: Callable[[], object], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=300)
    rounds = parser.parse_args().rounds
    core = schema._schema
    print(f"{'document':<24} {'parse+validate':>15} {'limits':>10} {'limits/parse+validate':>22}")
    for name, source in DOCUMENTS.items():
        document = parse(source)
        operation = get_operation_ast(document)
        assert operation is not None
        baseline = _time(lambda: validate(core, parse(source)), rounds)  # noqa: B023
        limits = _time(lambda: measure(core, document, operation, {}), rounds)  # noqa: B023
        print(
            f"{name:<24} {baseline * 1e6:>12.0f} µs {limits * 1e6:>7.0f} µs "
            f"{limits / baseline:>21.2f}x"
        )


if __name__ == "__main__":
    main()
