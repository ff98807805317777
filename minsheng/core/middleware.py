from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from .context import ActingContext, _current


class RequestContextMiddleware:
    """Gives each request an id (echoed in X-Request-ID) and makes the user available to the audit log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        ctx = ActingContext(user=getattr(request, "user", None), ip=request.META.get("REMOTE_ADDR"))
        incoming = request.headers.get("X-Request-ID", "")
        if incoming and len(incoming) <= 64 and incoming.replace("-", "").isalnum():
            ctx.request_id = incoming
        request.request_id = ctx.request_id  # type: ignore[attr-defined]  # read by the error pages
        token = _current.set(ctx)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = ctx.request_id
        return response
