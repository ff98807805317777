"""The residents' phone pages: upcoming meetings at my 小区 and 社区, proposing a topic, and the published minutes
with what became of each item raised.

A resident is known by his account: the places he lives (his 居民 memberships, and the registry row linked to the
account). He sees the meetings held at those places or above them — his 小区, his 社区 — never another compound's.
Minutes are shown only once the convenor publishes them; items show their state, never who raised them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from minsheng.accounts.choices import Role
from minsheng.core import clock
from minsheng.core.errors import IllegalTransition

from .. import actions, queries
from ..choices import MeetingStatus
from ..forms import ProposeForm, add_action_errors
from ..models import Meeting


def home_paths(user) -> list[str]:
    """Materialised paths of the places the resident lives."""
    paths = {m.node.path for m in user.active_memberships if m.role == Role.RESIDENT}
    resident = getattr(user, "resident", None)
    if resident is not None:
        paths.add(resident.node.path)
    return sorted(paths)


def my_meetings(user):
    """Meetings at a place that contains one of the resident's homes (his 小区, his 社区)."""
    paths = home_paths(user)
    if not paths:
        return Meeting.objects.none()
    prefixes = {p[:i] for p in paths for i in range(4, len(p) + 1, 4)}
    return Meeting.objects.filter(node__path__in=prefixes).select_related("kind", "node")


@login_required
@require_GET
def home(request):
    mine = my_meetings(request.user)
    now = clock.now()
    upcoming = mine.filter(status=MeetingStatus.SCHEDULED, starts_at__gte=now).order_by("starts_at")[:10]
    published = mine.filter(status=MeetingStatus.CLOSED, minutes_published=True).order_by("-starts_at")[:20]
    return render(
        request,
        "deliberation/h5/home.html",
        {"upcoming": upcoming, "published": published, "has_home": bool(home_paths(request.user))},
    )


def _visible_meeting(request, pk) -> Meeting:
    meeting = (
        my_meetings(request.user)
        .filter(pk=pk)
        .filter(Q(status=MeetingStatus.SCHEDULED) | Q(status=MeetingStatus.CLOSED, minutes_published=True))
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


@login_required
@require_http_methods(["GET", "POST"])
def meeting(request, pk):
    meeting = _visible_meeting(request, pk)
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_propose_topic(meeting, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        except IllegalTransition as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("议题已提交，召集人会列入议程"))
            return redirect("delib_h5:meeting", meeting.pk)
    items = []
    if meeting.status == MeetingStatus.CLOSED:
        items = [
            {"item": i, "outcome": queries.item_outcome(i)}
            for i in meeting.items.select_related("case").order_by("pk")
        ]
    return render(
        request,
        "deliberation/h5/meeting.html",
        {
            "meeting": meeting,
            "form": form,
            "topics": meeting.topics.order_by("pk"),
            "items": items,
            "open_for_topics": meeting.status == MeetingStatus.SCHEDULED and meeting.starts_at > clock.now(),
        },
    )
