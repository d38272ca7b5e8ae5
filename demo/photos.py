"""Demo job photos: small JPEGs drawn with Pillow, added through the upload path (the same
checks, metadata stripping, thumbnail and storage as a manufacturer's upload), so GraphiQL
shows real images behind the photos' signed links."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from PIL import Image, ImageDraw
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile

from auth.actor import Actor
from db.models import JobPhoto
from db.storage import storage_for
from domain.jobs import PhotoStage
from resolvers import uploads
from resolvers.jobs import rules as jobs
from settings import FilesSettings

_STAGE_COLOURS = {
    PhotoStage.CUTTING: (196, 120, 60),
    PhotoStage.SEWING: (70, 130, 180),
    PhotoStage.PRINTING: (150, 80, 170),
    PhotoStage.QC: (60, 160, 90),
    PhotoStage.PACKING: (200, 170, 60),
    PhotoStage.OTHER: (120, 120, 120),
}
_files: ContextVar[FilesSettings] = ContextVar("demo_files")


@contextmanager
def storing_in(files: FilesSettings) -> Iterator[None]:
    """Demo photos added within go to the storage `files` names."""
    token = _files.set(files)
    try:
        yield
    finally:
        _files.reset(token)


def files_settings() -> FilesSettings:
    """Where the demo's files go (`storing_in`; else the default settings' folder)."""
    return _files.get(FilesSettings())


def drawn_photo(title: str, stage: PhotoStage) -> bytes:
    image = Image.new("RGB", (480, 360), _STAGE_COLOURS[stage])
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 440, 320), outline=(255, 255, 255), width=6)
    draw.text((60, 60), title, fill=(255, 255, 255))
    draw.text((60, 90), f"stage: {stage.value}", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


async def add_photo(
    session: AsyncSession,
    actor: Actor,
    job_id: str,
    job_number: str,
    n: int,
    stage: PhotoStage,
    caption: str,
) -> JobPhoto:
    files = _files.get(FilesSettings())
    upload = UploadFile(
        io.BytesIO(drawn_photo(f"{job_number} #{n}", stage)),
        filename=f"{job_number}-{stage.value}-{n}.jpg",
    )
    stored = await uploads.store(
        storage_for(files),
        upload,
        jobs.photo_purpose(stage),
        max_upload_bytes=files.max_upload_bytes,
        field=("input", "file"),
    )
    return await jobs.attach_photo(session, actor, job_id, stored, stage=stage, caption=caption)
