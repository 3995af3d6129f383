"""Unit of work over one AsyncSession: repositories share the transaction; nothing commits implicitly."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from stpulse.adapters.db import repositories as r
from stpulse.adapters.db import repositories_account_data as ra
from stpulse.adapters.db import repositories_money as rm
from stpulse.adapters.db import repositories_ozon as ro
from stpulse.adapters.db import repositories_reports as rr
from stpulse.adapters.db.repositories_billing import BILLING_REPOSITORIES

# attribute on the unit of work -> repository class (each takes the AsyncSession). Add one line per repository.
REPOSITORIES: dict[str, type] = {
    "users": r.UserRepo,
    "accounts": r.AccountRepo,
    "memberships": r.MembershipRepo,
    "invitations": r.InvitationRepo,
    "tokens": r.TokenRepo,
    "sessions": r.SessionRepo,
    "login_attempts": r.LoginAttemptRepo,
    "legal_entities": ra.LegalEntityRepo,
    "documents": ra.DocumentRepo,
    "pages": ra.ContentPageRepo,
    "shops": ra.ShopRepo,
    "heartbeats": ra.HeartbeatRepo,
    "audit": ra.AuditRepo,
    "facts": ro.FactsRepo,
    "sync_runs": ro.SyncRunRepo,
    "ledger": rm.LedgerRepo,
    "cost_prices": rm.CostRepo,
    "opex": rm.OpexRepo,
    "api_tokens": rm.ApiTokenRepo,
    "report_data": rr.ReportDataRepo,
    **BILLING_REPOSITORIES,
}


class SqlUnitOfWork:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._factory = session_factory
        self.session: AsyncSession | None = None

    def __getattr__(self, name: str) -> Any:  # repositories are set in __aenter__
        raise AttributeError(f"unit of work has no repository {name!r} (outside `async with`?)")

    async def __aenter__(self) -> SqlUnitOfWork:
        session = self.session = self._factory()
        for attribute, repository in REPOSITORIES.items():
            setattr(self, attribute, repository(session))
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.session is not None  # noqa: S101 - set in __aenter__
        try:
            await self.session.rollback()
        finally:
            await self.session.close()

    async def commit(self) -> None:
        assert self.session is not None  # noqa: S101
        await self.session.commit()

    async def rollback(self) -> None:
        assert self.session is not None  # noqa: S101
        await self.session.rollback()


def _fold_case(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


class Database:
    """One engine per process and event loop; the UoW factory hands out units of work."""

    def __init__(self, url: str, echo: bool = False) -> None:
        kwargs: dict = {"echo": echo}
        if url.startswith("postgresql"):
            kwargs |= {"pool_size": 10, "max_overflow": 10, "pool_pre_ping": True}
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if url.startswith("sqlite"):
            from sqlalchemy import event

            @event.listens_for(self.engine.sync_engine, "connect")
            def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
                cursor = dbapi_conn.cursor()
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA busy_timeout=5000")
                cursor.close()
                # SQLite's own lower() folds ASCII only; searches must find «Демо» by «демо» as PostgreSQL does.
                dbapi_conn.create_function("lower", 1, _fold_case, deterministic=True)

        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions)

    async def dispose(self) -> None:
        await self.engine.dispose()
