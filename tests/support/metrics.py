"""Reading `/metrics` as Prometheus does: the text format parsed by prometheus-client's own
parser, into {(series name, labels): value}."""

from __future__ import annotations

from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> Samples:
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


async def scrape(http: httpx.AsyncClient, token: str | None = None) -> Samples:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await http.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return parse(response.text)


def value(samples: Samples, name: str, **labels: Any) -> float:
    """The sample's value, 0 when absent (a counter not yet incremented)."""
    return samples.get((name, frozenset((k, str(v)) for k, v in labels.items())), 0.0)


def summed(samples: Samples, name: str, **labels: Any) -> float:
    """The sum over every sample of `name` whose labels include `labels` (e.g. across pids)."""
    wanted = {(k, str(v)) for k, v in labels.items()}
    return sum(v for (n, ls), v in samples.items() if n == name and wanted <= ls)
