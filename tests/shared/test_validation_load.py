"""16 of issue 23's validation floods in flight leave an unrelated read's latency within 2x
of normal, against the app served by uvicorn in a process of its own (defect 3)."""

from __future__ import annotations

import asyncio
import uuid

from auth.permissions import Role
from tests.support.graphql import bearer
from tests.support.hostile_load import measure
from tests.support.live import AppProcess, process_environment

# The machine is shared and its load drifts: a run is measured again (at most this many
# times) before failing. Unbounded validation failed each by a hundredfold (1-3 s a flood).
ATTEMPTS = 3


async def test_floods_in_flight_leave_an_unrelated_read_within_twice_its_latency(
    settings, tmp_path
):
    async with AppProcess(process_environment(settings, tmp_path), tmp_path / "app.log") as app:
        reader = bearer(settings, Role.ADMIN)
        hostile = bearer(settings, Role.CUSTOMER, customer_id=uuid.uuid4())["Authorization"]
        runs = []
        for _ in range(ATTEMPTS):
            figures = await asyncio.to_thread(measure, app.url, reader, hostile, in_flight=16)
            runs.append(figures)
            assert set(figures.floods_answered) == {"QUERY_TOO_COMPLEX"}
            assert sum(figures.floods_answered.values()) >= 16
            if figures.ratio <= 2.0:
                break
    assert runs[-1].ratio <= 2.0, runs
    assert "ERROR" not in app.log()
