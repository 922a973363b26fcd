"""Draining the event queue through the message bus (the local consumer loop's step)."""

from __future__ import annotations

import logging
from typing import Callable

from dagy.application.bus import MessageBus
from dagy.domain.events import BadEventError

logger = logging.getLogger("dagy.consumer")


def consume_batch(bus: MessageBus, max_messages: int = 10, visibility_timeout: float = 60,
                  wait_seconds: float = 0,
                  decode: Callable[[str], str | bytes | dict] | None = None) -> int:
    """Receive up to `max_messages`; ack each handled (or unusable) one, release failures.
    `decode` lets the caller translate bodies of foreign formats (a raw S3 notification)
    into envelopes before the bus reads them."""
    queue = bus.deps.queue
    messages = queue.receive(max_messages, visibility_timeout, wait_seconds)
    for message in messages:
        try:
            body = message.body if decode is None else decode(message.body)
            bus.handle(body, message.message_id)
        except BadEventError as exc:
            logger.error("dropping unusable event %s: %s", message.message_id, exc)
        except Exception:
            logger.exception("event %s failed; it will be retried", message.message_id)
            queue.release(message.receipt)
            continue
        queue.ack(message.receipt)
    return len(messages)
