"""STPULSE_FROZEN_NOW stops every process's clock at one moment (benches and demos whose data ends on a fixed day);
production refuses to start with it."""

from __future__ import annotations

import datetime as dt

import pytest

from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from tests.fakes_uow import memory_uow_factory


def test_a_frozen_now_is_every_reading_of_the_clock(tmp_path, monkeypatch):
    monkeypatch.setenv("STPULSE_FROZEN_NOW", "2026-08-31T09:00:00+00:00")
    settings = Settings(data_dir=tmp_path)
    clock = bootstrap(settings, uow=memory_uow_factory()).deps.clock
    assert clock.now() == clock.now() == dt.datetime(2026, 8, 31, 9, tzinfo=dt.UTC)


def test_without_it_the_clock_runs(tmp_path):
    clock = bootstrap(Settings(data_dir=tmp_path), uow=memory_uow_factory()).deps.clock
    assert abs(clock.now() - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


def test_production_refuses_a_frozen_clock():
    with pytest.raises(SystemExit, match="STPULSE_FROZEN_NOW"):
        Settings(mode="production", secret_key="k" * 8 + "Zq3!vR9#pL2@xW7$mN4%tB6^" * 2,
                 frozen_now=dt.datetime(2026, 8, 31, tzinfo=dt.UTC)).check_production()
