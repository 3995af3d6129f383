"""Domain errors → clear Russian pages or partials with the right 4xx status."""

from __future__ import annotations

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotFoundException, PermissionDeniedException
from litestar.response import Redirect, Template
from sqlalchemy.exc import TimeoutError as PoolTimeout

from stpulse.domain.kernel.errors import DomainError, ValidationError
from stpulse.entrypoints.web.auth import AdminRequired, LoginRequired, deps_of

DEFAULT_MESSAGE = ValidationError({}).message
API_PREFIX = "/api/"


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _page(request: Request, status: int, title: str, message: str, **extra: str) -> Template:
    name = "partials/error.html" if is_htmx(request) else "error.html"
    headers = {"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"} if is_htmx(request) else {}
    return Template(template_name=name, context={"title": title, "message": message, **extra}, status_code=status,
                    headers=headers)


def on_domain_error(request: Request, exc: DomainError) -> Response:
    titles = {404: "Не найдено", 403: "Нет доступа", 409: "Конфликт", 429: "Слишком много попыток",
              402: "Ограничение тарифа"}
    action_url = getattr(exc, "action_url", None)  # e.g. a tariff limit: «Выбрать тариф»
    action = {"action_url": action_url, "action_title": getattr(exc, "action_title", "")} if action_url else {}
    message = exc.message
    if isinstance(exc, ValidationError) and exc.fields and message == DEFAULT_MESSAGE:
        message = "; ".join(exc.fields.values())  # say what is wrong, not only that something is
    if request.url.path.startswith(API_PREFIX):  # the JSON API: the same message, as JSON
        body = {"error": message, "status": exc.status, **({"fields": exc.fields} if isinstance(exc, ValidationError)
                                                           else {}), **action}
        return Response(content=body, status_code=exc.status, media_type=MediaType.JSON)
    title = getattr(exc, "title", None) or titles.get(exc.status, "Ошибка")  # a tariff's refusal names itself
    return _page(request, exc.status, title, message, **action)


def on_login_required(request: Request, _: LoginRequired) -> Response:
    target = f"/auth/login?next={request.url.path}"
    if is_htmx(request):
        return Response(content="", status_code=401, headers={"HX-Redirect": target})
    return Redirect(path=target)


def on_admin_required(request: Request, _: AdminRequired) -> Response:
    return _page(request, 404, "Не найдено", "Такой страницы нет.")


def on_http_error(request: Request, exc: HTTPException) -> Response:
    from stpulse.entrypoints.web.middleware import RequestRefused

    if isinstance(exc, RequestRefused):
        return _page(request, exc.status_code, "Ошибка запроса", str(exc.detail))
    if exc.status_code == 403 and "CSRF" in str(exc.detail):
        return _page(request, 403, "Форма устарела", "Форма устарела или отправлена не с нашего сайта. "
                     "Обновите страницу и отправьте её снова.")
    if isinstance(exc, NotFoundException):
        return _page(request, 404, "Не найдено", "Такой страницы нет.")
    if isinstance(exc, PermissionDeniedException):
        return _page(request, 403, "Нет доступа", "Недостаточно прав.")
    if exc.status_code == 413:
        limit_mb = deps_of(request).config.upload_max_bytes / (1024 * 1024)
        return _page(request, 413, "Слишком большой файл",
                     f"Файл больше допустимого размера {limit_mb:.0f} МБ. Выберите файл поменьше.")
    return _page(request, exc.status_code, "Ошибка запроса", "Запрос не удалось обработать. Проверьте данные.")


def on_server_error(request: Request, exc: Exception) -> Response:
    import structlog

    from stpulse.entrypoints.logging import redact_path

    structlog.get_logger().exception("web.unhandled_error", path=redact_path(request.url.path))
    return _page(request, 500, "Что-то пошло не так", "Мы уже знаем об ошибке. Попробуйте ещё раз через минуту.")


def on_busy(request: Request, _: PoolTimeout) -> Response:
    """Every database connection of this process stayed busy for the pool's timeout: an overload, not a bug."""
    import structlog

    from stpulse.entrypoints.logging import redact_path

    structlog.get_logger().warning("web.pool_exhausted", path=redact_path(request.url.path))
    page = _page(request, 503, "Сервер перегружен", "Сейчас слишком много запросов. Повторите через минуту.")
    page.headers["Retry-After"] = "30"
    return page


EXCEPTION_HANDLERS = {
    PoolTimeout: on_busy,
    DomainError: on_domain_error,
    LoginRequired: on_login_required,
    AdminRequired: on_admin_required,
    HTTPException: on_http_error,
    Exception: on_server_error,
}
