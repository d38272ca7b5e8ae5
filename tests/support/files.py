"""Stored files in tests: images and PDFs to upload, multipart requests, and the two
storage backends the file tests run on (a folder; a real S3-compatible server, moto's
standalone server, started once per test session on a free port)."""

from __future__ import annotations

import io
import json
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from PIL import Image

from db.storage import storage_for
from settings import FilesSettings, S3Settings, Settings
from tests.support.graphql import GraphQLClient, UploadPart

SIGNING_KEY = "test-files-" + "k" * 40
PHOTO = """mutation($input: AddJobPhotoInput!) { addJobPhoto(input: $input) {
    photo { id url thumbnailUrl stage caption
            file { id sha256 size contentType originalName purpose url thumbnailUrl } }
    errors { code field message } } }"""
GPS = {1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)}


def image_bytes(
    fmt: str = "JPEG", size: tuple[int, int] = (64, 48), gps: bool = True, colour: int = 200
) -> bytes:
    """An image with EXIF holding a GPS position and a camera maker, like a phone's."""
    image = Image.new("RGB", size, (colour, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    if gps:
        exif[0x8825] = GPS
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif.tobytes())
    return out.getvalue()


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


async def multipart(
    http: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any],
    files: dict[str, tuple[str, bytes, str]],
    *,
    extra_map: dict[str, list[str]] | None = None,
) -> httpx.Response:
    """A GraphQL multipart request: `files` maps a variables path ("variables.input.file")
    to (name, bytes, declared type)."""
    parts = {str(n): (path, file) for n, (path, file) in enumerate(files.items())}
    mapping = {n: [path] for n, (path, _) in parts.items()} | (extra_map or {})
    return await http.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": query, "variables": variables}),
            "map": json.dumps(mapping),
        },
        files={n: file for n, (_, file) in parts.items()},
    )


def photo_part(name: str = "photo.jpg", data: bytes | None = None) -> UploadPart:
    return UploadPart(name, image_bytes() if data is None else data, "image/jpeg")


async def upload_photo(
    client: GraphQLClient,
    job_id: str,
    stage: str = "QC",
    *,
    name: str = "photo.jpg",
    data: bytes | None = None,
    caption: str | None = None,
) -> dict[str, Any]:
    """addJobPhoto's payload, the photo sent as a multipart request."""
    file = photo_part(name, data)
    values = {"jobId": job_id, "stage": stage, "file": file, "caption": caption}
    payload: dict[str, Any] = await client.mutate(PHOTO, {"input": values})
    return payload


async def object_keys(settings: Settings) -> list[str]:
    return sorted([info.key async for info in storage_for(settings.files).list()])


async def object_bytes(settings: Settings, key: str) -> bytes:
    return b"".join([chunk async for chunk in storage_for(settings.files).read(key)])


# -- the S3 backend: moto's standalone server --------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3-compatible server (moto's, over HTTP), for the session."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def s3_files(endpoint: str) -> FilesSettings:
    """Settings for a fresh, empty bucket on `endpoint`."""
    s3 = S3Settings(
        bucket=f"opsgraph-test-{uuid.uuid4().hex[:12]}",
        endpoint_url=endpoint,
        region="us-east-1",
        access_key_id="testing",
        secret_access_key="testing",
    )
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=s3.region,
        aws_access_key_id=s3.access_key_id,
        aws_secret_access_key=s3.secret_access_key,
    ).create_bucket(Bucket=s3.bucket)
    return FilesSettings(s3=s3, signing_key=SIGNING_KEY)


def local_files(tmp_path: Path) -> FilesSettings:
    return FilesSettings(directory=tmp_path / "files", signing_key=SIGNING_KEY)


def raw_multipart(
    operations: dict[str, Any], path: str, filename: str, content: bytes
) -> tuple[bytes, str]:
    """A multipart body written byte by byte, the file name sent as it is (clients such as
    httpx percent-encode control characters; a hostile client does not)."""
    boundary = "opsgraph-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
        f"{json.dumps(operations)}\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n'
        f"{json.dumps({'0': [path]})}\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="0"; filename="'
    ).encode()
    part = b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
    body = head + filename.encode() + part + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.fixture(params=["filesystem", "s3"], name="files_settings")
def on_both_backends(request: pytest.FixtureRequest, tmp_path: Path) -> FilesSettings:
    """Overrides conftest's `files_settings` where imported: each test runs on the local
    folder and on S3 (the session's server, `s3_endpoint`)."""
    if request.param == "s3":
        return s3_files(request.getfixturevalue("s3_endpoint"))
    return local_files(tmp_path)
