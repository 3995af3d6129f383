"""The Dramatiq broker, built in the composition root: Redis in production, a stub broker consumed by an in-process
worker in embedded mode. Nothing here runs at import time; `wire_broker` is called by `bootstrap`."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import AsyncIO

from stpulse.adapters.queue.dramatiq_queue import DramatiqJobQueue
from stpulse.entrypoints.deps import Deps
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.worker.actors import declare_actors
from stpulse.entrypoints.worker.retries import RetryPolicy

if TYPE_CHECKING:
    from stpulse.entrypoints.bootstrap import Container


def build_broker(settings: Settings) -> dramatiq.Broker:
    # a Redis that does not answer fails an enqueue in seconds (the job waits in the outbox), never hangs a request
    broker: dramatiq.Broker = RedisBroker(url=settings.redis_url, namespace="stpulse", socket_connect_timeout=5) \
        if settings.redis_url else StubBroker()
    broker.add_middleware(AsyncIO())
    return broker


def wire_broker(settings: Settings) -> dramatiq.Broker:
    """A broker for these settings with every actor declared on it; the actors build their own containers."""
    broker = build_broker(settings)
    declare_actors(broker, ContainerPerLoop(settings, broker), RetryPolicy.from_settings(settings))
    return broker


class ContainerPerLoop:
    """The actors' dependencies: one container per worker event loop (database connections belong to the loop
    that opened them), enqueuing onto the broker the worker consumes. Tests replace ports by keyword."""

    def __init__(self, settings: Settings, broker: dramatiq.Broker, **overrides: Any) -> None:
        self.settings, self.broker, self.overrides = settings, broker, overrides
        self.containers: dict[int, Container] = {}

    def __call__(self) -> Deps:
        from stpulse.entrypoints.bootstrap import bootstrap

        key = id(asyncio.get_running_loop())
        if key not in self.containers:
            self.containers[key] = bootstrap(self.settings, jobs=DramatiqJobQueue(self.broker),
                                              **self.overrides)
        return self.containers[key].deps
