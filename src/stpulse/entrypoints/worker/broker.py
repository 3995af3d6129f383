"""The Dramatiq broker, built once: Redis in production, an in-process stub broker in embedded mode."""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import AsyncIO

from stpulse.entrypoints.settings import Settings


def build_broker(settings: Settings) -> dramatiq.Broker:
    broker: dramatiq.Broker
    if settings.redis_url:
        broker = RedisBroker(url=settings.redis_url, namespace="stpulse")
    else:
        broker = StubBroker()
        broker.emit_after("process_boot")
    broker.add_middleware(AsyncIO())
    dramatiq.set_broker(broker)
    return broker


_broker: dramatiq.Broker | None = None


def get_broker(settings: Settings | None = None) -> dramatiq.Broker:
    """The process-wide broker. Actors are declared against it, so it is built before they are imported."""
    global _broker
    if _broker is None:
        _broker = build_broker(settings or Settings())
    return _broker
