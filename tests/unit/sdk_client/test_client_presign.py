"""DagyClient.upload_artifact through presigned URLs: when, how, fallback, errors."""

from __future__ import annotations

import hashlib
import json
import socket

import pytest

import dagy.client
from dagy.client import DagyApiError, DagyClient, DagyConnectionError

ZIP = b"PK\x03\x04" + b"z" * 100
SHA = hashlib.sha256(ZIP).hexdigest()
S3_DENIED = (b"<?xml version='1.0' encoding='UTF-8'?><Error><Code>SignatureDoesNotMatch</Code>"
             b"<Message>The request signature we calculated does not match</Message></Error>")


@pytest.fixture
def zip_path(tmp_path):
    path = tmp_path / "a.zip"
    path.write_bytes(ZIP)
    return path


def _json_posts(plane):
    return [r for r in plane.calls("POST", "/artifacts")
            if r.headers.get("Content-Type") == "application/json"]


def _zip_posts(plane):
    return [r for r in plane.calls("POST", "/artifacts")
            if r.headers.get("Content-Type") == "application/zip"]


def _puts(plane):
    return [r for r in plane.requests if r.method == "PUT"]


def test_presign_true_puts_the_bytes_to_the_upload_url_with_its_headers(client, control_plane,
                                                                        zip_path):
    control_plane.presign = True
    uri = client.upload_artifact(zip_path, "abc123", "daily_etl", presign=True)
    assert uri == f"mem://presigned/daily_etl/{SHA}.zip"
    assert [r.json for r in _json_posts(control_plane)] == [{"flow_name": "daily_etl",
                                                             "sha256": SHA}]
    (put,) = _puts(control_plane)
    assert put.path == f"/uploads/daily_etl/{SHA}.zip"
    assert put.query == {"X-Amz-Signature": "s3cr3t"}
    assert put.body == ZIP
    headers = {k.lower(): v for k, v in put.headers.items()}
    assert headers["content-type"] == "application/zip"
    assert headers["x-amz-checksum-sha256"] == "c2hh"
    assert "authorization" not in headers  # the API key never goes to the store
    assert _zip_posts(control_plane) == []
    assert control_plane.artifacts[uri] == ZIP


def test_presign_true_falls_back_to_the_body_when_the_server_answers_422(client, control_plane,
                                                                         zip_path):
    uri = client.upload_artifact(zip_path, "abc123", "daily_etl", presign=True)
    assert uri == "mem://artifacts/daily_etl/abc123.zip"
    assert len(_json_posts(control_plane)) == 1 and _puts(control_plane) == []
    (direct,) = _zip_posts(control_plane)
    assert direct.body == ZIP and direct.query == {"flow_name": "daily_etl"}


def test_size_decides_when_presign_is_none(client, control_plane, zip_path, monkeypatch):
    control_plane.presign = True
    assert client.upload_artifact(zip_path, "h", "f").startswith("mem://artifacts/")
    assert _json_posts(control_plane) == []
    monkeypatch.setattr(dagy.client, "PRESIGN_THRESHOLD_BYTES", len(ZIP) - 1)
    assert client.upload_artifact(zip_path, "h", "f").startswith("mem://presigned/")
    assert len(_json_posts(control_plane)) == 1


def test_threshold_is_five_mib():
    assert dagy.client.PRESIGN_THRESHOLD_BYTES == 5 * 1024 * 1024


def test_presign_false_always_sends_the_body(client, control_plane, zip_path, monkeypatch):
    control_plane.presign = True
    monkeypatch.setattr(dagy.client, "PRESIGN_THRESHOLD_BYTES", 0)
    assert client.upload_artifact(zip_path, "h", "f", presign=False).startswith("mem://artifacts/")
    assert _json_posts(control_plane) == [] and _puts(control_plane) == []


@pytest.mark.parametrize("status", [401, 409, 503])
def test_other_presign_errors_are_raised_not_fallen_back_from(client, control_plane, zip_path,
                                                              status):
    control_plane.override = (status, json.dumps(
        {"error": {"code": "nope", "message": "refused", "details": None}}).encode())
    with pytest.raises(DagyApiError) as info:
        client.upload_artifact(zip_path, "h", "f", presign=True)
    assert info.value.status == status
    assert len(control_plane.requests) == 1


def test_a_refused_put_is_a_dagy_api_error_without_the_signature(client, control_plane, zip_path):
    control_plane.presign = True
    control_plane.upload_override = (403, S3_DENIED)
    with pytest.raises(DagyApiError) as info:
        client.upload_artifact(zip_path, "h", "daily_etl", presign=True)
    err = info.value
    assert (err.status, err.code) == (403, "upload_failed")
    assert "SignatureDoesNotMatch" in err.message and "does not match" in err.message
    assert err.details["storage_code"] == "SignatureDoesNotMatch"
    assert "s3cr3t" not in str(err) and "s3cr3t" not in json.dumps(err.details)
    assert f"/uploads/daily_etl/{SHA}.zip" in err.message
    assert _zip_posts(control_plane) == []  # no silent fallback after a failed PUT


def test_a_non_xml_put_error_still_names_the_status(client, control_plane, zip_path):
    control_plane.presign = True
    control_plane.upload_override = (500, b"boom")
    with pytest.raises(DagyApiError, match="HTTP 500") as info:
        client.upload_artifact(zip_path, "h", "f", presign=True)
    assert info.value.code == "upload_failed" and info.value.details["storage_code"] is None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_upload_url_is_a_connection_error(client, control_plane, zip_path,
                                                         monkeypatch):
    control_plane.presign = True
    dead = f"http://127.0.0.1:{_free_port()}"
    original = control_plane._presign

    def elsewhere(body):
        status, answer = original(body)
        answer["upload_url"] = answer["upload_url"].replace(control_plane.url, dead)
        return status, answer

    monkeypatch.setattr(control_plane, "_presign", elsewhere)
    with pytest.raises(DagyConnectionError, match="cannot upload the artifact") as info:
        client.upload_artifact(zip_path, "h", "f", presign=True)
    assert "s3cr3t" not in str(info.value)


@pytest.mark.parametrize("answer, problem", [
    ({"artifact_uri": "u", "upload_url": "file:///etc/passwd", "method": "PUT"}, "http"),
    ({"artifact_uri": "u", "method": "PUT"}, "upload_url"),
    ({"upload_url": "http://127.0.0.1:1/x", "method": "PUT"}, "artifact_uri"),
    ({"artifact_uri": "u", "upload_url": "http://127.0.0.1:1/x", "method": "POST"}, "method"),
    ({"artifact_uri": "u", "upload_url": "http://127.0.0.1:1/x", "headers": {"a": 1}},
     "headers"),
    ([1, 2], "JSON object")])
def test_a_malformed_presign_answer_is_an_invalid_response(client, control_plane, zip_path,
                                                           answer, problem):
    control_plane.override = (201, json.dumps(answer).encode())
    with pytest.raises(DagyApiError, match=problem) as info:
        client.upload_artifact(zip_path, "h", "f", presign=True)
    assert info.value.code == "invalid_response"
    assert len(control_plane.requests) == 1  # nothing was PUT anywhere


def test_missing_file_fails_before_any_request(control_plane, tmp_path):
    client = DagyClient(api_url=control_plane.url, api_key="k", timeout=5)
    with pytest.raises(dagy.client.DagyError, match="cannot read artifact"):
        client.upload_artifact(tmp_path / "missing.zip", "h", "f", presign=True)
    assert control_plane.requests == []
