"""HttpPollProbe: a PollProbe over plain HTTP(S) GETs (urllib, no extra dependency).

The cursor is the response's ETag (`etag:<value>`), else its Last-Modified date
(`last-modified:<value>`), else the SHA-256 of the body (`sha256:<hex>`). The previous
ETag / date is sent back as If-None-Match / If-Modified-Since, and a 304 keeps the cursor.
Only http and https URLs are fetched, redirects included; a whole probe (connect, headers,
body) takes at most `timeout` seconds and reads at most `max_bytes`.
"""

from __future__ import annotations

import hashlib
import json
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from dagy.application.ports.probes import PollResult, ProbeError
from dagy.domain.schedules.model import Sensor

SCHEMES = ("http", "https")
CHUNK = 64 * 1024


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001
        if urlsplit(newurl).scheme.lower() not in SCHEMES:
            raise urllib.error.HTTPError(newurl, code, "redirect to a non-HTTP URL refused",
                                         headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class HttpPollProbe:
    def __init__(self, timeout: float = 10.0, max_bytes: int = 1024 * 1024,
                 user_agent: str = "dagy-sensor/1") -> None:
        self.timeout, self.max_bytes, self.user_agent = timeout, max_bytes, user_agent
        self._opener = urllib.request.build_opener(_HttpOnlyRedirects())

    def __call__(self, sensor: Sensor) -> PollResult:
        url = sensor.config.get("url")
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme.lower() not in SCHEMES or not parts.netloc:
            raise ProbeError(f"sensor {sensor.sensor_id}: only http(s) URLs are polled")
        headers = {"User-Agent": self.user_agent, "Accept": "application/json, */*;q=0.5"}
        previous = sensor.cursor or ""
        if previous.startswith("etag:"):
            headers["If-None-Match"] = previous[len("etag:"):]
        elif previous.startswith("last-modified:"):
            headers["If-Modified-Since"] = previous[len("last-modified:"):]
        deadline = time.monotonic() + self.timeout
        try:
            request = urllib.request.Request(url, headers=headers, method="GET")
            with self._opener.open(request, timeout=self.timeout) as response:
                body = self._read(response, deadline, url)
                etag, modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return sensor.cursor, None
            raise ProbeError(f"GET {url} answered HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise ProbeError(f"GET {url} failed: {exc}") from None
        if etag:
            cursor = f"etag:{etag}"
        elif modified:
            cursor = f"last-modified:{modified}"
        else:
            cursor = "sha256:" + hashlib.sha256(body).hexdigest()
        return cursor, _json_object(body)

    def _read(self, response: Any, deadline: float, url: str) -> bytes:
        chunks, size = [], 0
        while True:  # bounded by max_bytes and the deadline
            if time.monotonic() > deadline:
                raise ProbeError(f"GET {url} took longer than {self.timeout} s")
            chunk = response.read(CHUNK)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > self.max_bytes:
                raise ProbeError(f"GET {url} answered more than {self.max_bytes} bytes")
            chunks.append(chunk)


def _json_object(body: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None
