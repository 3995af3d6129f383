"""The Performance API sandbox: OAuth, campaigns, Ozon's report limits, and spend consistent with the accruals."""

import datetime as dt
from collections import defaultdict

import pytest
from litestar.testing import TestClient

from stpulse.adapters.sandbox.ozon import SandboxConfig, ShopConfig, create_sandbox_app
from stpulse.adapters.sandbox.ozon.http.app import performance_state
from stpulse.adapters.sandbox.ozon.performance.config import AdAccountConfig, PerformanceConfig, ad_client_id

SELLER = ShopConfig(client_id="2001", api_key="seller-key", seed=31, profile="small")
ACCOUNTS = [AdAccountConfig(client_id=ad_client_id(100_000 + i), client_secret=f"s{i}", seller="2001",
                            organisation="org-a") for i in range(6)]
DAY = dt.date(2026, 9, 10)


def make_app(seconds: float = 60.0):
    config = SandboxConfig(shops=[SELLER], performance=PerformanceConfig(accounts=ACCOUNTS,
                                                                         report_base_seconds=seconds))
    return create_sandbox_app(config)


def bearer(client: TestClient, account: AdAccountConfig) -> dict[str, str]:
    answer = client.post("/api/client/token", json={"client_id": account.client_id,
                                                    "client_secret": account.client_secret,
                                                    "grant_type": "client_credentials"})
    assert answer.status_code == 200 and answer.json()["expires_in"] == 1800
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def submit(client, headers, campaigns, first=DAY, last=DAY):
    return client.post("/api/client/statistics/json", headers=headers, json={
        "campaigns": [str(c) for c in campaigns], "dateFrom": first.isoformat(), "dateTo": last.isoformat(),
        "groupBy": "DATE"})


def campaign_ids(client, headers) -> list[int]:
    listing = client.get("/api/client/campaign", headers=headers).json()["list"]
    assert all(isinstance(c["id"], str) and isinstance(c["dailyBudget"], str) for c in listing)
    return [int(c["id"]) for c in listing]


def test_bad_secret_and_missing_token_are_refused():
    with TestClient(make_app()) as client:
        bad = client.post("/api/client/token", json={"client_id": ACCOUNTS[0].client_id, "client_secret": "x",
                                                     "grant_type": "client_credentials"})
        assert bad.status_code == 401
        assert client.get("/api/client/campaign").status_code == 401


def test_one_running_report_per_account_and_five_per_organisation():
    with TestClient(make_app()) as client:
        headers = [bearer(client, a) for a in ACCOUNTS]
        first = submit(client, headers[0], campaign_ids(client, headers[0])[:1])
        assert first.status_code == 200 and first.json()["UUID"]
        second = submit(client, headers[0], campaign_ids(client, headers[0])[:1])
        assert second.status_code == 429
        assert second.json() == {"error": "Превышен лимит активных запросов (максимум 1)"}
        for h in headers[1:5]:
            assert submit(client, h, campaign_ids(client, h)[:1]).status_code == 200
        sixth = submit(client, headers[5], campaign_ids(client, headers[5])[:1])
        assert sixth.status_code == 429 and "максимум 5" in sixth.json()["error"]
        assert performance_state(client.app).counters.refusals_429 == 2


def test_report_size_limits():
    with TestClient(make_app(0.0)) as client:
        h = bearer(client, ACCOUNTS[0])
        ids = campaign_ids(client, h)
        assert submit(client, h, ids * 4).status_code == 400  # > 10 campaigns
        assert submit(client, h, ids[:1], DAY - dt.timedelta(days=62), DAY).status_code == 400  # 63 days
        assert submit(client, h, ids[:1], DAY - dt.timedelta(days=61), DAY).status_code == 200


def test_spend_of_accrual_charged_campaigns_equals_the_accruals():
    app = make_app(0.0)
    with TestClient(app) as client:
        h = bearer(client, ACCOUNTS[0])
        perf = performance_state(app)
        world = perf.world(ACCOUNTS[0])
        uuid = submit(client, h, [c.id for c in world.campaigns], DAY - dt.timedelta(days=5), DAY).json()["UUID"]
        assert client.get(f"/api/client/statistics/{uuid}", headers=h).json()["state"] == "OK"
        report = client.get("/api/client/statistics/report", params={"UUID": uuid}, headers=h).json()
    spent: dict[tuple[int, dt.date], int] = defaultdict(int)
    for cid, body in report.items():
        for row in body["report"]["rows"]:
            assert all(isinstance(v, str) for v in row.values())
            roubles, kopecks = row["moneySpent"].split(",")
            spent[int(cid), dt.datetime.strptime(row["date"], "%d.%m.%Y").date()] += int(roubles) * 100 + int(kopecks)
    charged = {c.id for c in world.campaigns if c.charged_via_accruals}
    accruals: dict[tuple[int, dt.date], int] = defaultdict(int)
    for line in world.seller.accrual_lines(DAY - dt.timedelta(days=5), DAY):
        if line.unit_number and line.unit_number.isdigit() and int(line.unit_number) in charged:
            accruals[int(line.unit_number), line.date] -= line.amount
    assert accruals and {k: v for k, v in spent.items() if k[0] in charged} == dict(accruals)
    assert any(k[0] not in charged for k in spent)  # the account's own campaigns spend only here


@pytest.mark.parametrize("path", ["/api/client/statistics/daily/json", "/api/client/statistics/expense/json"])
def test_sync_statistics_sum_the_report(path):
    with TestClient(make_app(0.0)) as client:
        h = bearer(client, ACCOUNTS[1])
        rows = client.get(path, params={"dateFrom": DAY.isoformat(), "dateTo": DAY.isoformat()}, headers=h).json()
        world = performance_state(client.app).world(ACCOUNTS[1])
    total = sum(int(r["moneySpent"].replace(",", "")) for r in rows["rows"])
    assert total == sum(r[3] for r in world.rows(DAY, DAY)) > 0
