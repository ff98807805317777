"""The product's own error answers: pages for people, JSON for the API and Open311 (never Django's debug pages).

Django calls these for a URL nothing matches (404), a refused request (403), bad input found below the view such as
an oversized body (400), and an uncaught error (500). Paths under /api/ answer `{"detail": …}` like every other API
error; Open311 answers its specification's error list (`[{"code", "description"}]`, XML when the path ends in
.xml).
"""

from xml.sax.saxutils import escape

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

MESSAGES = {
    400: lambda: _("请求无效"),
    403: lambda: _("没有权限"),
    404: lambda: _("未找到"),
    500: lambda: _("服务器内部错误，已记录"),
}


def _machine_answer(request: HttpRequest, status: int, detail: str = "") -> HttpResponse | None:
    path = request.path
    message = detail or MESSAGES[status]()
    if path.startswith("/open311/"):
        if path.endswith(".xml"):
            body = (
                '<?xml version="1.0" encoding="utf-8"?>\n<errors><error>'
                f"<code>{status}</code><description>{escape(message)}</description></error></errors>"
            )
            return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
        return JsonResponse([{"code": status, "description": message}], status=status, safe=False)
    if path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return None


def _detail(exception: Exception | None) -> str:
    from django.core.exceptions import RequestDataTooBig

    if isinstance(exception, RequestDataTooBig):
        return _("请求体过大")
    return ""


def bad_request(request: HttpRequest, exception: Exception, template_name: str = "400.html") -> HttpResponse:
    return _machine_answer(request, 400, _detail(exception)) or defaults.bad_request(
        request, exception, template_name
    )


def permission_denied(
    request: HttpRequest, exception: Exception, template_name: str = "403.html"
) -> HttpResponse:
    return _machine_answer(request, 403) or defaults.permission_denied(request, exception, template_name)


def page_not_found(
    request: HttpRequest, exception: Exception, template_name: str = "404.html"
) -> HttpResponse:
    return _machine_answer(request, 404) or defaults.page_not_found(request, exception, template_name)


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    answer = _machine_answer(request, 500)
    if answer is not None:
        return answer
    # Rendered without a request context: the failure may lie in what a context processor reads.
    return HttpResponse(loader.get_template(template_name).render(), status=500)
