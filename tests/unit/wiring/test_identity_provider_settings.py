"""Which identity provider's JWTs the server accepts (entrypoints/identity_provider.py):
all three DAGY_JWT_* settings or none; DAGY_JWT_REQUIRED needs them; a key set URL that
is not https is refused at start. Building the verifier fetches nothing."""

from __future__ import annotations

import pytest

from dagy.adapters.auth.jwks_verifier import JwksTokenVerifier
from dagy.domain.errors import ConfigurationError
from dagy.entrypoints.identity_provider import identity_token_verifier
from dagy.entrypoints.settings import DagySettings
from dagy.entrypoints.wiring import build_deps

FULL = dict(jwt_issuer="https://idp.example.test/", jwt_audience="dagy-api",
            jwks_url="https://idp.example.test/.well-known/jwks.json")


def test_no_settings_no_verifier():
    assert identity_token_verifier(DagySettings()) is None
    deps = build_deps(DagySettings())
    assert deps.identity_tokens is None and deps.jwt_required is False


@pytest.mark.parametrize("required", [False, True])
def test_all_three_make_a_verifier_that_has_fetched_nothing(required):
    deps = build_deps(DagySettings(**FULL, jwt_required=required))
    assert isinstance(deps.identity_tokens, JwksTokenVerifier)
    assert deps.jwt_required is required
    assert (deps.identity_tokens.issuer, deps.identity_tokens.audience) == (
        "https://idp.example.test/", "dagy-api")


@pytest.mark.parametrize("left_out", ["jwt_issuer", "jwt_audience", "jwks_url"])
@pytest.mark.parametrize("required", [False, True])
def test_some_but_not_all_is_refused_naming_what_is_missing(left_out, required):
    values = {k: v for k, v in FULL.items() if k != left_out}
    with pytest.raises(ConfigurationError) as caught:
        identity_token_verifier(DagySettings(**values, jwt_required=required))
    missing = "DAGY_" + left_out.upper()
    assert str(caught.value).endswith(f"missing: {missing}")
    assert ("DAGY_JWT_REQUIRED=true" in str(caught.value)) is required


def test_required_alone_is_refused_and_blank_values_count_as_missing():
    with pytest.raises(ConfigurationError, match="missing: DAGY_JWT_ISSUER, DAGY_JWT_AUDIENCE, "
                                                 "DAGY_JWKS_URL"):
        build_deps(DagySettings(jwt_required=True))
    with pytest.raises(ConfigurationError, match="missing: DAGY_JWT_AUDIENCE"):
        identity_token_verifier(DagySettings(**{**FULL, "jwt_audience": "  "}))


def test_a_plain_http_key_set_off_this_machine_is_refused():
    with pytest.raises(ConfigurationError, match="must be an https:// URL"):
        identity_token_verifier(DagySettings(**{**FULL, "jwks_url": "http://idp.example.test/j"}))
