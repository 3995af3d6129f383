"""The in-memory unit of work offers every repository of every context's unit of work, each with every method of
its port and the same parameters (mypy does not check tests/, so this test does)."""

from __future__ import annotations

import inspect
import typing

from stpulse.entrypoints.deps import UnitOfWork
from tests.fakes_uow import memory_uow_factory


def _repositories() -> dict[str, type]:
    """Attribute name → repository port, from every protocol the composition root's UnitOfWork extends."""
    found: dict[str, type] = {}
    for proto in UnitOfWork.__mro__:
        for name, member in vars(proto).items():
            if isinstance(member, property) and member.fget is not None:
                found.setdefault(name, typing.get_type_hints(member.fget)["return"])
    return found


def _methods(port: type) -> dict[str, inspect.Signature]:
    return {name: inspect.signature(fn) for name, fn in vars(port).items()
            if callable(fn) and not name.startswith("_")}


async def test_every_repository_port_is_an_attribute_with_every_method():
    ports = _repositories()
    assert {"facts", "sync_runs", "ledger", "cost_prices", "opex", "api_tokens", "report_data"} <= set(ports)
    async with memory_uow_factory()() as uow:
        for name, port in ports.items():
            repo = getattr(uow, name)
            for method, signature in _methods(port).items():
                own = getattr(repo, method, None)
                assert own is not None and (inspect.iscoroutinefunction(own) or inspect.isasyncgenfunction(own)), (
                    f"{name}.{method}")
                assert list(inspect.signature(own).parameters) == list(signature.parameters)[1:], f"{name}.{method}"
