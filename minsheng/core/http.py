"""The request type of pages behind `staff_required` or `login_required`, for the type checker: there
`request.user` is an account, never the anonymous user."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from minsheng.accounts.models import User

    class AuthedRequest(HttpRequest):
        user: User

else:
    AuthedRequest = HttpRequest
