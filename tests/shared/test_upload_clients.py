"""Reference clients of the GraphQL multipart request spec upload a job photo to the real
server (uvicorn on a local port), on the filesystem and on S3: the npm package
`apollo-upload-client` under node, and Python `gql`'s upload support. The stored bytes hash
to the reported sha256, the thumbnail exists, the EXIF GPS position is gone, and the
photo's link downloads it for its manufacturer."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from gql import Client, FileVar, gql
from gql.transport.httpx import HTTPXAsyncTransport
from PIL import Image

from auth.permissions import Role
from domain.jobs import JobStatus
from settings import Settings
from tests.support import node_packages, seeding
from tests.support.files import (
    PHOTO,
    image_bytes,
    object_bytes,
    object_keys,
    on_both_backends,  # noqa: F401  (the files_settings fixture: local folder and S3)
    s3_endpoint,  # noqa: F401  (the session's S3 server)
)
from tests.support.graphql import bearer
from tests.support.job_support import catalog
from tests.support.live import serve

UPLOAD_CLIENT = node_packages.CLIENTS / "upload"


@pytest.fixture(scope="session")
def node_upload_client() -> Path:
    node_packages.installed(UPLOAD_CLIENT, "npm apollo-upload-client")
    return UPLOAD_CLIENT / "upload.mjs"


async def _check_stored(settings: Settings, file: dict[str, Any], http: httpx.AsyncClient) -> None:
    keys = await object_keys(settings)
    [key] = [k for k in keys if file["sha256"] in k and "thumbnails" not in k]
    stored = await object_bytes(settings, key)
    assert hashlib.sha256(stored).hexdigest() == file["sha256"]
    assert len(stored) == file["size"] and file["contentType"] == "image/jpeg"
    image = Image.open(io.BytesIO(stored))
    assert image.getexif().get_ifd(0x8825) == {} and b"PhoneMaker" not in stored
    assert any("thumbnails" in k and file["sha256"] in k for k in keys)
    downloaded = await http.get(file["url"])
    assert downloaded.status_code == 200 and downloaded.content == stored


def _photo(folder: Path, name: str) -> Path:
    photo = folder / name
    photo.write_bytes(image_bytes(size=(640, 480)))
    return photo


@asynccontextmanager
async def _qc_job_served(settings: Settings, database: Any) -> AsyncIterator[tuple[Any, Any, Any]]:
    """The real app served, with a job in QC of the world's own manufacturer."""
    from tests.support.graphql import GraphQLClient

    async with serve(settings) as server:
        async with GraphQLClient(server.app, bearer(settings, Role.ADMIN), owns_app=False) as admin:
            world = await catalog(admin, database)
            job = await world.job(JobStatus.QC)
        yield server, world, job


async def test_apollo_upload_client_uploads_a_job_photo(
    settings: Settings, database: Any, node_upload_client: Path, tmp_path: Path
) -> None:
    photo = _photo(tmp_path, "qc photo.jpg")
    async with (
        _qc_job_served(settings, database) as (server, world, job),
        httpx.AsyncClient() as http,
    ):
        token = bearer(settings, Role.MANUFACTURER, manufacturer_id=world.own_id)
        node = node_packages.installed(UPLOAD_CLIENT, "npm apollo-upload-client")
        process = await asyncio.create_subprocess_exec(
            node,
            str(node_upload_client),
            f"{server.url}/graphql",
            token["Authorization"].removeprefix("Bearer "),
            seeding.gid(job),
            str(photo),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, err.decode()
        payload = json.loads(out)
        assert payload["errors"] == []
        file = payload["photo"]["file"]
        assert file["originalName"] == "qc photo.jpg"
        await _check_stored(settings, file, http)


async def test_python_gql_uploads_a_job_photo(
    settings: Settings, database: Any, tmp_path: Path
) -> None:
    photo = _photo(tmp_path, "sewing.jpg")
    async with (
        _qc_job_served(settings, database) as (server, world, job),
        httpx.AsyncClient() as http,
    ):
        transport = HTTPXAsyncTransport(
            url=f"{server.url}/graphql",
            headers=bearer(settings, Role.MANUFACTURER, manufacturer_id=world.own_id),
        )
        async with Client(transport=transport) as session:
            request = gql(PHOTO)
            request.variable_values = {
                "input": {
                    "jobId": seeding.gid(job),
                    "stage": "QC",
                    "file": FileVar(str(photo), content_type="image/jpeg"),
                }
            }
            result = await session.execute(request, upload_files=True)
        payload = result["addJobPhoto"]
        assert payload["errors"] == []
        assert payload["photo"]["file"]["originalName"] == "sewing.jpg"
        await _check_stored(settings, payload["photo"]["file"], http)
