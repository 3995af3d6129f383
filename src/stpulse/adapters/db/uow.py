"""Unit of work over one AsyncSession: repositories share the transaction; nothing commits implicitly."""

from __future__ import annotations

import time
from typing import Self

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from stpulse.adapters.db.accounts import account_data as ra
from stpulse.adapters.db.accounts import api_tokens as rat
from stpulse.adapters.db.accounts import repositories as r
from stpulse.adapters.db.accounts.outbox import OutboxRepo
from stpulse.adapters.db.ads import repositories as rad
from stpulse.adapters.db.alerts.repositories import AlertRepo
from stpulse.adapters.db.billing import repositories as rb
from stpulse.adapters.db.cash import repositories as rc
from stpulse.adapters.db.costs import repositories as rm
from stpulse.adapters.db.ledger import repositories as rl
from stpulse.adapters.db.ledger.settlement import SettlementRepo
from stpulse.adapters.db.ozon import repositories as ro
from stpulse.adapters.db.planning.repositories import PlanTargetRepo
from stpulse.adapters.db.planning.supply_repositories import SupplyParamsRepo
from stpulse.adapters.db.reports import repositories as rr
from stpulse.adapters.db.reports.facts import ReportFactsRepo
from stpulse.adapters.db.reports.settings import ReportSettingsRepo
from stpulse.adapters.db.stats import DatabaseStatsRepo


class SqlUnitOfWork:
    """One AsyncSession; every context's repositories over it, made when the transaction starts.

    It satisfies each context's unit-of-work protocol (application/<context>/) structurally; mypy checks that
    where the composition root hands it out."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._factory = session_factory
        self.session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        s = self.session = self._factory()
        # accounts
        self.users, self.accounts, self.memberships = r.UserRepo(s), r.AccountRepo(s), r.MembershipRepo(s)
        self.invitations, self.tokens, self.sessions = r.InvitationRepo(s), r.TokenRepo(s), r.SessionRepo(s)
        self.login_attempts, self.legal_entities = r.LoginAttemptRepo(s), ra.LegalEntityRepo(s)
        self.documents, self.pages, self.api_tokens = ra.DocumentRepo(s), ra.ContentPageRepo(s), rat.ApiTokenRepo(s)
        # kernel
        self.heartbeats, self.audit = ra.HeartbeatRepo(s), ra.AuditRepo(s)
        self.notices = ra.NoticeLogRepo(s)
        self.alerts = AlertRepo(s)
        self.outbox, self.database = OutboxRepo(s), DatabaseStatsRepo(s)
        # ledger, ozon, costs, reports
        self.shops, self.ledger = ra.ShopRepo(s), rl.LedgerRepo(s)
        self.facts, self.sync_runs = ro.FactsRepo(s), ro.SyncRunRepo(s)
        self.cost_prices, self.opex = rm.CostRepo(s), rm.OpexRepo(s)
        self.report_data = rr.ReportDataRepo(s)
        # planning
        self.plan_targets = PlanTargetRepo(s)
        self.settlement = SettlementRepo(s)
        self.cash, self.ozon_money = rc.CashRepo(s), rc.LedgerOzonMoney(s)  # cash (ДДС)
        self.report_facts, self.report_settings = ReportFactsRepo(s), ReportSettingsRepo(s)
        self.supply_params = SupplyParamsRepo(s)
        # ads
        self.ad_keys, self.ad_stats = rad.AdKeyRepo(s), rad.AdStatsRepo(s)
        # billing
        self.tariffs, self.subscriptions, self.payments = rb.TariffRepo(s), rb.SubscriptionRepo(s), rb.PaymentRepo(s)
        self.promos, self.invoices = rb.PromoRepo(s), rb.InvoiceRepo(s)
        self.trials, self.webhooks = rb.TrialRepo(s), rb.WebhookRepo(s)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.session is None:
            return
        try:
            await self.session.rollback()
        finally:
            await self.session.close()

    async def commit(self) -> None:
        await self._session().commit()

    async def rollback(self) -> None:
        await self._session().rollback()

    def _session(self) -> AsyncSession:
        if self.session is None:
            raise RuntimeError("the unit of work is used outside `async with`")
        return self.session


PING_IDLE_S = 1.0  # a connection back in the pool for less than this is handed out again without a ping


def _ping(dbapi_conn, record, _proxy) -> None:  # type: ignore[no-untyped-def]
    """A connection that has been idle in the pool answers first, else it is replaced (the pool retries with a new
    one): a PostgreSQL restart costs no request. One round trip, `SELECT 1` in the simple protocol; SQLAlchemy's
    `pool_pre_ping` wraps its ping in a transaction of its own for PgBouncer (BEGIN, a prepared `;`, ROLLBACK): three
    round trips per unit of work, a fifth of a cached report page's under load (bench/load.py). A connection used
    within the last second is not pinged: under load that is every one, and a connection that failed there makes
    SQLAlchemy replace the whole pool (a restart takes longer than that, so its idle connections are pinged)."""
    if time.monotonic() - record.info.get("returned_at", -PING_IDLE_S) < PING_IDLE_S:
        return
    try:
        dbapi_conn.run_async(lambda conn: conn.execute("SELECT 1"))
    except Exception as exc:  # whatever the driver raises for a dead connection
        raise DisconnectionError("the pooled connection did not answer") from exc


def _returned(_dbapi_conn, record) -> None:  # type: ignore[no-untyped-def]
    record.info["returned_at"] = time.monotonic()


def _fold_case(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


class Database:
    """One engine per process and event loop; the UoW factory hands out units of work."""

    def __init__(self, url: str, echo: bool = False, pool_size: int = 10) -> None:
        """`pool_size`: this process's share of PostgreSQL's connections (no overflow beyond it: a burst waits
        for a connection instead of opening more than the server allows)."""
        kwargs: dict = {"echo": echo, "hide_parameters": True}  # a failed statement's values (hashes) stay out of logs
        if url.startswith("postgresql"):
            kwargs |= {"pool_size": pool_size, "max_overflow": 0, "pool_timeout": 60}
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if url.startswith("postgresql"):
            event.listen(self.engine.sync_engine, "checkout", _ping)
            event.listen(self.engine.sync_engine, "checkin", _returned)
        if url.startswith("sqlite"):

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
