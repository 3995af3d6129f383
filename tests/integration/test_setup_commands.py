"""The README's two commands: the embedded default needs no service; the test suite refuses to run without them."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx

from stpulse.entrypoints.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
STPULSE = str(Path(sys.executable).parent / "stpulse")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STPULSE_")}
    env.update({"STPULSE_DATA_DIR": str(tmp_path / "var"), **extra})
    return env


def test_embedded_defaults_need_no_service():
    settings = Settings(_env_file=None)
    assert settings.port == 8000 and settings.host == "127.0.0.1"
    assert settings.sqlalchemy_url.startswith("sqlite+aiosqlite:///") and settings.redis_url == ""


def test_demo_then_serve_on_sqlite_without_services(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = _env(tmp_path, STPULSE_PORT=str(port), STPULSE_BASE_URL=f"http://127.0.0.1:{port}",
               STPULSE_REDIS_URL="", STPULSE_DATABASE_URL="")
    demo = subprocess.run([STPULSE, "demo", "--no-sync"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert demo.returncode == 0, demo.stderr
    assert "demo@stpulse.local" in demo.stdout
    server = subprocess.Popen([STPULSE, "serve"], env=env, cwd=tmp_path)
    try:
        health = _wait(f"http://127.0.0.1:{port}/health")
        assert health["checks"]["database"] == "ok" and "redis" not in health["checks"]
        login = httpx.get(f"http://127.0.0.1:{port}/auth/login")
        assert login.status_code == 200 and "Вход в кабинет" in login.text
        assert (tmp_path / "var" / "stpulse.sqlite3").exists()
        with sqlite3.connect(tmp_path / "var" / "stpulse.sqlite3") as db:  # the demo catalogue has cost prices
            offers, steps = db.execute("SELECT count(DISTINCT offer_id), count(DISTINCT effective_from) "
                                       "FROM cost_prices").fetchone()
        assert offers == 475 and steps == 2  # 500 SKUs, every 20th left without a cost; one price rise
        with sqlite3.connect(tmp_path / "var" / "stpulse.sqlite3") as db:  # the demo shop pays tax as the demo ИП
            linked = db.execute("SELECT e.kind, e.tax_regime, e.tax_rate_percent FROM shops s "
                                "JOIN legal_entities e ON e.id = s.legal_entity_id").fetchall()
        assert linked == [("ip", "usn_income", "6")]
        with sqlite3.connect(tmp_path / "var" / "stpulse.sqlite3") as db:  # and a year of ДДС entries
            accounts, entries = db.execute("SELECT (SELECT count(*) FROM cash_accounts), "
                                           "(SELECT count(*) FROM cash_entries)").fetchone()
        assert accounts == 2 and entries >= 50
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as web:  # the ДДС report on SQLite
            web.get("/auth/login")
            web.post("/auth/login", data={"email": "demo@stpulse.local", "password": "demo-password-2026"},
                     headers={"x-csrftoken": web.cookies["csrftoken"]})
            page = web.get("/app/reports/cash")
        assert page.status_code == 200 and "Расчётный счёт: на конец" in page.text and "Аренда" in page.text
    finally:
        server.terminate()
        server.wait(timeout=20)


def _wait(url: str) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            resp = httpx.get(url, timeout=2)
            body = resp.json()
            if body["checks"].get("worker") == "ok":
                return body
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not become healthy")


# the whole suite (what `make test` and CI run) and any integration file need both services; the unit tests alone
# (`make unit`) run on fakes and need neither
WHOLE_SUITE = ["tests/unit/foundation/test_legal_entities.py", "tests/integration/test_tenancy.py"]


def test_suite_fails_not_skips_without_postgresql(tmp_path):
    env = _env(tmp_path, STPULSE_TEST_PG="postgresql://postgres@127.0.0.1:1/test")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", *WHOLE_SUITE],
                         env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode != 0
    assert "PostgreSQL is unreachable" in run.stdout + run.stderr


def test_suite_fails_not_skips_without_redis(tmp_path):
    env = _env(tmp_path, STPULSE_TEST_REDIS="redis://127.0.0.1:1/0")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", *WHOLE_SUITE],
                         env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode != 0
    assert "Redis is unreachable" in run.stdout + run.stderr


def test_unit_tests_alone_need_no_services(tmp_path):
    env = _env(tmp_path, STPULSE_TEST_PG="postgresql://postgres@127.0.0.1:1/test", STPULSE_TEST_REDIS="redis://127.0.0.1:1/0")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "tests/unit/foundation/test_legal_entities.py"],
                         env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr


def test_migrate_creates_the_legal_pages_from_the_operators_requisites(tmp_path):
    """Issue 18.17: `stpulse migrate` (also in production) writes the offer, the privacy policy and the consent,
    filled from STPULSE_OPERATOR_*, once; a second run leaves them alone."""
    env = _env(tmp_path, STPULSE_DATABASE_URL="", STPULSE_OPERATOR_NAME="ИП Петров Пётр Петрович",
               STPULSE_OPERATOR_INN="500100732259", STPULSE_OPERATOR_OGRN="304500116000157",
               STPULSE_OPERATOR_ADDRESS="г. Тула, ул. Ленина, д. 2", STPULSE_OPERATOR_EMAIL="pd@petrov.ru")
    first = subprocess.run([STPULSE, "migrate"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "offer, privacy, consent" in first.stdout
    with sqlite3.connect(tmp_path / "var" / "stpulse.sqlite3") as db:
        pages = dict(db.execute("SELECT slug, body_markdown FROM content_pages").fetchall())
    assert set(pages) == {"offer", "privacy", "consent"}
    for body in pages.values():
        assert "ИП Петров Пётр Петрович" in body and "500100732259" in body and "304500116000157" in body
        assert "версия 2026-12-01" in body
    assert "152-ФЗ" in pages["consent"] and "pd@petrov.ru" in pages["privacy"]
    again = subprocess.run([STPULSE, "migrate"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "Юридические страницы" not in again.stdout
