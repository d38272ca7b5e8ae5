"""Files (README "Files"): job photos uploaded over GraphQL multipart, stored on the
filesystem and on S3 (every test runs on both), checked by their content, served by signed
links with ranges and ETags; refusals leave nothing behind."""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any
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
from domain.files import ENVELOPE_ALLOWANCE
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
    pdf_bytes,
    raw_multipart,
    s3_endpoint,  # noqa: F401  (the session's S3 server)
    s3_files,
    upload_photo,
)
from tests.graphql import GraphQLClient, UploadPart
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
    # A role that may not read jobs gets null with FORBIDDEN, as for any job field.
    customer = world.admin.as_role(Role.CUSTOMER, customer_id=uuid.uuid4())
    denied = await customer.raw(
        "query($p: ID!) { node(id: $p) { ... on JobPhoto { url file { url } } } }",
        {"p": photo["id"]},
    )
    assert denied["data"] == {"node": None}
    assert [e["extensions"]["code"] for e in denied["errors"]] == ["FORBIDDEN"]
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


# -- refusals: each with its code, nothing stored or left behind ------------------------------


def _bomb() -> bytes:
    """A 20,000 x 20,000 PNG (400 megapixels) of a few dozen kilobytes."""
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="GIF")
    return out.getvalue()


_JPEG = image_bytes()
REFUSED = {
    "empty": ("photo.jpg", b"", "FILE_EMPTY"),
    "text named .jpg": ("photo.jpg", b"just some text, not an image", "FILE_TYPE_NOT_ALLOWED"),
    "a GIF": ("photo.gif", _gif(), "FILE_TYPE_NOT_ALLOWED"),
    "a PDF as a photo": ("photo.pdf", pdf_bytes(), "FILE_TYPE_NOT_ALLOWED"),
    "a JPEG named .png": ("photo.png", _JPEG, "FILE_TYPE_MISMATCH"),
    "an image bomb": ("bomb.png", _bomb(), "FILE_IMAGE_TOO_LARGE"),
    "a truncated JPEG": ("cut.jpg", _JPEG[: len(_JPEG) // 2], "FILE_CORRUPT"),
    "a path": ("../../etc/photo.jpg", _JPEG, "FILE_NAME_INVALID"),
    "a folder": ("uploads/photo.jpg", _JPEG, "FILE_NAME_INVALID"),
    # (A drive letter, "C:\\photo.jpg", never arrives: the multipart parser keeps the last
    # part of such a name, as browsers of old sent it.)
    "a Windows path": ("uploads\\photo.jpg", _JPEG, "FILE_NAME_INVALID"),
    "a control character": ("pho\x07to.jpg", _JPEG, "FILE_NAME_INVALID"),
    "a right-to-left override": ("gpj.\u202eexe.jpg", _JPEG, "FILE_NAME_INVALID"),
}


def _temporary_uploads() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("opsgraph-upload-*")}


@pytest.mark.parametrize("case", list(REFUSED), ids=list(REFUSED))
async def test_a_refused_photo_has_its_code_and_leaves_nothing_behind(
    world: Catalog, settings: Settings, case: str
) -> None:
    name, content, code = REFUSED[case]
    job = await world.job(JobStatus.QC)
    before = (await object_keys(settings), await _counts(world.database), _temporary_uploads())
    operations = {
        "query": PHOTO,
        "variables": {"input": {"jobId": seeding.gid(job), "stage": "QC", "file": None}},
    }
    body, content_type = raw_multipart(operations, "variables.input.file", name, content)
    response = await world.manufacturer().http.post(
        "/graphql", content=body, headers={"content-type": content_type}
    )
    payload = response.json()["data"]["addJobPhoto"]
    assert payload["photo"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, ["input", "file"])]
    after = (await object_keys(settings), await _counts(world.database), _temporary_uploads())
    assert after == before == ([], (0, 0), before[2])


async def test_a_photo_over_its_purpose_limit_is_refused_while_read(
    world: Catalog, settings: Settings, make_client: Any
) -> None:
    job = await world.job(JobStatus.QC)
    small = replace(settings.files, max_upload_bytes=50_000)
    big = image_bytes(size=(600, 600), colour=7) + b"\0" * 60_000  # a valid JPEG, padded
    async with make_client(files=small) as admin:
        payload = await admin.mutate(
            PHOTO,
            {
                "input": {
                    "jobId": seeding.gid(job),
                    "stage": "QC",
                    "file": UploadPart("big.jpg", big, "image/jpeg"),
                }
            },
        )
    assert [e["code"] for e in payload["errors"]] == ["FILE_TOO_LARGE"]
    assert await object_keys(settings) == [] and await _counts(world.database) == (0, 0)


async def test_a_job_the_uploader_may_not_work_on_stores_nothing(
    world: Catalog, settings: Settings
) -> None:
    theirs = await world.job(JobStatus.QC, manufacturer_id=world.other_id)
    payload = await world.manufacturer().mutate(
        PHOTO,
        {
            "input": {
                "jobId": seeding.gid(theirs),
                "stage": "QC",
                "file": UploadPart("p.jpg", _JPEG),
            }
        },
    )
    assert [e["code"] for e in payload["errors"]] == ["NOT_FOUND"]
    assert await object_keys(settings) == [] and await _counts(world.database) == (0, 0)


async def test_a_malformed_multipart_request_is_400_with_its_code(
    world: Catalog, settings: Settings
) -> None:
    job = await world.job(JobStatus.QC)
    variables = {"input": {"jobId": seeding.gid(job), "stage": "QC", "file": None}}
    http = world.manufacturer().http
    # The map names a part the body does not hold.
    missing = await multipart(
        http,
        PHOTO,
        variables,
        {"variables.input.file": ("p.jpg", _JPEG, "image/jpeg")},
        extra_map={"7": ["variables.input.file"]},
    )
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["extensions"]["code"] == "UPLOAD_PART_MISSING"
    # A map path outside `variables`, or into nothing.
    for path in ("query", "variables.input.nothing.deeper", "variables.input.jobId.x"):
        outside = await http.post(
            "/graphql",
            data={
                "operations": json.dumps({"query": PHOTO, "variables": variables}),
                "map": json.dumps({"0": [path]}),
            },
            files={"0": ("p.jpg", _JPEG, "image/jpeg")},
        )
        assert outside.status_code == 400, path
        assert outside.json()["errors"][0]["extensions"]["code"] == "UPLOAD_MALFORMED"
    # Operations that are not JSON.
    broken = await http.post(
        "/graphql",
        data={"operations": "{not json", "map": "{}"},
        files={"0": ("p.jpg", _JPEG, "image/jpeg")},
    )
    assert broken.status_code == 400
    assert broken.json()["errors"][0]["extensions"]["code"] == "UPLOAD_MALFORMED"
    # A body cut off inside the file part (its closing boundary never comes).
    whole = httpx.Request(
        "POST",
        "http://test/graphql",
        data={
            "operations": json.dumps({"query": PHOTO, "variables": variables}),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": ("p.jpg", _JPEG, "image/jpeg")},
    )
    body = whole.read()
    cut = body[: body.index(_JPEG) + len(_JPEG) // 2]
    truncated = await http.post(
        "/graphql", content=cut, headers={"content-type": whole.headers["content-type"]}
    )
    assert truncated.status_code == 400
    assert truncated.json()["errors"][0]["extensions"]["code"] == "UPLOAD_PART_MISSING"
    assert await object_keys(settings) == [] and await _counts(world.database) == (0, 0)


# -- oversize: refused before the body is read -------------------------------------------------


class _Endless:
    """A request body of `total` bytes made as it is sent (never held), counting what the
    server pulled."""

    def __init__(self, total: int, chunk: int = 1024 * 1024) -> None:
        self.total = total
        self.chunk = b"x" * chunk
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{}\r\n'
        yield b'--b\r\nContent-Disposition: form-data; name="0"; filename="a.jpg"\r\n\r\n'
        while self.sent < self.total:
            self.sent += len(self.chunk)
            yield self.chunk


async def test_an_oversize_upload_is_refused_before_its_body_is_read(
    world: Catalog, settings: Settings
) -> None:
    """A 4 GiB body, streamed (no Content-Length): the server stops pulling it at the limit.
    Declared with its Content-Length, it is refused before a byte of it is read."""
    http = world.manufacturer().http
    limit = settings.files.max_upload_bytes + ENVELOPE_ALLOWANCE
    body = _Endless(4 * 1024**3)
    started = time.perf_counter()
    streamed = await http.post(
        "/graphql", content=body, headers={"content-type": "multipart/form-data; boundary=b"}
    )
    elapsed = time.perf_counter() - started
    assert streamed.status_code == 413
    error = streamed.json()["errors"][0]
    assert error["extensions"]["code"] == "UPLOAD_TOO_LARGE"
    assert error["extensions"]["maximum"] == limit
    assert limit < body.sent <= limit + 2 * len(body.chunk)
    assert streamed.headers["connection"] == "close"
    print(f"\nstreamed 4 GiB body: refused after {body.sent} bytes in {elapsed:.3f} s")

    declared = _Endless(4 * 1024**3)
    refused = await http.post(
        "/graphql",
        content=declared,
        headers={
            "content-type": "multipart/form-data; boundary=b",
            "content-length": str(4 * 1024**3),
        },
    )
    assert refused.status_code == 413 and declared.sent == 0
    assert refused.json()["errors"][0]["extensions"]["requested"] == 4 * 1024**3
    assert await object_keys(settings) == [] and await _counts(world.database) == (0, 0)
