"""Issue 23's validation flood against a served app: the latency of an unrelated read at rest
and while hostile requests are in flight (tests/shared/test_validation_load.py asserts on it,
bench/validation_load.py prints it).

The floods come from a process of their own at a lower CPU priority (nice 10): on a real
network the hostile clients run on other machines, and here their own work (encoding 13 KB
bodies) must not take the CPU the server and the measured reader need. The reads are timed at rest before
and after the floods (pooled: the machine's load drifts) and while they are in flight.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]

# 13 KB, 4,002 tokens (within the token limit): 1,000 fields under one response name, whose
# pairwise comparison cost graphql-core's validation 1-3 s of CPU each.
FLOOD = "{" + " ".join(["viewer{role}"] * 1000) + "}"
# A read that goes to the database, by another caller.
UNRELATED = "{ productFamilies(first: 5) { totalCount edges { node { code name } } } }"


@dataclass(frozen=True)
class Figures:
    at_rest_ms: float
    under_load_ms: float
    floods_answered: Counter[str]
    floods_seconds: float  # how long they were in flight

    @property
    def ratio(self) -> float:
        return self.under_load_ms / self.at_rest_ms


def read_latencies_ms(http: httpx.Client, headers: dict[str, str], reads: int) -> list[float]:
    """The latencies of `reads` unrelated reads, one after another."""
    latencies = []
    for _ in range(reads):
        started = time.perf_counter()
        response = http.post("/graphql", json={"query": UNRELATED}, headers=headers)
        latencies.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200 and "errors" not in response.json(), response.text
    return latencies


@contextmanager
def flood(
    base_url: str, authorization: str, in_flight: int
) -> Iterator[Callable[[], Counter[str]]]:
    """`in_flight` requests of FLOOD kept in flight (each sent again as soon as it is
    answered) until the block ends; yields a function that stops them and answers how they
    were answered (error codes, counted)."""
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.support.hostile_load",
            base_url,
            authorization,
            str(in_flight),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: os.nice(10),
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "started"
    answered: Counter[str] = Counter()

    def stop() -> Counter[str]:
        if child.returncode is None:
            out, _ = child.communicate("", timeout=60)
            answered.update(json.loads(out))
        return answered

    try:
        yield stop
    finally:
        if child.returncode is None:
            child.kill()
            child.wait()


async def _flood_until_stdin_closes(base_url: str, authorization: str, in_flight: int) -> None:
    answered: Counter[str] = Counter()
    stopping = asyncio.Event()
    body = json.dumps({"query": FLOOD}).encode()  # encoded once: the client's work is not measured

    async def hostile(http: httpx.AsyncClient) -> None:
        while not stopping.is_set():
            answer = (await http.post("/graphql", content=body)).json()
            errors = answer.get("errors") or [{"extensions": {"code": "OK"}}]
            answered.update(e.get("extensions", {}).get("code", "") for e in errors)

    headers = {"Authorization": authorization, "Content-Type": "application/json"}
    limits = httpx.Limits(max_connections=in_flight)
    async with httpx.AsyncClient(
        base_url=base_url, headers=headers, timeout=60.0, limits=limits
    ) as http:
        tasks = [asyncio.create_task(hostile(http)) for _ in range(in_flight)]
        print("started", flush=True)
        await asyncio.to_thread(sys.stdin.read)  # until the parent closes it
        stopping.set()
        await asyncio.gather(*tasks)
    print(json.dumps(answered), flush=True)


def measure(
    base_url: str,
    reader: dict[str, str],
    hostile_authorization: str,
    *,
    in_flight: int = 16,
    reads: int = 20,
) -> Figures:
    """The unrelated read's median latency at rest and with `in_flight` floods in flight; a
    read slower than 10 s fails (httpx.ReadTimeout)."""
    with httpx.Client(base_url=base_url, timeout=10.0) as http:
        read_latencies_ms(http, reader, 5)  # warm up: connection, caches
        at_rest = read_latencies_ms(http, reader, reads)
        with flood(base_url, hostile_authorization, in_flight) as stop:
            started = time.perf_counter()
            time.sleep(0.5)  # every flood has been sent by now
            under_load = read_latencies_ms(http, reader, reads)
            answered = stop()
            seconds = time.perf_counter() - started
        at_rest += read_latencies_ms(http, reader, reads)
    return Figures(statistics.median(at_rest), statistics.median(under_load), answered, seconds)


if __name__ == "__main__":
    asyncio.run(_flood_until_stdin_closes(sys.argv[1], sys.argv[2], int(sys.argv[3])))
