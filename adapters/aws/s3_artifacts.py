"""S3ArtifactStore: artifacts as S3 objects under `s3://<bucket>/<prefix><key>`.

Every botocore failure is translated: a missing object is `NotFoundError`, anything else
(missing bucket, access denied, no endpoint, no credentials) is `ArtifactStoreError`.
"""

from __future__ import annotations

import base64
import re
import threading
from contextlib import contextmanager
from typing import Any, BinaryIO, Iterator

import boto3
from botocore.config import Config
from boto3.exceptions import S3UploadFailedError
from botocore.exceptions import BotoCoreError, ClientError

from dagy.adapters.storage_rules import key_problem
from dagy.domain.errors import DagyError, NotFoundError

S3_SCHEME = "s3://"
_MISSING_OBJECT = frozenset({"NoSuchKey", "404", "NotFound"})
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
MAX_PRESIGN_SECONDS = 7 * 24 * 3600  # the SigV4 maximum
ZIP_CONTENT_TYPE = "application/zip"
CHUNK = 1024 * 1024


class ArtifactStoreError(DagyError):
    """The S3 artifact store refused a key or URI, or S3 could not be reached or used."""


class S3ArtifactStore:
    def __init__(self, bucket: str, prefix: str = "artifacts/", client: Any = None) -> None:
        if not bucket or "/" in bucket:
            raise ArtifactStoreError(f"invalid S3 bucket name {bucket!r}")
        if prefix and not prefix.endswith("/"):
            prefix += "/"
        self.bucket, self.prefix = bucket, prefix
        self._client = client
        self._lock = threading.Lock()

    @property
    def client(self) -> Any:
        """The boto3 S3 client, created on first use (region and credentials from the
        environment, SigV4 signatures)."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    try:
                        # SigV4 everywhere: presigned URLs must work in every region
                        self._client = boto3.client(
                            "s3", config=Config(signature_version="s3v4"))
                    except BotoCoreError as exc:
                        raise ArtifactStoreError(f"cannot create an S3 client: {exc}") from exc
        return self._client

    def put(self, key: str, data: bytes) -> str:
        object_key = self._object_key(key)
        try:
            self.client.put_object(Bucket=self.bucket, Key=object_key, Body=data)
        except (ClientError, BotoCoreError) as exc:
            raise self._error("write", object_key, exc) from exc
        return f"{S3_SCHEME}{self.bucket}/{object_key}"

    def put_file(self, key: str, file: BinaryIO) -> str:
        """Multipart above 8 MB (boto3's managed transfer), so no part is held whole."""
        object_key = self._object_key(key)
        try:
            self.client.upload_fileobj(file, self.bucket, object_key,
                                       ExtraArgs={"ContentType": ZIP_CONTENT_TYPE})
        except (ClientError, BotoCoreError, S3UploadFailedError) as exc:
            raise self._error("write", object_key, exc) from exc
        return f"{S3_SCHEME}{self.bucket}/{object_key}"

    def get_file(self, uri: str, file: BinaryIO) -> None:
        object_key = self._parse(uri)
        with self._reading(uri, object_key):
            body = self.client.get_object(Bucket=self.bucket, Key=object_key)["Body"]
            for chunk in body.iter_chunks(CHUNK):  # sequential: the file's position holds
                file.write(chunk)

    def get(self, uri: str) -> bytes:
        object_key = self._parse(uri)
        with self._reading(uri, object_key):
            return self.client.get_object(Bucket=self.bucket, Key=object_key)["Body"].read()

    @contextmanager
    def _reading(self, uri: str, object_key: str) -> Iterator[None]:
        """Reads map a missing object to NotFoundError and any other failure to ours."""
        try:
            yield
        except ClientError as exc:
            if _code(exc) in _MISSING_OBJECT:
                raise NotFoundError(f"artifact {uri} does not exist") from None
            raise self._error("read", object_key, exc) from exc
        except BotoCoreError as exc:
            raise self._error("read", object_key, exc) from exc

    def exists(self, uri: str) -> bool:
        object_key = self._parse(uri)
        try:
            self.client.head_object(Bucket=self.bucket, Key=object_key)
            return True
        except ClientError as exc:
            if _code(exc) in _MISSING_OBJECT:
                return False
            raise self._error("check", object_key, exc) from exc
        except BotoCoreError as exc:
            raise self._error("check", object_key, exc) from exc

    def presign_upload(self, key: str, expires_seconds: int = 900, *,
                       sha256: str | None = None) -> dict[str, Any]:
        """A URL the holder can HTTP PUT the artifact bytes to for `expires_seconds`, with
        the headers the PUT must carry, and the URI the artifact then has (what `put`
        returns for `key`). With `sha256` the checksum header is signed, so S3 itself
        refuses bytes with another digest."""
        object_key = self._object_key(key)
        if (not isinstance(expires_seconds, int) or isinstance(expires_seconds, bool)
                or not 1 <= expires_seconds <= MAX_PRESIGN_SECONDS):
            raise ArtifactStoreError(
                f"expires_seconds must be 1..{MAX_PRESIGN_SECONDS} (got {expires_seconds!r})")
        headers = {"Content-Type": ZIP_CONTENT_TYPE}
        params = {"Bucket": self.bucket, "Key": object_key, "ContentType": ZIP_CONTENT_TYPE}
        if sha256 is not None:
            if not isinstance(sha256, str) or not _SHA256_HEX.fullmatch(sha256):
                raise ArtifactStoreError("sha256 must be 64 lowercase hex digits")
            checksum = base64.b64encode(bytes.fromhex(sha256)).decode("ascii")
            params["ChecksumSHA256"] = headers["x-amz-checksum-sha256"] = checksum
        try:
            url = self.client.generate_presigned_url("put_object", Params=params,
                                                     ExpiresIn=expires_seconds)
        except (ClientError, BotoCoreError) as exc:
            raise self._error("presign", object_key, exc) from exc
        return {"upload_url": url, "artifact_uri": f"{S3_SCHEME}{self.bucket}/{object_key}",
                "method": "PUT", "headers": headers}

    def _object_key(self, key: str) -> str:
        problem = key_problem(key)
        if problem:
            raise ArtifactStoreError(problem)
        return self.prefix + key

    def _parse(self, uri: str) -> str:
        """The object key of a URI this store returned; anything else is refused."""
        if not isinstance(uri, str) or not uri.startswith(S3_SCHEME):
            raise ArtifactStoreError(f"{uri!r} is not an s3:// artifact URI")
        bucket, _, object_key = uri[len(S3_SCHEME):].partition("/")
        if bucket != self.bucket:
            raise ArtifactStoreError(
                f"artifact URI {uri} is in bucket {bucket!r}, this store uses {self.bucket!r}")
        if not object_key.startswith(self.prefix):
            raise ArtifactStoreError(
                f"artifact URI {uri} is outside this store's prefix {self.prefix!r}")
        problem = key_problem(object_key[len(self.prefix):])
        if problem:
            raise ArtifactStoreError(f"artifact URI {uri}: {problem}")
        return object_key

    def _error(self, action: str, object_key: str, exc: Exception) -> ArtifactStoreError:
        where = f"s3://{self.bucket}/{object_key}"
        if isinstance(exc, ClientError):
            detail = f"{_code(exc)}: {exc.response.get('Error', {}).get('Message', '')}"
        else:
            detail = str(exc)
        return ArtifactStoreError(f"cannot {action} artifact {where}: {detail.strip()}")


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))
