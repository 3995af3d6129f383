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
