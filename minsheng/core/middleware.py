from collections.abc import Callable
from typing import Any

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


class ContentSecurityPolicyMiddleware:
    """A strict Content-Security-Policy on every answer: every asset is vendored, so nothing but our own origin is
    needed. Scripts and `<style>` elements run only from our files or with this request's nonce
    (`request.csp_nonce`, used as `nonce="{{ request.csp_nonce }}"`); no eval. Inline style *attributes* stay
    allowed (`style-src-attr`): Leaflet and ECharts position their elements with them, and an attribute cannot run
    script. The API reference pages (Redoc, Swagger UI) inject `<style>` elements of their own, so there inline
    styles are allowed too (their scripts stay strict). Map tiles may come from the intranet tile server
    (`MINSHENG_MAP_TILES`). See docs/decisions/0017.
    """

    #: Pages whose third-party UI writes its own <style> elements.
    INLINE_STYLE_PATHS = ("/api/docs/", "/api/redoc/")

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response
        from urllib.parse import urlsplit

        from django.conf import settings

        tiles = urlsplit(getattr(settings, "MINSHENG_MAP_TILES", "") or "")
        self.tile_origin = f"{tiles.scheme}://{tiles.netloc}" if tiles.scheme and tiles.netloc else ""

    def __call__(self, request: Any) -> Any:
        import secrets

        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy(request)
        return response

    def policy(self, request: Any) -> str:
        nonce = f"'nonce-{request.csp_nonce}'"
        styles = "'unsafe-inline'" if request.path.startswith(self.INLINE_STYLE_PATHS) else nonce
        images = " ".join(filter(None, ["'self'", "data:", "blob:", self.tile_origin]))
        return "; ".join(
            [
                "default-src 'self'",
                f"script-src 'self' {nonce}",
                f"style-src 'self' {styles}",
                "style-src-attr 'unsafe-inline'",
                f"img-src {images}",
                "font-src 'self' data:",
                "connect-src 'self'",
                "worker-src 'self' blob:",
                "object-src 'none'",
                "base-uri 'self'",
                "form-action 'self'",
                "frame-ancestors 'none'",
            ]
        )
