"""Contract of the ArtifactStore port, run against every implementation.

S3 runs against moto (no network, fake credentials); nothing here can reach AWS.
"""

from __future__ import annotations

import base64
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from dagy.adapters.aws.s3_artifacts import ArtifactStoreError as S3ArtifactStoreError
from dagy.adapters.aws.s3_artifacts import S3ArtifactStore
from dagy.adapters.local.artifacts import ArtifactStoreError, LocalArtifactStore
from dagy.adapters.memory.artifacts import InMemoryArtifactStore
from dagy.domain.errors import DagyError, NotFoundError

BUCKET = "dagy-artifacts-test"
REGION = "us-east-1"
STORE_ERRORS = (ArtifactStoreError, S3ArtifactStoreError)


@pytest.fixture
def fake_aws(monkeypatch, tmp_path):
    """Credentials and region that can only ever work against moto."""
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": REGION,
                        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
                        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials")}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def s3(fake_aws):
    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        client.create_bucket(Bucket=BUCKET)
        yield client


@pytest.fixture(params=["memory", "local", "s3"])
def kind(request):
    return request.param


@pytest.fixture
def store(kind, request, tmp_path):
    if kind == "memory":
        return InMemoryArtifactStore()
    if kind == "local":
        return LocalArtifactStore(tmp_path / "artifacts")
    request.getfixturevalue("s3")
    return S3ArtifactStore(BUCKET)  # lazily creates its own client, inside moto


def new_key(suffix: str = ".zip") -> str:
    return f"org_{uuid.uuid4().hex[:8]}/etl_flow/{uuid.uuid4().hex}{suffix}"


def foreign_uris(kind: str, tmp_path) -> list[str]:
    return {
        "memory": ["file:///etc/passwd", "s3://other/artifacts/a/b.zip", "mem://a/b.zip",
                   "memory://../x.zip", "memory:///abs.zip"],
        "local": [f"file://{tmp_path}/elsewhere/a.zip", "file:///etc/passwd",
                  f"file://{tmp_path}/artifacts/../outside.zip",
                  f"file://{tmp_path}/artifacts/a/../../outside.zip",
                  f"file://{tmp_path}/artifacts//a.zip", f"file://{tmp_path}/artifactsX/a.zip",
                  "memory://a/b.zip", "relative/a.zip"],
        "s3": ["s3://other-bucket/artifacts/a/b.zip", f"s3://{BUCKET}/elsewhere/a/b.zip",
               f"s3://{BUCKET}/artifacts/../secret.zip", f"s3://{BUCKET}",
               "file:///etc/passwd", "memory://a/b.zip"],
    }[kind]


BAD_KEYS = ["", "/abs/key.zip", "../up.zip", "org/../../x.zip", "org//flow/h.zip",
            "org/flow/", "org/./h.zip", "org/.hidden", "org/fl ow/h.zip", "org\\flow\\h.zip",
            "org/flow/h.zip\x00", "a" * 1025]


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4096))
def test_put_then_get_round_trips_any_bytes(store, data):
    uri = store.put(new_key(), data)
    assert store.get(uri) == data
    assert store.exists(uri)


def test_put_returns_the_uri_scheme_of_the_store(store, kind, tmp_path):
    key = new_key()
    uri = store.put(key, b"PK")
    expected = {"memory": f"memory://{key}",
                "local": f"file://{(tmp_path / 'artifacts').resolve()}/{key}",
                "s3": f"s3://{BUCKET}/artifacts/{key}"}[kind]
    assert uri == expected


def test_exists_is_false_for_a_missing_artifact_and_get_raises_not_found(store):
    missing = store.put(new_key(), b"x").rsplit("/", 1)[0] + "/missing.zip"
    assert not store.exists(missing)
    with pytest.raises(NotFoundError):
        store.get(missing)


def test_putting_the_same_key_again_replaces_the_content(store):
    key = new_key()
    first = store.put(key, b"version one")
    second = store.put(key, b"v2")
    assert first == second
    assert store.get(second) == b"v2"


def test_put_file_stores_the_rest_of_the_file_and_get_file_writes_it_back(store, tmp_path):
    data = bytes(range(256)) * 40_000 + b"tail"  # ~10 MB: multipart on S3
    source = tmp_path / "upload.bin"
    source.write_bytes(b"skipped" + data)
    key = new_key()
    with open(source, "rb") as fh:
        fh.seek(len(b"skipped"))
        uri = store.put_file(key, fh)
    assert store.exists(uri)
    assert store.get(uri) == data
    with open(tmp_path / "download.bin", "wb") as out:
        out.write(b"head")
        store.get_file(uri, out)
    assert (tmp_path / "download.bin").read_bytes() == b"head" + data
    assert uri == store.put(key, data)  # the URI put gives for the same key


def test_put_file_returns_what_put_returns_and_replaces_the_content(store, tmp_path):
    key = new_key()
    first = store.put(key, b"version one")
    source = tmp_path / "v2.bin"
    source.write_bytes(b"v2")
    with open(source, "rb") as fh:
        assert store.put_file(key, fh) == first
    assert store.get(first) == b"v2"


def test_get_file_of_a_missing_artifact_raises_not_found_and_bad_keys_are_refused(store,
                                                                                   tmp_path):
    missing = store.put(new_key(), b"x").rsplit("/", 1)[0] + "/missing.zip"
    with open(tmp_path / "out.bin", "wb") as out:
        with pytest.raises(NotFoundError):
            store.get_file(missing, out)
    with open(tmp_path / "out.bin", "rb") as fh:
        for bad_key in ("../up.zip", "org//flow/h.zip", ""):
            with pytest.raises(STORE_ERRORS):
                store.put_file(bad_key, fh)


@pytest.mark.parametrize("bad_key", BAD_KEYS)
def test_bad_keys_are_rejected(store, bad_key):
    with pytest.raises(STORE_ERRORS):
        store.put(bad_key, b"x")


def test_foreign_uris_are_rejected(store, kind, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "a.zip").write_bytes(b"secret")
    (tmp_path / "outside.zip").write_bytes(b"secret")
    for uri in foreign_uris(kind, tmp_path):
        with pytest.raises(STORE_ERRORS):
            store.get(uri)
        with pytest.raises(STORE_ERRORS):
            store.exists(uri)


def test_store_errors_are_dagy_errors():
    assert issubclass(ArtifactStoreError, DagyError)
    assert issubclass(S3ArtifactStoreError, DagyError)
    assert not issubclass(S3ArtifactStoreError, (ClientError, BotoCoreError))


# -- local only ------------------------------------------------------------------------


def test_local_put_leaves_no_temporary_files(tmp_path):
    store = LocalArtifactStore(tmp_path / "artifacts")
    for size in (0, 10, 100_000):
        store.put("org/flow/h.zip", b"x" * size)
    assert sorted(p.name for p in (tmp_path / "artifacts").rglob("*")) == ["flow", "h.zip", "org"]


def test_local_symlink_out_of_the_root_is_rejected(tmp_path):
    store = LocalArtifactStore(tmp_path / "artifacts")
    (tmp_path / "secret.zip").write_bytes(b"secret")
    (tmp_path / "artifacts" / "org").mkdir(parents=True)
    (tmp_path / "artifacts" / "org" / "link.zip").symlink_to(tmp_path / "secret.zip")
    with pytest.raises(ArtifactStoreError):
        store.get(f"file://{(tmp_path / 'artifacts').resolve()}/org/link.zip")


def test_local_directory_uri_is_not_found(tmp_path):
    store = LocalArtifactStore(tmp_path / "artifacts")
    uri = store.put("org/flow/h.zip", b"x")
    directory = uri.rsplit("/", 1)[0]
    assert not store.exists(directory)
    with pytest.raises(NotFoundError):
        store.get(directory)


# -- S3 only ---------------------------------------------------------------------------


def test_s3_object_lands_under_the_prefix(s3):
    uri = S3ArtifactStore(BUCKET, prefix="code", client=s3).put("org/flow/h.zip", b"PK")
    assert uri == f"s3://{BUCKET}/code/org/flow/h.zip"
    assert s3.get_object(Bucket=BUCKET, Key="code/org/flow/h.zip")["Body"].read() == b"PK"


def test_s3_missing_bucket_is_a_store_error_not_a_botocore_error(s3):
    store = S3ArtifactStore("no-such-bucket-here", client=s3)
    with pytest.raises(S3ArtifactStoreError, match="no-such-bucket-here"):
        store.put("org/flow/h.zip", b"x")
    with pytest.raises(S3ArtifactStoreError):
        store.get("s3://no-such-bucket-here/artifacts/org/flow/h.zip")


def test_s3_access_denied_is_a_store_error(fake_aws):
    def deny(model, **_):
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "denied"}}, model.name)

    client = boto3.client("s3", region_name=REGION)  # fails before any request is sent
    client.meta.events.register("before-call.s3.*", deny)
    store = S3ArtifactStore(BUCKET, client=client)
    uri = f"s3://{BUCKET}/artifacts/org/flow/h.zip"
    for call in (lambda: store.exists(uri), lambda: store.get(uri),
                 lambda: store.put("org/flow/h.zip", b"x")):
        with pytest.raises(S3ArtifactStoreError, match="AccessDenied"):
            call()


def test_s3_unreachable_endpoint_is_a_store_error(fake_aws):
    client = boto3.client("s3", region_name=REGION, endpoint_url="http://127.0.0.1:9",
                          config=Config(connect_timeout=1, retries={"max_attempts": 1}))
    store = S3ArtifactStore(BUCKET, client=client)
    with pytest.raises(S3ArtifactStoreError):
        store.put("org/flow/h.zip", b"x")
    with pytest.raises(S3ArtifactStoreError):
        store.exists(f"s3://{BUCKET}/artifacts/org/flow/h.zip")


# -- presigned uploads (optional capability) --------------------------------------------

SHA = "ab" * 32


@pytest.mark.parametrize("kind", ["memory", "local"])
def test_stores_without_upload_urls_answer_none_but_still_check_the_key(store):
    assert store.presign_upload(new_key()) is None
    assert store.presign_upload(new_key(), 60, sha256=SHA) is None
    with pytest.raises(STORE_ERRORS):
        store.presign_upload("../x.zip")


def test_s3_presign_upload_names_bucket_and_key_and_the_uri_put_returns(s3):
    store = S3ArtifactStore(BUCKET, client=s3)
    key = new_key()
    upload = store.presign_upload(key, expires_seconds=60)
    assert set(upload) == {"upload_url", "artifact_uri", "method", "headers"}
    assert upload["method"] == "PUT"
    assert upload["headers"] == {"Content-Type": "application/zip"}
    parts = urlsplit(upload["upload_url"])
    assert parts.scheme == "https"
    assert BUCKET in parts.netloc + parts.path and parts.path.endswith(f"artifacts/{key}")
    query = parse_qs(parts.query)
    if "X-Amz-Expires" in query:  # SigV4: relative seconds
        assert query["X-Amz-Expires"] == ["60"]
    else:  # SigV2: absolute epoch seconds
        assert abs(int(query["Expires"][0]) - (time.time() + 60)) < 30
    assert not store.exists(upload["artifact_uri"])  # presigning writes nothing
    assert store.put(key, b"PK") == upload["artifact_uri"]


def test_s3_presign_signs_sigv4_and_the_checksum_of_the_expected_bytes(fake_aws):
    with mock_aws():
        store = S3ArtifactStore(BUCKET)  # the store's own client: SigV4
        upload = store.presign_upload("org/flow/h.zip", sha256=SHA)
    checksum = base64.b64encode(bytes.fromhex(SHA)).decode()
    assert upload["headers"] == {"Content-Type": "application/zip",
                                 "x-amz-checksum-sha256": checksum}
    query = parse_qs(urlsplit(upload["upload_url"]).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Expires"] == ["900"]
    signed = query["X-Amz-SignedHeaders"][0].split(";")
    assert {"content-type", "x-amz-checksum-sha256", "host"} <= set(signed)


@pytest.mark.parametrize("bad", [
    {"key": "../x.zip"}, {"expires_seconds": 0}, {"expires_seconds": 7 * 24 * 3600 + 1},
    {"expires_seconds": True}, {"expires_seconds": 1.5}, {"sha256": "AB" * 32},
    {"sha256": "ab"}, {"sha256": 5}])
def test_s3_presign_refuses_bad_arguments(s3, bad):
    store = S3ArtifactStore(BUCKET, client=s3)
    arguments = {"key": "org/flow/h.zip", **bad}
    with pytest.raises(S3ArtifactStoreError):
        store.presign_upload(arguments.pop("key"), **arguments)
