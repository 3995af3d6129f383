"""Unit tests build the real bootstrap with in-memory fakes for every port."""

from __future__ import annotations

import pytest

from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.deps import Deps
from stpulse.entrypoints.settings import Settings
from tests.fakes import (
    EchoMarkdown,
    FixedClock,
    MemoryMailer,
    MemoryStorage,
    PlainHasher,
    RecordingQueue,
    ReverseBox,
)
from tests.fakes_uow import memory_uow_factory


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def mailer() -> MemoryMailer:
    return MemoryMailer()


@pytest.fixture
def deps(tmp_path, clock, mailer) -> Deps:
    container = bootstrap(Settings(data_dir=tmp_path), uow=memory_uow_factory(), clock=clock, mailer=mailer,
                          hasher=PlainHasher(), storage=MemoryStorage(), secrets=ReverseBox(),
                          markdown=EchoMarkdown(), jobs=RecordingQueue())
    return container.deps
