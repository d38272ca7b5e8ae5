"""Files (README "Files"): job photos uploaded over GraphQL multipart, stored on the
filesystem and on S3 (every test runs on both), checked by their content, served by signed
links with ranges and ETags; refusals leave nothing behind."""

from __future__ import annotations

import hashlib
import io
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from PIL import Image
from sqlalchemy import func, select

from auth import file_links
from auth.file_links import Variant
from auth.permissions import Role
from db.engine import Database
from db.models import JobPhoto, StoredFile
from db.storage import storage_for
from domain.files import FilePurpose
from domain.jobs import JobStatus
from resolvers.ids import decode_id
from settings import FilesSettings, Settings
from tests import seeding
from tests.files_support import (
    PHOTO,
    image_bytes,
    local_files,
    multipart,
    object_bytes,
    object_keys,
    s3_endpoint,  # noqa: F401  (the session's S3 server)
    s3_files,
    upload_photo,
)
from tests.graphql import GraphQLClient
from tests.job_support import Catalog, catalog


@pytest.fixture(params=["filesystem", "s3"])
def files_settings(request: pytest.FixtureRequest, tmp_path: Path) -> FilesSettings:
    if request.param == "s3":
        return s3_files(request.getfixturevalue("s3_endpoint"))
    return local_files(tmp_path)


@pytest.fixture
async def world(client: GraphQLClient, database: Database) -> Catalog:
    return await catalog(client, database)


def _path(url: str) -> str:
    """A link as the test client requests it (the app's base URL is the client's)."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def _counts(database: Database) -> tuple[int, int]:
    async with database.transaction() as session:
        files = await session.scalar(select(func.count()).select_from(StoredFile))
        photos = await session.scalar(select(func.count()).select_from(JobPhoto))
        return files or 0, photos or 0


# -- a photo uploaded, stored, linked ---------------------------------------------------------


async def test_a_manufacturer_uploads_a_job_photo_stored_by_hash_with_thumbnail_and_no_gps(
    world: Catalog, settings: Settings
) -> None:
    job = await world.job(JobStatus.QC)
    manufacturer = world.manufacturer()
    original = image_bytes(size=(800, 600))
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # it has a GPS position
    payload = await upload_photo(
        manufacturer, seeding.gid(job), "QC", name="IMG 0001.JPG", data=original
    )
    assert payload["errors"] == []
    photo = payload["photo"]
    file = photo["file"]
    assert (file["contentType"], file["originalName"], file["purpose"]) == (
        "image/jpeg",
        "IMG 0001.JPG",
        "QC_PHOTO",
    )
    [stored] = await _files(world.database)
    stored_bytes = await object_bytes(settings, stored.storage_key)
    assert hashlib.sha256(stored_bytes).hexdigest() == file["sha256"] == stored.sha256
    assert len(stored_bytes) == file["size"]
    assert file["sha256"] in stored.storage_key and "IMG" not in stored.storage_key
    kept = Image.open(io.BytesIO(stored_bytes))
    assert kept.size == (800, 600)
    assert dict(kept.getexif()) == {} and b"PhoneMaker" not in stored_bytes
    assert stored.thumbnail_key is not None
    thumbnail = Image.open(io.BytesIO(await object_bytes(settings, stored.thumbnail_key)))
    assert thumbnail.format == "JPEG" and max(thumbnail.size) == 320
    assert sorted(await object_keys(settings)) == sorted([stored.storage_key, stored.thumbnail_key])

    # The photo's own links are its file's; both download for the owner and for ops.
    for viewer in (manufacturer, world.admin.as_role(Role.OPS)):
        data = await viewer(
            "query($id: ID!) { node(id: $id) { ... on JobPhoto { url thumbnailUrl "
            "file { url thumbnailUrl sha256 } } } }",
            {"id": photo["id"]},
        )
        node = data["node"]
        got = await viewer.http.get(_path(node["file"]["url"]))
        assert got.status_code == 200, got.text
        assert got.content == stored_bytes
        assert got.headers["etag"] == f'"{file["sha256"]}"'
        assert got.headers["content-type"] == "image/jpeg"
        assert got.headers["x-content-type-options"] == "nosniff"
        assert got.headers["cache-control"].startswith("private, max-age=")
        small = await viewer.http.get(_path(node["thumbnailUrl"]))
        assert small.status_code == 200 and small.content.startswith(b"\xff\xd8")
        assert urlsplit(node["url"]).path == urlsplit(node["file"]["url"]).path
    audited = await _audit_actions(world.database, stored.id)
    assert audited == ["created"]


async def test_the_qc_guard_counts_uploaded_qc_photos_only(world: Catalog) -> None:
    job = await world.job(JobStatus.QC)
    manufacturer = world.manufacturer()
    move = """mutation($input: TransitionJobInput!) { transitionJob(input: $input) {
        job { status } errors { code } } }"""
    ship = {"input": {"id": seeding.gid(job), "status": "READY_TO_SHIP"}}
    assert (await manufacturer.mutate(move, ship))["errors"] == [{"code": "VALIDATION"}]
    await upload_photo(manufacturer, seeding.gid(job), "PACKING")
    assert (await manufacturer.mutate(move, ship))["errors"] == [{"code": "VALIDATION"}]
    await upload_photo(manufacturer, seeding.gid(job), "QC")
    assert (await manufacturer.mutate(move, ship))["job"] == {"status": "READY_TO_SHIP"}


# -- who gets a link ---------------------------------------------------------------------------


async def test_another_manufacturer_gets_no_link_and_forged_or_expired_links_are_403(
    world: Catalog, settings: Settings
) -> None:
    job = await world.job(JobStatus.QC)
    payload = await upload_photo(world.manufacturer(), seeding.gid(job))
    photo, file = payload["photo"], payload["photo"]["file"]
    other = world.manufacturer(world.other_id)
    body = await other.raw(
        "query($p: ID!, $f: ID!) { photo: node(id: $p) { id } file: node(id: $f) { id } "
        "manufacturingJob(id: $j) { id } }".replace(", $f: ID!)", ", $f: ID!, $j: ID)"),
        {"p": photo["id"], "f": file["id"], "j": seeding.gid(job)},
    )
    assert body["data"] == {"photo": None, "file": None, "manufacturingJob": None}
    print(body)
    file_id = decode_id(file["id"])[1]

    url = urlsplit(file["url"])
    query = parse_qs(url.query)
    good = await world.admin.http.get(_path(file["url"]))
    assert good.status_code == 200
    forged = f"{url.path}?expires={query['expires'][0]}&signature={'0' * 64}"
    longer = (
        f"{url.path}?expires={int(query['expires'][0]) + 3600}&signature={query['signature'][0]}"
    )
    other_file = f"/files/{uuid.uuid4()}?{url.query}"
    thumbnail_with_original_signature = f"{url.path}/thumbnail?{url.query}"
    expired = file_links.signed_path(
        settings.files.signing_key, file_id, Variant.ORIGINAL, 60, now=time.time() - 3600
    )
    wrong_key = file_links.signed_path("k" * 64, file_id, Variant.ORIGINAL, 600)
    for link in (
        forged,
        longer,
        other_file,
        thumbnail_with_original_signature,
        expired,
        wrong_key,
        url.path,
        f"{url.path}?expires=abc&signature=é",
        f"/files/not-a-uuid?{url.query}",
    ):
        refused = await httpx.AsyncClient(
            transport=world.admin.http._transport, base_url="http://test"
        ).get(link)
        assert refused.status_code == 403, link
        assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # Not public: no stable address.
    assert (await world.admin.http.get(f"/files/public/{file_id}")).status_code == 404


async def _files(database: Database) -> list[StoredFile]:
    async with database.transaction() as session:
        return list((await session.scalars(select(StoredFile))).all())


async def _audit_actions(database: Database, entity_id: uuid.UUID) -> list[str]:
    from db.models import AuditLog

    async with database.transaction() as session:
        rows = await session.scalars(select(AuditLog.action).where(AuditLog.entity_id == entity_id))
        return [str(a) for a in rows.all()]


_ = (AsyncIterator, FilePurpose, storage_for, PHOTO, multipart)
