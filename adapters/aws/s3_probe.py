"""S3PollProbe: a PollProbe watching the objects under an S3 prefix (list_objects_v2).

The cursor is the newest object's `<LastModified, UTC, microseconds>|<key>`: fixed-width
timestamps make cursors compare like the moments they name, so a deleted newest object
(an older cursor) is not reported as a change.
"""

from __future__ import annotations

import threading
from datetime import timezone
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from dagy.application.ports.probes import PollResult, ProbeError
from dagy.domain.schedules.model import Sensor


class S3PollProbe:
    def __init__(self, client: Any = None, max_pages: int = 100) -> None:
        self._client, self.max_pages = client, max_pages
        self._lock = threading.Lock()

    @property
    def client(self) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = boto3.client("s3", config=Config(
                        connect_timeout=5, read_timeout=10, retries={"max_attempts": 2}))
        return self._client

    def __call__(self, sensor: Sensor) -> PollResult:
        bucket, prefix = sensor.config.get("bucket"), sensor.config.get("prefix") or ""
        if not isinstance(bucket, str) or not bucket:
            raise ProbeError(f"sensor {sensor.sensor_id}: config.bucket is missing")
        newest = self._newest(bucket, prefix)
        if newest is None:
            return sensor.cursor, None
        modified = newest["LastModified"].astimezone(timezone.utc)
        cursor = f"{modified.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}|{newest['Key']}"
        if sensor.cursor is not None and cursor <= sensor.cursor:
            return sensor.cursor, None
        return cursor, {"bucket": bucket, "key": newest["Key"],
                        "last_modified": modified.isoformat(),
                        "etag": str(newest.get("ETag") or "").strip('"'),
                        "size": newest.get("Size")}

    def _newest(self, bucket: str, prefix: str) -> dict[str, Any] | None:
        newest, token = None, None
        for _ in range(self.max_pages):
            kwargs = {"Bucket": bucket, "Prefix": prefix}
            if token:
                kwargs["ContinuationToken"] = token
            try:
                page = self.client.list_objects_v2(**kwargs)
            except (BotoCoreError, ClientError) as exc:
                raise ProbeError(f"listing s3://{bucket}/{prefix} failed: {exc}") from None
            for obj in page.get("Contents") or []:
                if newest is None or ((obj["LastModified"], obj["Key"])
                                      > (newest["LastModified"], newest["Key"])):
                    newest = obj
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                return newest
        raise ProbeError(f"more than {self.max_pages} pages of objects under "
                         f"s3://{bucket}/{prefix}; use a narrower prefix")
