"""JobQueue over a Dramatiq broker: messages carry ids only, addressed by actor name."""

from __future__ import annotations

from typing import Any

import dramatiq


class DramatiqJobQueue:
    def __init__(self, broker: dramatiq.Broker, queue_name: str = "default") -> None:
        self.broker, self.queue_name = broker, queue_name

    def enqueue(self, job: str, **ids: Any) -> None:
        payload = {key: str(value) for key, value in ids.items()}
        message: dramatiq.Message[None] = dramatiq.Message(queue_name=self.queue_name, actor_name=job, args=(), kwargs=payload, options={})
        self.broker.enqueue(message)
