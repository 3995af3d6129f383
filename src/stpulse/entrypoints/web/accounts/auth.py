"""Registration, e-mail confirmation, login, logout, password recovery and invitations."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from stpulse.application.accounts import email_change, sessions, teams
from stpulse.application.accounts import identity as accounts
from stpulse.domain.accounts.users import CONSENT_TEXT
from stpulse.domain.kernel.errors import DomainError, TooManyAttempts, ValidationError
from stpulse.entrypoints.web.auth import (
    SESSION_COOKIE,
    client_ip,
    current_visitor,
    deps_of,
    session_cookie,
)
from stpulse.entrypoints.web.forms import parse_form
from stpulse.entrypoints.web.render import form_error, redirect, render


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/app"


class AuthController(Controller):
    path = "/auth"

    @get("/register")
    async def register_page(self, request: Request, invite: str = "") -> Template:
        return render(request, "accounts/auth/register.html", consent_text=CONSENT_TEXT, invite=invite)

    @post("/register")
    async def register_submit(self, request: Request) -> Template | Redirect:
        cmd, raw = await parse_form(request, accounts.Register)
        try:
            user = await accounts.register(deps_of(request), cmd)
        except ValidationError as exc:
            return form_error(request, "accounts/auth/register.html", exc, raw, consent_text=CONSENT_TEXT,
                              invite=cmd.invite_token)
        if cmd.invite_token and user is not None:
            return redirect(request, "/auth/login?joined=1")
        # the same page whether the address was new or taken (its owner got a mail): nothing to enumerate
        return render(request, "accounts/auth/check_mail.html", email=cmd.email.strip().lower())

    @get("/confirm/{token:str}")
    async def confirm(self, request: Request, token: str) -> Template:
        try:
            await accounts.confirm_email(deps_of(request), token)
        except DomainError as exc:
            return render(request, "accounts/auth/message.html", title="Ссылка не сработала", message=exc.message, status=400)
        return render(request, "accounts/auth/message.html", title="Почта подтверждена",
                      message="Спасибо! Теперь можно войти в кабинет.", login_link=True)

    @get("/email/{token:str}")
    async def confirm_new_email(self, request: Request, token: str) -> Template:
        try:
            user = await email_change.confirm_email_change(deps_of(request), token)
        except DomainError as exc:
            return render(request, "accounts/auth/message.html", title="Ссылка не сработала", message=exc.message,
                          status=exc.status)
        return render(request, "accounts/auth/message.html", title="Почта изменена",
                      message=f"Теперь для входа используйте адрес {user.email}.", login_link=True)

    @get("/login")
    async def login_page(self, request: Request, next: str = "", joined: str = "") -> Template:
        return render(request, "accounts/auth/login.html", next=_safe_next(next), joined=bool(joined))

    @post("/login")
    async def login_submit(self, request: Request) -> Template | Redirect:
        raw = dict(await request.form())
        cmd = accounts.Login(email=str(raw.get("email", "")), password=str(raw.get("password", "")),
                             ip=client_ip(request))
        target = _safe_next(str(raw.get("next", "")))
        try:
            signed = await accounts.login(deps_of(request), cmd)
        except ValidationError as exc:
            return form_error(request, "accounts/auth/login.html", exc, {"email": cmd.email}, next=target)
        except DomainError as exc:
            return render(request, "accounts/auth/login.html", status=exc.status, form={"email": cmd.email}, next=target,
                          errors={"form": exc.message})
        max_age = deps_of(request).config.session_days * 86400
        response = redirect(request, target)
        response.set_cookie(session_cookie(request, signed.session_token, max_age))
        return response

    @post("/logout")
    async def logout(self, request: Request) -> Redirect:
        raw = request.cookies.get(SESSION_COOKIE, "")
        if raw:
            await accounts.logout(deps_of(request), raw)
        response = redirect(request, "/auth/login")
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @get("/forgot")
    async def forgot_page(self, request: Request) -> Template:
        return render(request, "accounts/auth/forgot.html")

    @post("/forgot")
    async def forgot_submit(self, request: Request) -> Template:
        raw = dict(await request.form())
        try:
            await accounts.request_password_reset(deps_of(request), str(raw.get("email", "")), client_ip(request))
        except TooManyAttempts as exc:
            return render(request, "accounts/auth/forgot.html", status=exc.status, form={"email": raw.get("email", "")},
                          errors={"form": exc.message})
        return render(request, "accounts/auth/message.html", title="Проверьте почту",
                      message="Если такой адрес зарегистрирован, мы отправили на него ссылку для смены пароля. "
                              "Ссылка действует 1 час.")

    @get("/reset/{token:str}")
    async def reset_page(self, request: Request, token: str) -> Template:
        return render(request, "accounts/auth/reset.html", token=token)

    @post("/reset/{token:str}")
    async def reset_submit(self, request: Request, token: str) -> Template:
        raw = dict(await request.form())
        try:
            await accounts.reset_password(deps_of(request), token, str(raw.get("password", "")),
                                          str(raw.get("password_confirm", "")))
        except ValidationError as exc:
            return form_error(request, "accounts/auth/reset.html", exc, {}, token=token)
        except DomainError as exc:
            return render(request, "accounts/auth/message.html", title="Ссылка не сработала", message=exc.message, status=400)
        return render(request, "accounts/auth/message.html", title="Пароль изменён",
                      message="Новый пароль сохранён. Все сеансы завершены, старые ссылки восстановления и "
                              "API-токены отозваны. Войдите с новым паролем.", login_link=True)


class InviteController(Controller):
    path = "/invite"

    @get("/{token:str}")
    async def show(self, request: Request, token: str) -> Template:
        try:
            invitation = await teams.invitation_for_token(deps_of(request), token)
        except DomainError as exc:
            return render(request, "accounts/auth/message.html", title="Приглашение", message=exc.message, status=400)
        visitor = await current_visitor(request)
        return render(request, "accounts/auth/invite.html", invitation=invitation, token=token, visitor=visitor,
                      consent_text=CONSENT_TEXT, form={"email": invitation.email})

    @post("/{token:str}/accept")
    async def accept(self, request: Request, token: str) -> Template | Redirect:
        visitor = await current_visitor(request)
        if visitor is None:
            return redirect(request, f"/auth/login?next=/invite/{token}")
        try:
            membership = await teams.accept_invitation(deps_of(request), token, visitor.user)
            await sessions.switch_account(deps_of(request), request.cookies.get(SESSION_COOKIE, ""),
                                          membership.account_id)
        except DomainError as exc:
            return render(request, "accounts/auth/message.html", title="Приглашение", message=exc.message, status=400)
        return redirect(request, "/app")
