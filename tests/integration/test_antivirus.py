"""Issue 19, item 12: every upload is scanned by ClamAV (clamd over INSTREAM); an infected file is refused in
Russian and logged, a clean one accepted. Offline: the test writes its own hash-signature database (.hdb) and
starts clamd on a temporary socket with it."""

from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from stpulse.adapters.security.clamav import ClamdScanner
from stpulse.application.accounts.admin_users import make_admin
from stpulse.entrypoints.settings import Settings
from tests.integration.web_helpers import csrf, sign_in, sign_up
from tests.services import REDIS_URL

CLAMD = shutil.which("clamd") or "/usr/sbin/clamd"
INFECTED_PDF = b"%PDF-1.4\n% STPulse test virus: a file the test's own signature matches\n"
INFECTED_XLSX = b"PK\x03\x04 STPulse test virus inside a spreadsheet"
CLEAN_PDF = b"%PDF-1.4\n% an ordinary clean document\n"


def _hdb_line(data: bytes, name: str) -> str:
    return f"{hashlib.md5(data).hexdigest()}:{len(data)}:{name}\n"  # noqa: S324 - ClamAV's hash signature format


@pytest.fixture(scope="module")
def clamd_socket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    assert Path(CLAMD).exists(), "clamd is missing: apt-get install clamav-daemon (make system-deps)"
    root = tmp_path_factory.mktemp("clamd")
    (root / "db").mkdir()
    (root / "db" / "stpulse-test.hdb").write_text(
        _hdb_line(INFECTED_PDF, "Stpulse.Test.Pdf") + _hdb_line(INFECTED_XLSX, "Stpulse.Test.Xlsx"))
    sock = root / "clamd.sock"
    (root / "clamd.conf").write_text(f"LocalSocket {sock}\nDatabaseDirectory {root / 'db'}\nForeground yes\n"
                                     f"TemporaryDirectory {root}\nLogFile {root / 'clamd.log'}\n")
    proc = subprocess.Popen([CLAMD, "-c", str(root / "clamd.conf")], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not sock.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sock.exists(), (root / "clamd.log").read_text() if (root / "clamd.log").exists() else "clamd did not start"
    yield f"unix:{sock}"
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture
def settings(pg_url: str, tmp_path: Path, clamd_socket: str) -> Settings:
    return Settings(mode="production", database_url=pg_url, redis_url=REDIS_URL, data_dir=tmp_path,
                    base_url="http://testserver.local", embedded_worker=False, log_json=True,
                    clamd_address=clamd_socket)


async def test_clamd_adapter_finds_the_signature_and_passes_a_clean_file(clamd_socket):
    scanner = ClamdScanner(clamd_socket)
    assert (await scanner.scan(INFECTED_PDF) or "").startswith("Stpulse.Test.Pdf")
    assert await scanner.scan(CLEAN_PDF) is None
    assert await scanner.scan(b"x" * (300 * 1024)) is None  # several INSTREAM chunks
    assert (await scanner.version()).startswith("ClamAV")


async def test_an_infected_document_is_refused_and_logged_a_clean_one_accepted(app, client, mailbox, caplog):
    await sign_up(client, mailbox, "av@example.ru")
    headers = await csrf(client)
    with caplog.at_level(logging.WARNING, logger="stpulse.application.kernel.uploads"):
        bad = await client.post("/app/documents/upload", headers=headers,
                                files={"file": ("act.pdf", INFECTED_PDF, "application/pdf")})
    assert bad.status_code == 422 and "найден вирус" in bad.text and "не принят" in bad.text
    assert any("infected with Stpulse.Test.Pdf" in r.getMessage() and "act.pdf" in r.getMessage()
               for r in caplog.records)
    good = await client.post("/app/documents/upload", headers=headers,
                             files={"file": ("clean.pdf", CLEAN_PDF, "application/pdf")})
    assert good.status_code == 200 and "загружен" in good.text
    listing = (await client.get("/app/documents")).text
    assert "clean.pdf" in listing and "act.pdf" not in listing


async def test_an_infected_spreadsheet_is_refused_before_it_is_read(app, client, mailbox):
    await sign_up(client, mailbox, "av-xlsx@example.ru")
    headers = await csrf(client)
    costs = await client.post("/app/costs/import", files={"file": ("c.xlsx", INFECTED_XLSX)}, headers=headers)
    assert costs.status_code == 422 and "найден вирус" in costs.text
    opex = await client.post("/app/expenses/import", files={"file": ("e.xlsx", INFECTED_XLSX)}, headers=headers)
    assert opex.status_code == 422 and "найден вирус" in opex.text


async def test_monitoring_shows_the_antivirus_working(app, client):
    await make_admin(app.state.container.deps, "root@example.ru", "root-password-1")
    await sign_in(client, "root@example.ru", "root-password-1")
    page = await client.get("/admin/monitoring/")
    assert page.status_code == 200 and "Работает: ClamAV" in page.text
