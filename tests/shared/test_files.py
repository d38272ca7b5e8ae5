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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import httpx
import pytest
from PIL import Image
from sqlalchemy import func, select, update
from starlette.datastructures import UploadFile as StarletteUpload

from auth import file_links
from auth.actor import SYSTEM
from auth.file_links import Variant
from auth.permissions import Role
from db.engine import Database
from db.models import JobPhoto, ManufacturingJob, StoredFile
from db.storage import storage_for
from domain.errors import ErrorCode, UserErrors
from domain.files import ENVELOPE_ALLOWANCE, ContentType, FilePurpose, Retention
from domain.jobs import JobStatus, PhotoStage
from resolvers import files, files_command, uploads
from resolvers.ids import decode_id
from settings import QueryLimits, Settings
from tests.support import seeding
from tests.support.connection_accounting import LEDGER
from tests.support.files import (
    PHOTO,
    image_bytes,
    multipart,
    object_bytes,
    object_keys,
    on_both_backends,  # noqa: F401  (the files_settings fixture: local folder and S3)
    pdf_bytes,
    raw_multipart,
    s3_endpoint,  # noqa: F401  (the session's S3 server)
    upload_photo,
)
from tests.support.graphql import GraphQLClient, UploadPart
from tests.support.job_support import Catalog, catalog


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
    audited = await audit_actions(world.database, stored.id)
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
        "query($p: ID!, $f: ID!, $j: ID) { photo: node(id: $p) { id } "
        "file: node(id: $f) { id } manufacturingJob(id: $j) { id } }",
        {"p": photo["id"], "f": file["id"], "j": seeding.gid(job)},
    )
    # Another manufacturer's photo, file and job are not there for it at all: plain null,
    # as for any record of another owner (no FORBIDDEN, which would confirm they exist).
    assert body["data"] == {"photo": None, "file": None, "manufacturingJob": None}
    assert "errors" not in body
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
        f"{url.path}?expires=²&signature={query['signature'][0]}",
        f"{url.path}?expires={query['expires'][0]}&signature={'é' * 64}",
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


async def audit_actions(database: Database, entity_id: uuid.UUID) -> list[str]:
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


# An operation that reads before its upload (the note's payload) has taken the request's read
# connection; the photo's own job check has taken a session's. Neither may stay checked out
# while the photo is decoded and stored (seconds each): a few dozen uploads would starve the pool.
_NOTE_THEN_PHOTO = """mutation($note: AddJobNoteInput!, $input: AddJobPhotoInput!) {
    addJobNote(input: $note) { note { id } job { id } errors { code } }
    addJobPhoto(input: $input) { photo { id } errors { code } } }"""


async def test_no_database_connection_is_held_while_a_photo_is_inspected_and_stored(
    world: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = await world.job(JobStatus.QC)
    before = set(LEDGER.checked_out)
    held: list[list[str]] = []
    inspect = uploads._inspect

    def watched(*args: Any) -> Any:
        held.append(
            [" <- ".join(where) for r, where in LEDGER.checked_out.items() if r not in before]
        )
        return inspect(*args)

    monkeypatch.setattr(uploads, "_inspect", watched)
    data = await world.manufacturer()(
        _NOTE_THEN_PHOTO,
        {
            "note": {"jobId": seeding.gid(job), "content": "photo follows"},
            "input": {"jobId": seeding.gid(job), "stage": "QC", "file": UploadPart("p.jpg", _JPEG)},
        },
    )
    assert data["addJobNote"]["errors"] == data["addJobPhoto"]["errors"] == []
    assert held == [[]]


async def test_a_job_reassigned_while_its_photo_was_stored_is_checked_again(
    world: Catalog, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = await world.job(JobStatus.QC)
    store = uploads.store

    async def then_reassigned(*args: Any, **kwargs: Any) -> uploads.Stored:
        stored = await store(*args, **kwargs)
        async with world.database.transaction() as session:
            await session.execute(
                update(ManufacturingJob)
                .where(ManufacturingJob.id == job.id)
                .values(manufacturer_id=world.other_id)
            )
        return stored

    monkeypatch.setattr(uploads, "store", then_reassigned)
    payload = await upload_photo(world.manufacturer(), seeding.gid(job), "QC")
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("NOT_FOUND", ["input", "jobId"])
    ]
    # No row took the stored objects: `files prune` removes them once they are old enough.
    assert await _counts(world.database) == (0, 0) and len(await object_keys(settings)) == 2


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
    # Operations over the query size limit, as a JSON body would be.
    huge = await http.post(
        "/graphql",
        data={"operations": " " * (settings.limits.max_bytes + 1), "map": "{}"},
        files={"0": ("p.jpg", _JPEG, "image/jpeg")},
    )
    assert huge.status_code == 413
    assert huge.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
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


# -- downloads: ranges, ETags, public files ----------------------------------------------------


async def _receive(
    database: Database,
    settings: Settings,
    purpose: FilePurpose,
    name: str,
    content: bytes,
    *,
    attached: bool = True,
) -> StoredFile:
    """A file received as an upload for `purpose` (no mutation takes COAs or documents yet)."""
    stored = await uploads.store(
        storage_for(settings.files),
        StarletteUpload(io.BytesIO(content), filename=name),
        purpose,
        max_upload_bytes=settings.files.max_upload_bytes,
        field=("input", "file"),
    )
    async with database.transaction() as session:
        return await uploads.record(session, SYSTEM, stored, attached=attached)


def _big_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(40):
        writer.add_blank_page(width=600, height=800)
    writer.add_metadata({"/Title": "COA " + "x" * 5000})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


async def test_a_pdf_is_served_in_ranges_with_its_hash_as_etag(
    world: Catalog, settings: Settings
) -> None:
    content = _big_pdf()
    stored = await _receive(world.database, settings, FilePurpose.DOCUMENT, "coa.pdf", content)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()  # a PDF is stored as sent
    assert stored.thumbnail_key is None
    link = file_links.signed_path(
        settings.files.signing_key, stored.id, Variant.ORIGINAL, settings.files.url_ttl_seconds
    )
    http = world.admin.http
    whole = await http.get(link)
    assert whole.status_code == 200 and whole.content == content
    assert whole.headers["accept-ranges"] == "bytes"
    assert whole.headers["content-type"] == "application/pdf"
    size = len(content)
    for wanted, start, end in (
        ("bytes=0-99", 0, 99),
        ("bytes=100-", 100, size - 1),
        ("bytes=-50", size - 50, size - 1),
        (f"bytes=10-{size * 2}", 10, size - 1),
    ):
        part = await http.get(link, headers={"range": wanted})
        assert part.status_code == 206, wanted
        assert part.content == content[start : end + 1]
        assert part.headers["content-range"] == f"bytes {start}-{end}/{size}"
    outside = await http.get(link, headers={"range": f"bytes={size}-"})
    assert outside.status_code == 416 and outside.headers["content-range"] == f"bytes */{size}"
    unchanged = await http.get(link, headers={"if-none-match": f'"{stored.sha256}"'})
    assert unchanged.status_code == 304 and unchanged.content == b""
    head = await http.head(link)
    assert head.status_code == 200 and head.headers["content-length"] == str(size)
    assert head.content == b""
    # A broken PDF is refused.
    with pytest.raises(UserErrors) as refused:
        await _receive(world.database, settings, FilePurpose.DOCUMENT, "b.pdf", content[:400])
    assert [p.code for p in refused.value.problems] == [ErrorCode.FILE_CORRUPT]
    assert await object_keys(settings) == [stored.storage_key]


async def test_a_public_file_has_a_stable_address_cached_for_long(
    world: Catalog, settings: Settings
) -> None:
    content = pdf_bytes()
    stored = await _receive(world.database, settings, FilePurpose.COA, "LOT-1-coa.pdf", content)
    public = file_links.public_path(stored.id)
    assert (await world.admin.http.get(public)).status_code == 404  # not verified yet
    async with world.database.transaction() as session:
        row = await session.get(StoredFile, stored.id)
        assert row is not None
        row.public = True
    anonymous = world.admin.anonymous().http
    served = await anonymous.get(public)
    assert served.status_code == 200 and served.content == content
    assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert served.headers["etag"] == f'"{hashlib.sha256(content).hexdigest()}"'
    again = await anonymous.get(public, headers={"if-none-match": served.headers["etag"]})
    assert again.status_code == 304


# -- housekeeping: prune and verify ------------------------------------------------------------


async def test_prune_removes_old_unattached_uploads_and_never_a_coa(
    world: Catalog, settings: Settings
) -> None:
    job = await world.job(JobStatus.QC)
    attached = (await upload_photo(world.manufacturer(), seeding.gid(job)))["photo"]["file"]
    db = world.database
    png = image_bytes("PNG")
    orphan = await _receive(db, settings, FilePurpose.DOCUMENT, "o.png", png, attached=False)
    # The same bytes again, taken by no record either: one object, shared.
    twin = await _receive(db, settings, FilePurpose.DOCUMENT, "t.png", png, attached=False)
    assert twin.storage_key == orphan.storage_key
    coa = await _receive(db, settings, FilePurpose.COA, "c.pdf", _big_pdf(), attached=False)
    storage = storage_for(settings.files)
    # An object no row points at (its upload's transaction never committed).
    await storage.put("document/zz/stray.pdf", b"%PDF-stray")
    before = await object_keys(settings)

    # Younger than OPSGRAPH_FILES_ORPHAN_HOURS: all kept.
    report = await files.prune(db, storage, settings.files.orphan_hours)
    assert (report.files, report.objects) == (0, 0)
    assert await object_keys(settings) == before

    later = datetime.now(UTC) + timedelta(hours=settings.files.orphan_hours + 1)
    report = await files.prune(db, storage, settings.files.orphan_hours, now=later)
    assert (report.files, report.objects) == (2, 2)
    assert {f.id for f in await _files(db)} == {coa.id, decode_id(attached["id"])[1]}
    assert await object_keys(settings) == sorted(
        set(before) - {orphan.storage_key, "document/zz/stray.pdf"}
    )
    assert coa.storage_key in before
    # Run again, much later: nothing more goes; the COA never does.
    much_later = later + timedelta(days=3650)
    report = await files.prune(db, storage, settings.files.orphan_hours, now=much_later)
    assert (report.files, report.objects) == (0, 0)
    assert await audit_actions(db, orphan.id) == ["created"]  # prune is housekeeping


async def test_verify_rehashes_stored_objects_and_reports_a_changed_one(
    world: Catalog, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    db = world.database
    one = await _receive(db, settings, FilePurpose.COA, "a.pdf", pdf_bytes())
    two = await _receive(db, settings, FilePurpose.DOCUMENT, "b.pdf", _big_pdf())
    storage = storage_for(settings.files)
    report = await files.verify(db, storage)
    assert (report.checked, report.mismatched, report.missing, report.ok) == (2, [], [], True)

    await _tamper(settings, two.storage_key)
    await storage.delete(one.storage_key)
    report = await files.verify(db, storage)
    assert report.mismatched == [f"{two.id} {two.storage_key}"]
    assert report.missing == [f"{one.id} {one.storage_key}"]
    assert await files_command._run("verify", settings) == 1
    out = capsys.readouterr().out
    assert f"MISMATCH {two.id}" in out and f"MISSING {one.id}" in out


async def _tamper(settings: Settings, key: str) -> None:
    """Change a stored object behind the app's back (a disk fault, an operator)."""
    if settings.files.s3 is None:
        path = settings.files.directory / key
        path.chmod(0o600)
        path.write_bytes(path.read_bytes()[:-1] + b"!")
        return
    s3 = settings.files.s3
    boto3.client(
        "s3",
        endpoint_url=s3.endpoint_url,
        region_name=s3.region,
        aws_access_key_id=s3.access_key_id,
        aws_secret_access_key=s3.secret_access_key,
    ).put_object(Bucket=s3.bucket, Key=key, Body=b"%PDF-changed")


async def test_an_object_is_never_overwritten(settings: Settings) -> None:
    storage = storage_for(settings.files)
    assert await storage.put("document/aa/same.pdf", b"first") is True
    assert await storage.put("document/aa/same.pdf", b"second") is False
    assert b"".join([c async for c in storage.read("document/aa/same.pdf")]) == b"first"


# -- statements: a fixed number whatever the number of files -----------------------------------

FILES_LIST = """{ manufacturingJobs(first: 100) { edges { node { photos(first: 5) { edges { node {
    url thumbnailUrl file { sha256 size contentType originalName purpose url thumbnailUrl }
} } } } } } }"""


async def _photos_with_files(world: Catalog, jobs: int) -> None:
    for _ in range(jobs):
        job = await world.job(JobStatus.QC)
        async with world.database.transaction() as session:
            for n in range(2):
                stored = StoredFile(
                    purpose=FilePurpose.QC_PHOTO,
                    retention=Retention.ORPHANS_PRUNED,
                    storage_key=f"qc_photo/{uuid.uuid4().hex}.jpg",
                    sha256=hashlib.sha256(f"{job.id}{n}".encode()).hexdigest(),
                    size=10,
                    content_type=ContentType.JPEG,
                    original_name=f"{n}.jpg",
                    thumbnail_key=f"qc_photo/thumbnails/{uuid.uuid4().hex}.jpg",
                    thumbnail_size=5,
                    attached_at=datetime.now(UTC),
                )
                session.add(stored)
                await session.flush()
                session.add(JobPhoto(job_id=job.id, file_id=stored.id, stage=PhotoStage.QC))


async def _list_statements(make_client: Any, role_client: Any = None) -> tuple[int, Any]:
    async with make_client(debug_sql=True, limits=QueryLimits(max_cost=1_000_000)) as client:
        viewer = role_client(client) if role_client else client
        body = await viewer.raw(FILES_LIST)
    assert "errors" not in body, body.get("errors")
    return body["extensions"]["debug"]["sqlStatements"], body["data"]


async def test_photos_with_their_files_list_in_a_fixed_number_of_statements(
    world: Catalog, make_client: Any
) -> None:
    await _photos_with_files(world, 3)
    with_3, data = await _list_statements(make_client)
    await _photos_with_files(world, 30)
    with_33, data = await _list_statements(make_client)
    edges = data["manufacturingJobs"]["edges"]
    assert len(edges) == 33
    files_listed = [p["node"]["file"] for e in edges for p in e["node"]["photos"]["edges"]]
    assert len(files_listed) == 66 and all(f["url"] and f["thumbnailUrl"] for f in files_listed)
    assert with_3 == with_33
    # Jobs page, photo pages, the photos' files.
    assert with_33 <= 4, with_33
    mine, _ = await _list_statements(
        make_client, lambda c: c.as_role(Role.MANUFACTURER, manufacturer_id=world.own_id)
    )
    assert mine == with_33


async def test_a_document_image_is_stored_as_sent_without_thumbnail(
    world: Catalog, settings: Settings
) -> None:
    content = image_bytes("PNG")
    stored = await _receive(world.database, settings, FilePurpose.DOCUMENT, "licence.png", content)
    assert stored.sha256 == hashlib.sha256(content).hexdigest() and stored.thumbnail_key is None
    assert await object_bytes(settings, stored.storage_key) == content
    assert await object_keys(settings) == [stored.storage_key]
