"""Presigned artifact uploads: ask the control plane for an upload URL, then PUT the ZIP there.

Used by `DagyClient.upload_artifact` when the ZIP is too large for a request body the
API can take (on AWS Lambda bodies stop at about 6 MB). Standard library only; every
failure becomes a DagyApiError or DagyConnectionError, and the API key is never sent to
the upload URL.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Callable
from urllib.parse import urlsplit

from dagy.client_errors import DagyApiError, DagyConnectionError, one_line_reason

_XML_FIELD = re.compile(r"<(Code|Message)>([^<]{0,300})</\1>")


def presigned_upload(request: Callable[..., Any], payload: bytes, flow_name: str,
                     timeout: float) -> str | None:
    """Upload `payload` through a presigned URL and return its artifact URI, or None when
    the control plane answers 422 (its store takes ZIPs only as request bodies).

    `request` is the API client's authenticated call (`DagyClient._request`): taking it,
    not the client, keeps this module from importing dagy.client back."""
    try:
        answer = request("POST", "/artifacts", body={
            "flow_name": flow_name, "sha256": hashlib.sha256(payload).hexdigest()})
    except DagyApiError as exc:
        if exc.status == 422:
            return None
        raise
    url, uri, headers = _check_answer(answer)
    put_bytes(url, payload, headers, timeout)
    return uri


def _check_answer(answer: Any) -> tuple[str, str, dict[str, str]]:
    def invalid(what: str) -> DagyApiError:
        return DagyApiError(201, "invalid_response", f"presigned artifact upload: {what}")

    if not isinstance(answer, dict):
        raise invalid("the answer is not a JSON object")
    url, uri = answer.get("upload_url"), answer.get("artifact_uri")
    method, headers = answer.get("method", "PUT"), answer.get("headers") or {}
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        raise invalid("upload_url is not an http(s) URL")
    if not isinstance(uri, str) or not uri:
        raise invalid("no artifact_uri")
    if method != "PUT":
        raise invalid(f"unsupported method {method!r} (only PUT)")
    if not isinstance(headers, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                for k, v in headers.items()):
        raise invalid("headers must map names to strings")
    return url, uri, headers


def put_bytes(url: str, payload: bytes, headers: dict[str, str], timeout: float) -> None:
    """HTTP PUT `payload` to a presigned URL with exactly the headers it was signed for."""
    import http.client
    import urllib.error
    import urllib.request

    parts = urlsplit(url)
    where = f"{parts.scheme}://{parts.netloc}{parts.path}"  # never the signature
    hdrs = dict(headers)
    if not any(name.lower() == "content-type" for name in hdrs):
        hdrs["Content-Type"] = "application/zip"  # else urllib sends a form content type
    request = urllib.request.Request(url, data=payload, headers=hdrs, method="PUT")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        try:
            raw = exc.read() or b""
        except (OSError, http.client.HTTPException):
            raw = b""
        fields = dict(_XML_FIELD.findall(raw.decode("utf-8", "replace")))
        detail = ": ".join(v.strip() for v in (fields.get("Code"), fields.get("Message")) if v)
        raise DagyApiError(exc.code, "upload_failed",
                           f"uploading the artifact to {where} failed: "
                           f"{detail or f'HTTP {exc.code}'}",
                           {"storage_code": fields.get("Code"), "url": where}) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        raise DagyConnectionError(
            f"cannot upload the artifact to {where} ({one_line_reason(exc)})") from None
