"""What every page of the centre shares: the capability gate, running an action with its errors on the form."""

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from minsheng.core.errors import IllegalTransition
from minsheng.core.forms import apply_action_errors
from minsheng.core.views import staff_required

#: The centre's lists keep their 30 rows a page (core.pagination.paginate's `per_page`).
PAGE_SIZE = 30


def needs(capability: str):
    """A staff page for holders of `capability` somewhere; rows are still scoped per query."""

    def wrap(view):
        @functools.wraps(view)
        @staff_required
        def inner(request, *args, **kwargs):
            if not request.user.has_cap(capability):
                raise PermissionDenied(_("没有权限访问此页面"))
            return view(request, *args, **kwargs)

        return inner

    return wrap


def run(request, form, step, success: str) -> bool:
    """Call `step()` (an action); on refusal put the Chinese reason on the form (or the page) and say False."""
    try:
        step()
    except (ValidationError, PermissionDenied) as exc:
        if form is not None:
            apply_action_errors(form, exc)
        else:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return False
    except IllegalTransition as exc:
        if form is not None:
            form.add_error(None, str(exc))
        else:
            messages.error(request, str(exc))
        return False
    messages.success(request, success)
    return True
