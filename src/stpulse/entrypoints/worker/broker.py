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
_broker_url: str | None = None


def get_broker(settings: Settings | None = None) -> dramatiq.Broker:
    """The process-wide broker. Actors bind to it when declared; given other settings (a test, a CLI flag)
    a new broker is built and every declared actor moves to it."""
    global _broker, _broker_url
    if _broker is not None and (settings is None or settings.redis_url == _broker_url):
        return _broker
    settings = settings or Settings()
    previous, _broker, _broker_url = _broker, build_broker(settings), settings.redis_url
    if previous is not None:
        for name in previous.get_declared_actors():
            actor = previous.get_actor(name)
            actor.broker = _broker
            _broker.declare_actor(actor)
    return _broker
