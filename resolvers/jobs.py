"""Manufacturing jobs (SPEC §1.4, §2.1).

CONTRACT (being implemented): `count_photos(session, job_id, stage=...)` for the QC guard.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession


async def count_photos(
    session: AsyncSession, job_id: uuid.UUID, *, stage: str | None = None
) -> int:
    raise NotImplementedError
