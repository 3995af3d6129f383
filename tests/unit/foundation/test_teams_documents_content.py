"""Teams, documents, content pages and search — worked through the services with fakes."""

from __future__ import annotations

import pytest

from stpulse.application.accounts import admin_users as admin
from stpulse.application.accounts import content, documents, search, teams
from stpulse.domain.kernel.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationError
from tests.unit.foundation.helpers import actor_for

PDF = b"%PDF-1.4\n" + b"x" * 100


async def test_invited_analyst_joins_read_only(deps):
    analyst = await actor_for(deps, email="analyst@example.ru", role="analyst")
    assert analyst.membership.role.value == "analyst"
    assert analyst.account.name == "Владелец"  # joined the owner's account, got no account of its own
    with pytest.raises(PermissionDenied):
        await teams.invite_member(deps, analyst, teams.Invite(email="x@example.ru", role="manager"))
    with pytest.raises(PermissionDenied):
        await documents.upload_document(deps, analyst, "a.pdf", PDF)


async def test_invite_token_is_single_use_and_bound_to_email(deps, mailer):
    owner = await actor_for(deps)
    await teams.invite_member(deps, owner, teams.Invite(email="m@example.ru", role="manager"))
    token = mailer.last_link("m@example.ru").rsplit("/", 1)[-1]
    with pytest.raises(Conflict):
        await teams.invite_member(deps, owner, teams.Invite(email="owner@example.ru", role="manager"))
    invitation = await teams.invitation_for_token(deps, token)
    assert invitation.email == "m@example.ru"
    with pytest.raises(ValidationError):
        await teams.invite_member(deps, owner, teams.Invite(email="z@example.ru", role="owner"))


async def test_upload_limits_and_types(deps):
    owner = await actor_for(deps)
    doc = await documents.upload_document(deps, owner, "договор.pdf", PDF)
    assert (await documents.download_document(deps, owner, doc.id))[1] == PDF
    too_big = b"%PDF-" + b"0" * deps.config.upload_max_bytes
    with pytest.raises(ValidationError, match="Проверьте") as big:
        await documents.upload_document(deps, owner, "big.pdf", too_big)
    assert "больше допустимого" in big.value.fields["file"]
    for name, data, text in [("run.exe", b"MZ\x90", "Недопустимый тип"), ("fake.pdf", b"<html>", "не соответствует"),
                             ("empty.pdf", b"", "непустой")]:
        with pytest.raises(ValidationError) as info:
            await documents.upload_document(deps, owner, name, data)
        assert text in info.value.fields["file"]
    listing = await documents.list_documents(deps, owner)
    assert listing.total == 1


async def test_other_account_cannot_see_documents(deps):
    owner = await actor_for(deps)
    stranger = await actor_for(deps, email="stranger@example.ru")
    doc = await documents.upload_document(deps, owner, "a.pdf", PDF)
    with pytest.raises(NotFound):
        await documents.download_document(deps, stranger, doc.id)
    with pytest.raises(NotFound):
        await documents.delete_document(deps, stranger, doc.id)


async def test_pages_are_admin_only_and_searchable(deps):
    owner = await actor_for(deps)
    with pytest.raises(PermissionDenied):
        await content.save_page(deps, owner.user, content.PageForm(slug="help", title="Справка"))
    root = await admin.make_admin(deps, "root@example.ru", "root-password-1")
    await content.save_page(deps, root, content.PageForm(slug="help", title="Справка по отчётам",
                                                         body_markdown="ОПиУ", published=True))
    with pytest.raises(Conflict):
        await content.save_page(deps, root, content.PageForm(slug="help", title="Дубль"))
    with pytest.raises(ValidationError):
        await content.save_page(deps, root, content.PageForm(slug="Плохой адрес", title="x"))
    hits = await search.search_cabinet(deps, owner, "отчёт")
    assert [h.url for h in hits] == ["/pages/help"]


async def test_admin_blocks_user_and_it_is_audited(deps):
    owner = await actor_for(deps)
    root = await admin.make_admin(deps, "root@example.ru", "root-password-1")
    blocked = await admin.set_blocked(deps, root, owner.user.id, True, "спам")
    assert blocked.is_blocked
    assert deps.uow.store.audit[-1][1:4] == ("user.block", f"user:{owner.user.id}", "спам")  # type: ignore[attr-defined]
    with pytest.raises(DomainError):
        await admin.set_blocked(deps, root, root.id, True)
    listing = await admin.list_users(deps, root, "owner@")
    assert [u.email for u in listing.items] == ["owner@example.ru"]


async def test_member_of_two_accounts_switches_between_them(deps, mailer):
    from stpulse.application.accounts import identity as accounts
    from stpulse.application.accounts import sessions

    other_owner = await actor_for(deps, email="second-owner@example.ru")
    analyst = await actor_for(deps, email="analyst@example.ru", role="analyst")  # joins "owner-of-analyst@..."
    await teams.invite_member(deps, other_owner, teams.Invite(email="analyst@example.ru", role="manager"))
    token = mailer.last_link("analyst@example.ru").rsplit("/", 1)[-1]
    await teams.accept_invitation(deps, token, analyst.user)
    signed = await accounts.login(deps, accounts.Login(email="analyst@example.ru", password="correct-horse-1"))
    visitor = await sessions.resolve_session(deps, signed.session_token)
    assert len(visitor.accounts) == 2
    await sessions.switch_account(deps, signed.session_token, other_owner.account_id)
    switched = await sessions.resolve_session(deps, signed.session_token)
    assert switched.actor.account_id == other_owner.account_id and switched.actor.membership.role.value == "manager"
    with pytest.raises(NotFound):
        stranger = await actor_for(deps, email="stranger@example.ru")
        await sessions.switch_account(deps, signed.session_token, stranger.account_id)
