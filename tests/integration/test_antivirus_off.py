"""Issue 19, item 12: without clamd the embedded mode still runs and the admin page says uploads are not
scanned; a configured clamd that does not answer refuses uploads instead of letting them through."""

from __future__ import annotations

from pathlib import Path

import pytest

from stpulse.application.accounts.admin_users import make_admin
from stpulse.entrypoints.settings import Settings
from tests.integration.web_helpers import csrf, sign_in, sign_up
from tests.services import REDIS_URL


@pytest.fixture
def settings(pg_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    address = f"unix:{tmp_path / 'nobody.sock'}" if "down" in request.node.name else ""
    return Settings(mode="production", database_url=pg_url, redis_url=REDIS_URL, data_dir=tmp_path,
                    base_url="http://testserver.local", embedded_worker=False, log_json=True, clamd_address=address)


async def test_without_clamd_uploads_pass_and_monitoring_says_so(app, client, mailbox):
    await sign_up(client, mailbox, "noav@example.ru")
    ok = await client.post("/app/documents/upload", headers=await csrf(client),
                           files={"file": ("a.pdf", b"%PDF-1.4 fine", "application/pdf")})
    assert ok.status_code == 200 and "загружен" in ok.text
    await make_admin(app.state.container.deps, "root@example.ru", "root-password-1")
    await sign_in(client, "root@example.ru", "root-password-1")
    page = await client.get("/admin/monitoring/")
    assert "Не подключён: загружаемые файлы не проверяются" in page.text


async def test_clamd_down_refuses_uploads(app, client, mailbox):
    await sign_up(client, mailbox, "avdown@example.ru")
    bad = await client.post("/app/documents/upload", headers=await csrf(client),
                            files={"file": ("a.pdf", b"%PDF-1.4 fine", "application/pdf")})
    assert bad.status_code == 422 and "антивирусом сейчас недоступна" in bad.text
