"""The in-memory unit of work: every repository an explicit attribute, like adapters/db/uow.py's SqlUnitOfWork.

Writes go to a copy of the store, published on commit; leaving without commit discards them, like a transaction.
"""

from __future__ import annotations

import copy
from typing import Self

from tests import fakes_ads as ad
from tests import fakes_alerts as al
from tests import fakes_billing as b
from tests import fakes_cash as c
from tests import fakes_facts as f
from tests import fakes_reports as rp
from tests import fakes_repos as r
from tests import fakes_settlement as fs
from tests.fakes import Store


class MemoryUnitOfWork:
    def __init__(self, store: Store) -> None:
        self.committed = store
        self.work = store

    async def __aenter__(self) -> Self:
        self._open()
        return self

    def _open(self) -> None:
        w = self.work = copy.deepcopy(self.committed)
        # accounts
        self.users, self.accounts, self.memberships = r.Users(w), r.Accounts(w), r.Memberships(w)
        self.invitations, self.tokens, self.sessions = r.Invitations(w), r.Tokens(w), r.Sessions(w)
        self.login_attempts, self.legal_entities = r.Attempts(w), r.Entities(w)
        self.documents, self.pages, self.api_tokens = r.Documents(w), r.Pages(w), rp.FakeApiTokens(w)
        # kernel
        self.heartbeats, self.audit = r.Heartbeats(w), r.Audit(w)
        self.outbox, self.database = r.Outbox(w), r.DatabaseStats(w)
        self.notices = r.Notices(w)
        # ledger, ozon, costs, reports
        self.shops, self.ledger = r.Shops(w), f.FakeLedger(w.facts)
        self.facts, self.sync_runs = f.FakeFacts(w.facts), f.FakeSyncRuns(w.facts)
        self.cost_prices, self.opex = rp.FakeCosts(w), rp.FakeOpex(w)
        self.report_data = rp.FakeReportData(w)
        self.alerts = al.FakeAlerts(w)  # alerts
        self.ad_keys, self.ad_stats = ad.FakeAdKeys(w), ad.FakeAdStats(w)  # ads
        self.supply_params = FakeSupplyParams(w)
        # planning
        self.plan_targets = rp.FakePlanTargets(w)
        self.settlement = fs.FakeSettlement(w)
        self.cash, self.ozon_money = c.FakeCash(w), c.FakeOzonMoney(w)
        self.report_facts, self.report_settings = rp.FakeReportFacts(w), rp.FakeReportSettings(w)
        # billing
        self.tariffs, self.subscriptions, self.payments = b.FakeTariffs(w), b.FakeSubscriptions(w), b.FakePayments(w)
        self.promos, self.invoices = b.FakePromos(w), b.FakeInvoices(w)
        self.trials, self.webhooks = b.FakeTrials(w), b.FakeWebhooks(w)

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def commit(self) -> None:
        self.committed.__dict__.update(copy.deepcopy(self.work).__dict__)

    async def rollback(self) -> None:
        self._open()


class MemoryUowFactory:
    """`deps.uow`: a new unit of work over one shared store (the test reads `.store`)."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store or Store()

    def __call__(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.store)


def memory_uow_factory(store: Store | None = None) -> MemoryUowFactory:
    return MemoryUowFactory(store)


class FakeSupplyParams:
    def __init__(self, world: object) -> None:
        self.rows: dict[tuple[object, str], object] = world.__dict__.setdefault("supply_params", {})

    async def all(self, account_id):  # type: ignore[no-untyped-def]
        return [p for (a, _), p in sorted(self.rows.items(), key=lambda kv: kv[0][1]) if a == account_id]

    async def replace(self, account_id, params) -> None:  # type: ignore[no-untyped-def]
        for p in params:
            self.rows[(account_id, p.offer_id)] = p
