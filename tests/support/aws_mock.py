"""moto's in-process AWS with fake credentials, for tests of the AWS adapters.

The fake credentials keep boto3 from ever finding (and using) a developer's real ones.
"""

from __future__ import annotations

from typing import Any

import pytest

FAKE_AWS_ENVIRONMENT = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SECURITY_TOKEN": "testing", "AWS_SESSION_TOKEN": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}


def start_mock_aws(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Sets the fake credentials (undone by `monkeypatch`) and starts moto's mock; the
    caller stops the returned mock."""
    from moto import mock_aws  # moto is slow to import: only the tests that use it pay

    for name, value in FAKE_AWS_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    mock = mock_aws()
    mock.start()
    return mock
