"""SqsEventQueue: the EventQueue port on Amazon SQS (standard queues).

Dead letters: `create_queue_with_dlq` configures a redrive policy so SQS itself moves a
message to the DLQ once it has been received `max_receives` times. The adapter enforces
the same rule client-side too (a message whose ApproximateReceiveCount exceeds
`max_receives` is copied to the DLQ, deleted, and not returned), so the contract holds
when the queue's own maxReceiveCount is higher or the redrive is not applied. The DLQ is
`dlq_url=` or, if not given, the target of the queue's RedrivePolicy; a queue with no
DLQ at all cannot dead-letter, and its messages are returned however often received.

SQS takes whole seconds: visibility timeouts are rounded up, waits are rounded up and
capped at 20 s. Receipts of deleted or re-received messages are ignored by `ack` and
`release`. botocore errors never escape: they become `QueueUnavailableError`.
"""

from __future__ import annotations

import json
import math
import threading
import time
from typing import Any, Sequence

from botocore.exceptions import BotoCoreError, ClientError

from dagy.application.ports.queue import QueueMessage
from dagy.domain.errors import UnavailableError

_BATCH = 10  # SQS limit for send_message_batch and MaxNumberOfMessages
_MAX_WAIT = 20  # SQS limit for WaitTimeSeconds
_MAX_VISIBILITY = 43200  # SQS limit for VisibilityTimeout (12 hours)
_STALE_RECEIPT = {"ReceiptHandleIsInvalid", "MessageNotInflight", "InvalidParameterValue"}
_PEEK_SECONDS = 30  # how long dead_letters() hides DLQ messages while listing them
_PEEK_DEADLINE = 10.0  # seconds: bound on listing the DLQ


class QueueUnavailableError(UnavailableError):
    """SQS could not be reached or refused an operation."""


def _error_code(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", "")).rsplit(".", 1)[-1]
    return ""


def _call(action: str, fn: Any, **kwargs: Any) -> Any:
    try:
        return fn(**kwargs)
    except (ClientError, BotoCoreError) as exc:
        raise QueueUnavailableError(f"SQS {action} failed: {type(exc).__name__}: {exc}") from exc


def create_queue_with_dlq(client: Any, name: str, max_receives: int = 5) -> tuple[str, str]:
    """Create queue `name` and `<name>-dlq` with a redrive policy; return both URLs."""
    dlq_url = _call("create_queue", client.create_queue, QueueName=f"{name}-dlq")["QueueUrl"]
    attrs = _call("get_queue_attributes", client.get_queue_attributes,
                  QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]
    policy = {"deadLetterTargetArn": attrs["QueueArn"], "maxReceiveCount": str(max_receives)}
    queue_url = _call("create_queue", client.create_queue, QueueName=name,
                      Attributes={"RedrivePolicy": json.dumps(policy)})["QueueUrl"]
    return queue_url, dlq_url


class SqsEventQueue:
    def __init__(self, queue_url: str, client: Any = None, max_receives: int = 5,
                 dlq_url: str | None = None) -> None:
        if max_receives < 1:
            raise ValueError(f"max_receives must be >= 1, got {max_receives}")
        self.queue_url = queue_url
        self.max_receives = max_receives
        self._client = client
        self._dlq_url = dlq_url
        self._dlq_resolved = dlq_url is not None
        self._lock = threading.Lock()
        self._woken = threading.Condition(threading.Lock())
        self._generation = 0  # bumped by this process's sends and releases (wait_for_work)
        self._seen = threading.local()

    @property
    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                import boto3
                self._client = boto3.client("sqs")
            return self._client

    def send(self, bodies: Sequence[str]) -> None:
        if isinstance(bodies, str):
            raise TypeError("send() takes a sequence of bodies, not a single string")
        bodies = [str(body) for body in bodies]
        for start in range(0, len(bodies), _BATCH):
            entries = [{"Id": str(i), "MessageBody": body}
                       for i, body in enumerate(bodies[start:start + _BATCH])]
            response = _call("send_message_batch", self.client.send_message_batch,
                             QueueUrl=self.queue_url, Entries=entries)
            failed = response.get("Failed") or []
            if failed:
                codes = sorted({str(f.get("Code")) for f in failed})
                raise QueueUnavailableError(
                    f"SQS send_message_batch: {len(failed)} of {len(entries)} messages "
                    f"were not sent ({', '.join(codes)}); "
                    f"{start} earlier messages were sent")
        if bodies:
            self._wake()

    def receive(self, max_messages: int = 10, visibility_timeout: float = 30,
                wait_seconds: float = 0) -> list[QueueMessage]:
        if max_messages < 1:
            raise ValueError(f"max_messages must be >= 1, got {max_messages}")
        if visibility_timeout < 0 or wait_seconds < 0:
            raise ValueError("visibility_timeout and wait_seconds must be >= 0")
        with self._woken:
            self._seen.generation = self._generation
        response = _call(
            "receive_message", self.client.receive_message, QueueUrl=self.queue_url,
            MaxNumberOfMessages=min(max_messages, _BATCH),
            VisibilityTimeout=min(_MAX_VISIBILITY, int(math.ceil(visibility_timeout))),
            WaitTimeSeconds=min(_MAX_WAIT, int(math.ceil(wait_seconds))),
            MessageSystemAttributeNames=["ApproximateReceiveCount"])
        got = []
        for raw in response.get("Messages") or []:
            count = int((raw.get("Attributes") or {}).get("ApproximateReceiveCount", 1))
            if count > self.max_receives and self._dead_letter(raw):
                continue
            got.append(QueueMessage(raw["MessageId"], raw["Body"], raw["ReceiptHandle"], count))
        return got

    def wait_for_work(self, timeout: float) -> bool:
        """Sees only this process's sends and releases (SQS pushes nothing): True once
        one happened since this thread's last `receive`, else False after `timeout`."""
        seen = getattr(self._seen, "generation", -1)
        with self._woken:
            return self._woken.wait_for(lambda: self._generation > seen, max(0.0, timeout))

    def _wake(self) -> None:
        with self._woken:
            self._generation += 1
            self._woken.notify_all()

    def ack(self, receipt: str) -> None:
        self._ignoring_stale("delete_message", self.client.delete_message,
                             QueueUrl=self.queue_url, ReceiptHandle=receipt)

    def release(self, receipt: str) -> None:
        self._ignoring_stale("change_message_visibility",
                             self.client.change_message_visibility,
                             QueueUrl=self.queue_url, ReceiptHandle=receipt,
                             VisibilityTimeout=0)
        self._wake()

    def dead_letters(self) -> list[str]:
        """Bodies in the DLQ. Lists without deleting: each message is hidden while the
        DLQ is scanned (so every one is seen once) and made visible again after."""
        dlq = self._dlq()
        if dlq is None:
            return []
        bodies: dict[str, str] = {}
        receipts: list[str] = []
        deadline = time.monotonic() + _PEEK_DEADLINE
        try:
            while time.monotonic() < deadline:
                response = _call("receive_message", self.client.receive_message,
                                 QueueUrl=dlq, MaxNumberOfMessages=_BATCH,
                                 VisibilityTimeout=_PEEK_SECONDS, WaitTimeSeconds=0)
                messages = response.get("Messages") or []
                if not messages:
                    break
                for raw in messages:
                    bodies.setdefault(raw["MessageId"], raw["Body"])
                    receipts.append(raw["ReceiptHandle"])
        finally:
            for start in range(0, len(receipts), _BATCH):
                entries = [{"Id": str(i), "ReceiptHandle": r, "VisibilityTimeout": 0}
                           for i, r in enumerate(receipts[start:start + _BATCH])]
                _call("change_message_visibility_batch",
                      self.client.change_message_visibility_batch,
                      QueueUrl=dlq, Entries=entries)
        return list(bodies.values())

    # -- internals ---------------------------------------------------------------------

    def _ignoring_stale(self, action: str, fn: Any, **kwargs: Any) -> None:
        try:
            fn(**kwargs)
        except ClientError as exc:
            if _error_code(exc) in _STALE_RECEIPT:
                return
            raise QueueUnavailableError(f"SQS {action} failed: {exc}") from exc
        except BotoCoreError as exc:
            raise QueueUnavailableError(f"SQS {action} failed: {exc}") from exc

    def _dlq(self) -> str | None:
        """The DLQ URL: as given, else the queue's RedrivePolicy target (looked up once)."""
        if not self._dlq_resolved:
            attrs = _call("get_queue_attributes", self.client.get_queue_attributes,
                          QueueUrl=self.queue_url,
                          AttributeNames=["RedrivePolicy"]).get("Attributes") or {}
            policy = attrs.get("RedrivePolicy")
            if policy:
                arn = json.loads(policy)["deadLetterTargetArn"].split(":")
                self._dlq_url = _call("get_queue_url", self.client.get_queue_url,
                                      QueueName=arn[5],
                                      QueueOwnerAWSAccountId=arn[4])["QueueUrl"]
            self._dlq_resolved = True
        return self._dlq_url

    def _dead_letter(self, raw: dict) -> bool:
        """Copy a message to the DLQ, then delete it here. False when there is no DLQ."""
        dlq = self._dlq()
        if dlq is None:
            return False
        _call("send_message", self.client.send_message, QueueUrl=dlq, MessageBody=raw["Body"])
        self.ack(raw["ReceiptHandle"])
        return True
