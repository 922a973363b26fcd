"""Secrets in a run, without a server: names and values checked, run_local's sources
(the dict, then DAGY_SECRET_<NAME>), masking of everything a run read, and the errors
outside a run and for an unknown name."""

from __future__ import annotations

import pytest

from dagy import SecretNotFound, flow, get_secret, run_local, task
from dagy.application.log_capture import TaskLogs
from dagy.application.run_secrets import RunSecrets, local_secrets
from dagy.domain.errors import ValidationError
from dagy.domain.secrets import check_secret_name, check_secret_value, mask_text
from dagy.secrets import SecretsUnavailable


@pytest.mark.parametrize("name", ["A", "_x", "DB_PASSWORD_2", "a" * 128])
def test_good_names(name):
    assert check_secret_name(name) == name


@pytest.mark.parametrize("name", ["", "1A", "A-B", "A.B", "A B", "a" * 129, "É", None, 3])
def test_bad_names(name):
    with pytest.raises(ValidationError):
        check_secret_name(name)


@pytest.mark.parametrize("value", ["", "a\x00b", "x" * (64 * 1024 + 1), "\ud800", 5, None])
def test_bad_values(value):
    with pytest.raises(ValidationError) as caught:
        check_secret_value(value)
    assert "x" * 100 not in str(caught.value)  # the message never echoes the value


def test_mask_replaces_the_longest_value_first():
    assert mask_text("ab abc", ["ab", "abc"]) == "*** ***"
    assert mask_text("nothing here", []) == "nothing here"


def test_run_secrets_remember_what_was_read_and_mask_only_that():
    secrets = RunSecrets({"A": "alpha-1", "B": "beta-22"}.get, "test")
    assert secrets.mask("alpha-1 beta-22") == "alpha-1 beta-22"  # nothing read yet
    assert secrets.get("A") == "alpha-1"
    assert secrets.mask("alpha-1 beta-22") == "*** beta-22"
    with pytest.raises(SecretNotFound, match="'C' not found"):
        secrets.get("C")
    with pytest.raises(KeyError):  # SecretNotFound is a KeyError too
        secrets.get("C")


def test_task_logs_mask_each_line():
    lines = []
    secrets = RunSecrets({"A": "s3cret"}.get, "test")
    secrets.get("A")
    logs = TaskLogs(lines.append, "t", "tr-1", log_prints=False, mask=secrets.mask)
    logs.line("value=s3cret")
    assert lines[0].message == "t: value=***"


@task
def read(name: str) -> int:
    value = get_secret(name)
    print("read", value)
    return len(value)


@task
def to_stderr(name: str) -> int:
    import sys
    value = get_secret(name)
    print("err", value, file=sys.stderr)
    return len(value)


@flow(name="secret-stderr")
def stderr_flow(name: str = "TOKEN"):
    return to_stderr(name)


def test_what_a_task_prints_to_stderr_is_masked(capsys):
    assert run_local(stderr_flow, secrets={"TOKEN": "on-stderr-9"}) == len("on-stderr-9")
    err = capsys.readouterr().err
    assert "err ***" in err and "on-stderr-9" not in err


@task
def fail_with(name: str) -> None:
    raise ValueError("leaked " + get_secret(name))


@flow(name="secret-reader")
def reader(name: str = "TOKEN"):
    return read(name)


@flow(name="secret-failer")
def failer(name: str = "TOKEN"):
    return fail_with(name)


def test_run_local_reads_the_dict_then_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("DAGY_SECRET_TOKEN", "from-env-1")
    assert reader.run_local() == len("from-env-1")
    assert run_local(reader, secrets={"TOKEN": "from-dict-22"}) == len("from-dict-22")
    out = capsys.readouterr().out
    assert "read ***" in out and "from-env-1" not in out and "from-dict-22" not in out


def test_an_unknown_secret_fails_the_task_naming_it(monkeypatch):
    monkeypatch.delenv("DAGY_SECRET_NOPE", raising=False)
    report = run_local(reader, secrets={}, return_state=True, name="NOPE")
    assert report.status.value == "FAILED"
    message = report.task_runs[0].error_message
    assert "NOPE" in message and "DAGY_SECRET_" in message


def test_a_failed_tasks_error_and_traceback_are_masked():
    report = run_local(failer, secrets={"TOKEN": "p4ssw0rd-x"}, return_state=True)
    [tr] = report.task_runs
    assert tr.error_message == "ValueError: leaked ***"
    assert "p4ssw0rd-x" not in tr.error_traceback and "leaked ***" in tr.error_traceback


def test_outside_a_run_is_a_clear_error():
    with pytest.raises(SecretsUnavailable, match="outside a run"):
        get_secret("TOKEN")


def test_bad_local_secrets_are_refused_before_the_run():
    with pytest.raises(ValidationError):
        local_secrets({"not-a-name": "x"})
    with pytest.raises(TypeError):
        local_secrets({"A": 5})
