"""presign_artifact: validation, the key upload_artifact uses, None without upload URLs.

S3 runs under moto (fake credentials, no network).
"""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

import boto3
import pytest
from artifact_zips import spec_only_zip
from moto import mock_aws

from dagy.adapters.aws.s3_artifacts import S3ArtifactStore
from dagy.adapters.local.artifacts import LocalArtifactStore
from dagy.adapters.memory.artifacts import InMemoryArtifactStore
from dagy.application.deps import Deps
from dagy.application.principal import Principal
from dagy.application.use_cases.flows import (PRESIGN_EXPIRES_SECONDS, RegisterFlow, presign_artifact,
                                         register_flow, upload_artifact)
from dagy.domain.errors import NotFoundError, ValidationError
from dagy.domain.flowspec import FlowSpec
from dagy.entrypoints.wiring import build_deps

BUCKET = "dagy-presign-test"
PRINCIPAL = Principal(org_id="org_1")
SPEC = {"name": "etl", "tasks": [{"id": "extract"}]}


def _zip() -> bytes:
    """A valid artifact of SPEC (the server checks manifest and code hash at upload)."""
    flow_obj = SimpleNamespace(name="etl", version="1.0.0", spec=FlowSpec.from_dict(SPEC))
    return spec_only_zip(flow_obj)[0]


def _deps(artifacts) -> Deps:
    return build_deps(artifacts=artifacts)


class RecordingStore(InMemoryArtifactStore):
    """Remembers the keys it is asked for and presigns fake URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[str] = []
        self.calls: list[tuple] = []

    def put(self, key: str, data: bytes) -> str:
        self.keys.append(key)
        return super().put(key, data)

    def presign_upload(self, key, expires_seconds=900, *, sha256=None):
        self.calls.append((key, expires_seconds, sha256))
        return {"upload_url": f"https://uploads.example/{key}", "method": "PUT",
                "artifact_uri": f"memory://{key}", "headers": {}}


class LegacyStore:
    """A store written before presigning existed: no presign_upload at all."""

    put = get = exists = None


@pytest.fixture
def s3_store(monkeypatch, tmp_path):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1",
                        "AWS_CONFIG_FILE": str(tmp_path / "none"),
                        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none")}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield S3ArtifactStore(BUCKET, client=client)


def test_presign_uses_the_key_upload_artifact_would_use():
    store = RecordingStore()
    deps, data = _deps(store), _zip()
    sha = hashlib.sha256(data).hexdigest()
    upload = presign_artifact(deps, PRINCIPAL, "etl", sha)
    uploaded_uri = upload_artifact(deps, PRINCIPAL, data, "etl")
    assert store.calls == [(store.keys[0], PRESIGN_EXPIRES_SECONDS, sha)]
    assert store.keys == [f"org_1/etl/{sha}.zip"]
    assert upload["artifact_uri"] == uploaded_uri


@pytest.mark.parametrize("make_store", [lambda tmp: InMemoryArtifactStore(),
                                        lambda tmp: LocalArtifactStore(tmp / "artifacts"),
                                        lambda tmp: LegacyStore()],
                         ids=["memory", "local", "legacy"])
def test_stores_without_upload_urls_give_none(make_store, tmp_path):
    store = make_store(tmp_path)
    assert presign_artifact(_deps(store), PRINCIPAL, "etl", "0" * 64) is None


@pytest.mark.parametrize("flow_name, sha256", [
    ("a/b", "0" * 64), ("", "0" * 64), (" etl", "0" * 64), ("x" * 201, "0" * 64),
    ("etl", "A" * 64), ("etl", "0" * 63), ("etl", "0" * 65), ("etl", "g" * 64),
    ("etl", "0" * 63 + "\n"), ("etl", None), ("etl", 5)])
def test_bad_names_and_digests_are_validation_errors(flow_name, sha256):
    store = RecordingStore()
    with pytest.raises(ValidationError):
        presign_artifact(_deps(store), PRINCIPAL, flow_name, sha256)
    assert store.calls == []


def test_s3_presigned_uri_is_what_put_returns_and_register_flow_accepts_it(s3_store):
    deps, data = _deps(s3_store), _zip()
    sha = hashlib.sha256(data).hexdigest()
    upload = presign_artifact(deps, PRINCIPAL, "etl", sha)
    key = f"artifacts/org_1/etl/{sha}.zip"
    assert upload["artifact_uri"] == f"s3://{BUCKET}/{key}"
    assert upload["method"] == "PUT" and upload["upload_url"].startswith("https://")
    assert BUCKET in upload["upload_url"] and key in upload["upload_url"]
    assert upload["headers"]["Content-Type"] == "application/zip"
    assert "x-amz-checksum-sha256" in upload["headers"]
    command = RegisterFlow("etl", "1.0.0", SPEC, upload["artifact_uri"])  # hash: derived
    with pytest.raises(NotFoundError):  # nothing was PUT yet
        register_flow(deps, PRINCIPAL, command)
    s3_store.client.put_object(Bucket=BUCKET, Key=key, Body=data)  # what the PUT does
    record, created = register_flow(deps, PRINCIPAL, command)
    assert created and record.artifact_uri == upload["artifact_uri"]
    assert upload_artifact(deps, PRINCIPAL, data, "etl") == upload["artifact_uri"]


def test_another_organizations_presigned_uri_is_refused(s3_store):
    deps, data = _deps(s3_store), _zip()
    upload = presign_artifact(deps, Principal(org_id="org_2"), "etl",
                              hashlib.sha256(data).hexdigest())
    with pytest.raises(ValidationError, match="uploaded by this organization"):
        register_flow(deps, PRINCIPAL, RegisterFlow("etl", "1", SPEC, upload["artifact_uri"],
                                                    "h1"))
