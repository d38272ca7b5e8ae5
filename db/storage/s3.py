"""Objects in an S3-compatible bucket (OPSGRAPH_FILES_S3_BUCKET; any server speaking the S3
API through OPSGRAPH_FILES_S3_ENDPOINT_URL). boto3 is blocking: its calls run in threads.

A put is conditional (`If-None-Match: *`): the server refuses to replace an existing key,
so an object is never overwritten even by two processes storing the same key at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from db.storage.base import CHUNK, ObjectInfo, StorageError
from settings import S3Settings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

_MISSING = {"404", "NoSuchKey", "NotFound"}
_EXISTS = {"PreconditionFailed", "412", "ConditionalRequestConflict"}


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


class S3Storage:
    name = "s3"

    def __init__(self, settings: S3Settings) -> None:
        self.bucket = settings.bucket
        self.client: S3Client = boto3.client(
            "s3",
            endpoint_url=settings.endpoint_url,
            region_name=settings.region,
            aws_access_key_id=settings.access_key_id,
            aws_secret_access_key=settings.secret_access_key,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}),
        )

    async def _call(self, method: Any, /, **kwargs: Any) -> Any:
        try:
            return await asyncio.to_thread(method, **kwargs)
        except BotoCoreError as exc:
            raise StorageError(f"S3 {method.__name__} failed: {exc}") from exc

    async def put(self, key: str, source: Path | bytes) -> bool:
        if await self.exists(key):
            return False
        try:
            await self._call(self._put, key=key, source=source)
        except ClientError as exc:
            if _code(exc) in _EXISTS:
                return False
            raise StorageError(f"S3 put of {key!r} failed: {_code(exc)}") from exc
        return True

    def _put(self, key: str, source: Path | bytes) -> None:
        if isinstance(source, bytes):
            self.client.put_object(Bucket=self.bucket, Key=key, Body=source, IfNoneMatch="*")
            return
        with source.open("rb") as body:  # streamed from disk, not read into memory
            self.client.put_object(Bucket=self.bucket, Key=key, Body=body, IfNoneMatch="*")

    async def exists(self, key: str) -> bool:
        try:
            await self._call(self.client.head_object, Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _code(exc) in _MISSING:
                return False
            raise StorageError(f"S3 head of {key!r} failed: {_code(exc)}") from exc
        return True

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        wanted = f"bytes={start}-{'' if end is None else end}"
        try:
            answer = await self._call(
                self.client.get_object, Bucket=self.bucket, Key=key, Range=wanted
            )
        except ClientError as exc:
            raise StorageError(f"S3 get of {key!r} failed: {_code(exc)}") from exc
        body = answer["Body"]
        try:
            while chunk := await asyncio.to_thread(body.read, CHUNK):
                yield chunk
        finally:
            await asyncio.to_thread(body.close)

    async def delete(self, key: str) -> None:
        try:
            await self._call(self.client.delete_object, Bucket=self.bucket, Key=key)
        except ClientError as exc:
            raise StorageError(f"S3 delete of {key!r} failed: {_code(exc)}") from exc

    async def list(self) -> AsyncIterator[ObjectInfo]:
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {"Bucket": self.bucket}
            if token:
                kwargs["ContinuationToken"] = token
            try:
                page = await self._call(self.client.list_objects_v2, **kwargs)
            except ClientError as exc:
                raise StorageError(f"S3 list failed: {_code(exc)}") from exc
            for item in page.get("Contents", []):
                yield ObjectInfo(item["Key"], item["Size"], item["LastModified"])
            if not page.get("IsTruncated"):
                return
            token = page.get("NextContinuationToken")
