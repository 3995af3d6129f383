"""Small adapters behind the foundation's ports."""

from __future__ import annotations

import email

import pytest

from stpulse.adapters.mail.senders import FolderMailer
from stpulse.adapters.security.passwords import Argon2Hasher
from stpulse.adapters.security.secretbox import FernetSecretBox
from stpulse.adapters.storage.local import LocalFileStorage
from stpulse.adapters.text.markdown import SafeMarkdown
from stpulse.domain.kernel.errors import DomainError, NotFound
from stpulse.entrypoints.settings import Settings


def test_argon2id_hash_verifies_only_the_right_password():
    hasher = Argon2Hasher(fast=True)
    digest = hasher.hash("correct-horse-1")
    assert digest.startswith("$argon2id$")
    assert hasher.verify(digest, "correct-horse-1")
    assert not hasher.verify(digest, "wrong")
    assert not hasher.verify("not-a-hash", "correct-horse-1")


def test_secret_box_roundtrip_and_wrong_key():
    box = FernetSecretBox(Settings(secret_key="one-key-" * 8).fernet_key)
    token = box.encrypt("ozon-api-key-123")
    assert b"ozon-api-key-123" not in token and box.decrypt(token) == "ozon-api-key-123"
    other = FernetSecretBox(Settings(secret_key="another-" * 8).fernet_key)
    with pytest.raises(DomainError):
        other.decrypt(token)
    assert "hidden" in repr(box)


def test_markdown_is_sanitised():
    html = SafeMarkdown().render("# Справка\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) [ok](https://ozon.ru)")
    assert "<h1>Справка</h1>" in html
    assert "<script>" not in html and "href=\"javascript" not in html
    assert 'href="https://ozon.ru"' in html and 'rel="noopener noreferrer nofollow"' in html


async def test_local_storage_refuses_path_tricks(tmp_path):
    storage = LocalFileStorage(tmp_path)
    await storage.save("acc/doc", b"data")
    assert await storage.load("acc/doc") == b"data"
    for key in ("../etc/passwd", "/abs", "a/../../b"):
        with pytest.raises(NotFound):
            await storage.load(key)
    await storage.delete("acc/doc")
    with pytest.raises(NotFound):
        await storage.load("acc/doc")


async def test_folder_mailer_writes_eml(tmp_path):
    mailer = FolderMailer(tmp_path / "mail", "STPulse <noreply@stpulse.local>")
    await mailer.send("a@example.ru", "Подтвердите почту", "Ссылка: http://x/y")
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 1
    msg = email.message_from_bytes(files[0].read_bytes())
    assert msg["To"] == "a@example.ru"
    assert "http://x/y" in msg.get_payload(decode=True).decode()
