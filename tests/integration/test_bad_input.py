"""Bad input over HTTP: Russian field errors, status 4xx, nothing written."""

from __future__ import annotations

from tests.integration.web_helpers import PASSWORD, csrf, post_form, sign_up


async def _count(app, table: str) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    async with app.state.container.database.engine.connect() as conn:
        return int((await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


async def test_bad_registration_shows_field_errors_and_writes_nothing(client, app, mailbox):
    resp = await post_form(client, "/auth/register", {"email": "not-an-email", "password": "short",
                                                      "password_confirm": "other", "full_name": ""})
    assert resp.status_code == 422
    for text in ("корректный адрес", "не короче 10", "Пароли не совпадают", "Имя: заполните", "согласия"):
        assert text in resp.text
    assert await _count(app, "users") == 0 and mailbox.messages() == []


async def test_bad_requisites_show_russian_errors_and_write_nothing(client, app, mailbox):
    await sign_up(client, mailbox, "req@example.ru")
    resp = await post_form(client, "/app/legal-entities/new", {
        "kind": "ooo", "name": "ООО Тест", "inn": "7707083894", "kpp": "12", "bik": "044525225",
        "settlement_account": "40702810938000000002", "correspondent_account": "30101810400000000225",
        "tax_regime": "usn_income", "tax_rate_percent": "abc", "vat_rate": "18"})
    assert resp.status_code == 422
    for text in ("контрольное число", "КПП состоит из 9 цифр", "Расчётный счёт не соответствует БИК",
                 "Ставка налога", "Ставка НДС"):
        assert text in resp.text
    assert 'value="ООО Тест"' in resp.text  # nothing the user typed is lost
    assert await _count(app, "legal_entities") == 0


async def test_upload_over_limit_or_forbidden_type_is_refused(client, app, mailbox, settings):
    await sign_up(client, mailbox, "up@example.ru")
    headers = await csrf(client)
    big = b"%PDF-" + b"0" * settings.upload_max_bytes
    resp = await client.post("/app/documents/upload", files={"file": ("big.pdf", big, "application/pdf")},
                             headers=headers)
    assert resp.status_code in (413, 422) and "больше допустимого размера" in resp.text
    exe = await client.post("/app/documents/upload", files={"file": ("virus.exe", b"MZ\x90\x00", "application/x-msdownload")},
                            headers=headers)
    assert exe.status_code == 422 and "Недопустимый тип файла" in exe.text
    fake = await client.post("/app/documents/upload", files={"file": ("fake.pdf", b"<script>", "application/pdf")},
                             headers=headers)
    assert fake.status_code == 422 and "не соответствует расширению" in fake.text
    assert await _count(app, "documents") == 0
    good = await client.post("/app/documents/upload", files={"file": ("счёт.pdf", b"%PDF-1.4 ok", "application/pdf")},
                             headers=headers)
    assert good.status_code == 200 and "загружен" in good.text
    assert await _count(app, "documents") == 1


async def test_wrong_types_in_forms_never_500(client, mailbox):
    await sign_up(client, mailbox, "types@example.ru")
    resp = await post_form(client, "/app/legal-entities/new", {"kind": "zzz", "tax_regime": "nope", "vat_rate": "x"})
    assert resp.status_code == 422
    resp = await client.get("/app/documents?page=abc")
    assert resp.status_code == 400
    resp = await client.get("/app/legal-entities/not-a-uuid")
    assert resp.status_code == 404
    assert PASSWORD


# --- issue 19, item 10: no bad input reaches a 500 ---

NUL = "a\x00b"


def _calm(resp, *statuses: int) -> None:  # type: ignore[no-untyped-def]
    assert resp.status_code in statuses, (resp.status_code, resp.text[:300])
    assert "Что-то пошло не так" not in resp.text
    assert any(ch in resp.text for ch in "абвгдеёжзиклмнопрстуфхцчшщыэюя"), resp.text[:300]  # a Russian message


async def test_nul_bytes_and_huge_numbers_get_a_4xx_not_a_500(client, app, mailbox):
    _calm(await post_form(client, "/auth/login", {"email": f"x{NUL}@example.ru", "password": NUL}), 400, 422)
    _calm(await post_form(client, "/auth/register", {"email": f"n{NUL}@example.ru", "password": "x" * 12 + NUL,
                                                     "password_confirm": "x" * 12 + NUL, "full_name": NUL,
                                                     "consent": "on"}), 400, 422)
    _calm(await post_form(client, "/auth/forgot", {"email": f"n{NUL}@example.ru"}), 200, 400, 422)
    _calm(await client.get("/pages/a%00b"), 400, 404)
    await sign_up(client, mailbox, "nul@example.ru")
    _calm(await client.get("/app/search?q=ab%00cd"), 400)
    _calm(await post_form(client, "/app/profile", {"full_name": NUL, "phone": ""}), 400, 422)
    _calm(await post_form(client, "/app/expenses", {"month": "2026-01", "article": NUL, "amount": "5"}), 400, 422)
    _calm(await post_form(client, "/app/legal-entities/new", {"kind": "ip", "name": NUL, "inn": "500100732259",
                                                              "tax_regime": "usn_income", "tax_rate_percent": "6",
                                                              "vat_rate": "0"}), 400, 422)
    for url in ("/app/documents?page=1e20", "/app/documents?page=99999999999999999999", "/app/documents?page=-5",
                "/app/reports/pnl/drill?row=revenue&page=1e20"):
        _calm(await client.get(url), 200, 400, 404, 422)
    resp = await client.post("/app/documents/upload", files={"file": (f"{NUL}.pdf", b"%PDF-1.4 ok", "application/pdf")},
                             data={"note": NUL}, headers=await csrf(client))
    _calm(resp, 200, 400, 422)
    assert await _count(app, "legal_entities") == 0


async def test_a_csrf_refusal_is_a_403_in_the_log_not_a_500(client, monkeypatch):
    from stpulse.entrypoints.web import middleware

    events: list[dict] = []

    class Log:
        def info(self, event: str, **kw: object) -> None:
            events.append({"event": event, **kw})

        exception = warning = error = info

    monkeypatch.setattr(middleware, "log", Log())
    resp = await client.post("/auth/login", data={"email": "a@example.ru", "password": "x"})
    assert resp.status_code == 403 and "Форма устарела" in resp.text
    [logged] = [e for e in events if e["event"] == "http.request"]
    assert logged["status"] == 403


async def test_a_nul_in_a_json_body_never_reaches_the_database(client, app):
    """The webhook reads its JSON itself and files an unreadable body as «malformed» (it always answers fast)."""
    from sqlalchemy import text

    from stpulse.entrypoints.web.billing.cabinet import WEBHOOK_PATH

    body = '{"type": "notification", "event": "payment.succeeded", "object": {"id": "a\\u0000b"}}'
    resp = await client.post(WEBHOOK_PATH, content=body, headers={"content-type": "application/json"})
    assert resp.status_code < 500, resp.status_code
    async with app.state.container.database.engine.connect() as conn:
        outcomes = (await conn.execute(text("SELECT outcome, object_id FROM payment_webhooks"))).all()
    assert [tuple(o) for o in outcomes] == [("malformed", "?")]
