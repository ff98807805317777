"""A database too busy to answer in time is a 503 with Retry-After, never a 500.

The embedded default is SQLite: writers queue on one lock, each waiting up to the busy timeout (settings:
20 s). Under a burst of writers the last in the queue can still time out ("database is locked"); the request then
failed with a server error although nothing was wrong but the crowd. A 503 says the truth — try again shortly —
and clients (browsers retrying a form, the API's callers, load balancers) know what to do with it.
"""

import logging

from django.db import OperationalError
from django.http import HttpResponse, JsonResponse

log = logging.getLogger(__name__)

#: How long a client should wait before trying again (seconds).
RETRY_AFTER = 2
BUSY_MESSAGES = ("database is locked", "database table is locked")


class BusyDatabaseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError) or not any(m in str(exception) for m in BUSY_MESSAGES):
            return None
        log.warning("database busy, answered 503: %s %s (%s)", request.method, request.path, exception)
        message = "系统繁忙，请稍后重试"
        if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
            response = JsonResponse({"detail": message, "code": "busy"}, status=503)
        else:
            response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(RETRY_AFTER)
        return response
