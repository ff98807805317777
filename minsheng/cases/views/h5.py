"""The residents' phone pages (H5): report a problem without an account, follow it, rate it, reopen it.

Residents hold no capability, so the cases they may read are not found through role scopes (`visible_to`) but
through what they can prove: a code sent to the phone on the case, a signed cookie (or a signed link) handed out
when they submitted or proved the phone, or — signed in with a resident account — the account or its phone number
on the case. Whatever fails, a resident is told the same "找不到", so nobody can probe which numbers exist.

Residents see the public events only, in plain words, and never a staff member's name: the unit answers.
"""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from minsheng.core import clock, parsing, sms
from minsheng.core.badges import Colour
from minsheng.core.errors import IllegalTransition
from minsheng.core.masking import mask_phone
from minsheng.core.pagination import PHONE_PAGE_SIZE, paginate
from minsheng.org.choices import NodeKind
from minsheng.org.models import Grid, Node

from .. import actions
from ..choices import RESIDENT_STATUS_COLOURS, Channel, Satisfaction, Status
from ..forms.h5 import (
    PLACE_KINDS,
    PhoneCodeForm,
    PhoneForm,
    RateForm,
    ReopenForm,
    SubmitForm,
    TrackForm,
    place_groups,
    selectable_categories,
)
from ..models import Case, CaseAttachment, Category

S = Status

# -- who may follow which case -------------------------------------------------------------------------------

ACCESS_COOKIE = "minsheng_h5"
ACCESS_SALT = "minsheng.h5.access"
LINK_SALT = "minsheng.h5.link"
ACCESS_MAX_AGE = 365 * 24 * 60 * 60
#: How many cases one browser remembers (the newest first).
ACCESS_KEEP = 20


def _granted_ids(request) -> list[int]:
    raw = request.get_signed_cookie(ACCESS_COOKIE, default="", salt=ACCESS_SALT, max_age=ACCESS_MAX_AGE)
    return [int(part) for part in raw.split(",") if parsing.is_id(part)]


def _grant(request, response, case: Case):
    """Remember in this browser that its user proved they may follow `case`."""
    ids = [case.pk, *(pk for pk in _granted_ids(request) if pk != case.pk)][:ACCESS_KEEP]
    response.set_signed_cookie(
        ACCESS_COOKIE,
        ",".join(str(pk) for pk in ids),
        salt=ACCESS_SALT,
        max_age=ACCESS_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def follow_link(case: Case) -> str:
    """A link that opens the case in any browser: for a resident whose phone's browser forgets cookies."""
    return reverse("h5:link", args=[signing.dumps(case.pk, salt=LINK_SALT, compress=True)])


def _account_phone(user) -> str:
    return (getattr(user, "phone", "") or "") if user.is_authenticated else ""


def own_cases(user):
    """The cases a signed-in resident reported: through the account, or under the account's phone number."""
    if not user.is_authenticated:
        return Case.objects.none()
    condition = Q(reporter_user=user)
    if user.phone:
        condition |= Q(reporter_phone=user.phone)
    return Case.objects.filter(condition)


def _may_follow(request, case: Case) -> bool:
    if case.pk in _granted_ids(request):
        return True
    user = request.user
    if not user.is_authenticated:
        return False
    return case.reporter_user_id == user.pk or bool(user.phone and case.reporter_phone == user.phone)


def _followed_case(request, number: str) -> Case | None:
    """The case with this number if this visitor may follow it, else None (absent and not-yours look alike)."""
    case = (
        Case.objects.select_related("kind", "category", "node", "lead_unit", "merged_into")
        .filter(number=(number or "").strip().upper())
        .first()
    )
    if case is None or not _may_follow(request, case):
        return None
    return case


def _not_found_redirect(number: str):
    return redirect(f"{reverse('h5:track')}?{urlencode({'number': number[:32]})}")


# -- what residents read -------------------------------------------------------------------------------------

RESIDENT_STATUS = {
    S.REGISTERED: gettext_lazy("待受理"),
    S.ACCEPTED: gettext_lazy("已受理"),
    S.REJECTED: gettext_lazy("不予受理"),
    S.MERGED: gettext_lazy("合并办理"),
    S.DISPATCHED: gettext_lazy("已派单"),
    S.RETURNED: gettext_lazy("重新派单中"),
    S.HANDLING: gettext_lazy("办理中"),
    S.SHELVED: gettext_lazy("分阶段办理中"),
    S.REPLIED: gettext_lazy("办结核查中"),
    S.RESOLVED: gettext_lazy("已办结，待评价"),
    S.ARCHIVED: gettext_lazy("已办结"),
}


#: The stepper at the top of a case: 提交 → 受理 → 办理 → 办结 → 评价.
STEPS = [
    gettext_lazy("提交"),
    gettext_lazy("受理"),
    gettext_lazy("办理"),
    gettext_lazy("办结"),
    gettext_lazy("评价"),
]
#: The last step each state has completed; the step after it is the one under way.
_STEP_DONE = {
    S.REGISTERED: 0,
    S.ACCEPTED: 1,
    S.DISPATCHED: 1,
    S.RETURNED: 1,
    S.HANDLING: 1,
    S.SHELVED: 1,
    S.REPLIED: 1,
    S.RESOLVED: 3,
    S.ARCHIVED: 4,
}


def resident_status(case: Case) -> dict:
    return {
        "label": RESIDENT_STATUS.get(case.status, case.get_status_display()),
        "tone": RESIDENT_STATUS_COLOURS.get(case.status, Colour.BLUE),
    }


def _steps(case: Case) -> list[dict]:
    done = _STEP_DONE.get(case.status)
    if done is None:  # 不予受理 / 并单: the loop stops here
        return []
    return [{"label": label, "done": i <= done, "current": i == done + 1} for i, label in enumerate(STEPS)]


def _event_words(event, unit: str) -> tuple[str, str]:
    """(headline, sentence) of one public event in a resident's words. Staff notes are shown only where they
    are meant for the resident: the reason for 不予受理, the result of the handling, the resident's own reason."""
    verb, extra = event.verb, event.extra or {}
    unit = unit or _("承办单位")
    if verb == "register":
        return _("已提交"), _("您的诉求已提交，等待受理")
    if verb == "accept":
        return _("已受理"), _("您的诉求已受理，正在安排办理")
    if verb == "reject":
        return _("不予受理"), event.note
    if verb == "merge":
        return _("合并办理"), _("与其他居民反映的同一问题合并办理")
    if verb in ("dispatch", "redispatch"):
        return _("已派单"), _("已派给%(unit)s办理") % {"unit": unit}
    if verb == "sign":
        return _("办理中"), _("%(unit)s已接单，正在办理") % {"unit": unit}
    if verb == "return":
        return _("重新派单"), _("正在重新安排承办单位")
    if verb == "resume":
        return _("恢复办理"), _("%(unit)s恢复办理") % {"unit": unit}
    if verb == "reply":
        return _("办理完成"), event.note
    if verb == "verify_pass":
        return _("已办结"), _("办理结果已核查通过")
    if verb == "verify_fail":
        return _("继续办理"), _("核查发现问题尚未完全解决，继续办理")
    if verb in ("follow_up", "redo"):
        label = dict(Satisfaction.choices).get(extra.get("satisfaction"), "")
        if verb == "redo":
            return _("重新办理"), _("评价为“%(s)s”，已安排重新办理") % {"s": label}
        headline = _("已评价") if event.actor_id is None else _("已回访")
        return headline, _("评价：%(s)s") % {"s": label}
    if verb == "reopen":
        if extra.get("by_reporter"):
            return _("重新办理"), _("您申请重新办理：%(reason)s") % {"reason": event.note}
        return _("重新办理"), _("诉求已重新打开，继续办理")
    if verb == "archive":
        return _("已归档"), _("办理完毕，已归档")
    if verb == "recategorize" and extra.get("new"):
        return _("调整类别"), _("问题类别调整为“%(new)s”") % {"new": extra["new"]}
    label = RESIDENT_STATUS.get(event.to_status, "")
    return str(label or _("办理进展")), ""


def resident_timeline(case: Case) -> list[dict]:
    """The public events of a case, newest first, with the photos attached to them."""
    events = list(
        case.events.filter(public=True).prefetch_related("attachments").order_by("created_at", "pk")
    )
    unit = ""
    entries = []
    for event in events:
        if event.verb in ("dispatch", "redispatch") and (event.extra or {}).get("unit"):
            unit = event.extra["unit"]
        headline, sentence = _event_words(event, unit)
        entries.append(
            {
                "at": event.created_at,
                "headline": headline,
                "sentence": sentence,
                # The resident's own photos are shown with the description, not again here.
                "files": [] if event.verb == "register" else list(event.attachments.all()),
            }
        )
    entries.reverse()
    return entries


def _reopen_window(case: Case) -> dict | None:
    """Whether the resident may reopen now, and until when; None while the case is not done, or for a kind that
    cannot be reopened at all."""
    days = case.kind.reopen_days
    if case.status not in (S.RESOLVED, S.ARCHIVED) or not days:
        return None
    done_at = case.resolved_at or case.archived_at
    until = done_at + dt.timedelta(days=days) if done_at else None
    return {"open": until is None or clock.now() <= until, "until": until, "days": days}


# -- pages ---------------------------------------------------------------------------------------------------
# What a page shows depends on who asks (the signed cookie, the account): never_cache keeps shared proxies and
# browser caches from showing one resident's case to the next person.


@never_cache
@require_GET
def home(request):
    """Three big doors (report, follow, mine) and the cases this browser remembers."""
    ids = _granted_ids(request)[:5]
    remembered = {c.pk: c for c in Case.objects.filter(pk__in=ids)}
    recent = [
        {"case": remembered[pk], "status": resident_status(remembered[pk])} for pk in ids if pk in remembered
    ]
    return render(request, "cases/h5/home.html", {"recent": recent})


@never_cache
def submit(request):
    """反映问题: anyone with a phone; a signed-in resident's own number needs no code."""
    verified_phone = _account_phone(request.user)
    if request.method == "POST":
        form = SubmitForm(request.POST, request.FILES, verified_phone=verified_phone)
        if form.is_valid():
            case = _register(request, form, verified_phone)
            if case is not None:
                response = redirect("h5:submitted", number=case.number)
                return _grant(request, response, case)
        status = 400
    else:
        initial = {}
        if request.user.is_authenticated:
            initial = {"phone": verified_phone, "reporter_name": request.user.display_name}
        form = SubmitForm(initial=initial, verified_phone=verified_phone)
        status = 200
    return render(request, "cases/h5/submit.html", _submit_context(form, verified_phone), status=status)


def _submit_context(form, verified_phone: str) -> dict:
    estate = form["estate"].value() if form.is_bound else None
    buildings = []
    if estate and parsing.is_id(estate):
        parent = Node.objects.filter(pk=estate, kind__in=PLACE_KINDS).first()
        buildings = _buildings_of(parent) if parent else []
    return {
        "form": form,
        "categories": selectable_categories(),
        "places": place_groups(),
        "buildings": buildings,
        "verified_phone": verified_phone,
        "chosen_category": str(form["category"].value() or ""),
        "chosen_estate": str(estate or ""),
        "chosen_building": str(form["building"].value() or ""),
    }


#: Which form field shows an error the engine raised about one of its own arguments.
_ENGINE_FIELDS = {
    "node": "estate",
    "location": "estate",
    "description": "description",
    "category": "category",
    "files": "photos",
}


def _register(request, form: SubmitForm, verified_phone: str) -> Case | None:
    data = form.cleaned_data
    phone = data["phone"]
    needs_code = phone != verified_phone
    if needs_code and not sms.check_code(phone, data["code"], consume=False):
        form.add_error("code", _("验证码不正确或已过期，请重新获取"))
        return None
    try:
        case = actions.do_register(
            actor=None,
            kind="appeal",
            channel=Channel.ONLINE,
            category=data["category"],
            description=data["description"],
            node=form.place,
            lat=data.get("lat"),
            lng=data.get("lng"),
            address=data.get("address", ""),
            reporter_name=data.get("reporter_name", ""),
            reporter_phone=phone,
            reporter_user=request.user if request.user.is_authenticated else None,
            anonymous=data.get("anonymous", False),
            files=data.get("photos", []),
        )
    except ValidationError as exc:
        by_field = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        for field, errors in by_field.items():
            if field == "node" and form.place is None:
                errors = [_("您的位置不在本街道的网格范围内，请选择小区")]
            form.add_error(_ENGINE_FIELDS.get(field), errors)
        return None
    if needs_code:
        sms.consume_code(phone)
    return case


@never_cache
@require_GET
def submitted(request, number):
    case = _followed_case(request, number)
    if case is None:
        return _not_found_redirect(number)
    return render(
        request,
        "cases/h5/submitted.html",
        {"case": case, "link": request.build_absolute_uri(follow_link(case))},
    )


NOT_FOUND = gettext_lazy("找不到这条诉求。请核对诉求编号、手机号和验证码后重试。")


@never_cache
def track(request):
    """查询进度: number + phone + a code sent to that phone. Any mismatch reads the same."""
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            number, phone = form.cleaned_data["number"], form.cleaned_data["phone"]
            # The code first, always: whether the number exists must not change what happens.
            code_ok = sms.check_code(phone, form.cleaned_data["code"], consume=False)
            case = Case.objects.filter(number=number, reporter_phone=phone).first() if code_ok else None
            if case is not None:
                sms.consume_code(phone)
                return _grant(request, redirect("h5:case", number=case.number), case)
            return render(request, "cases/h5/track.html", {"form": form, "not_found": NOT_FOUND}, status=400)
        return render(request, "cases/h5/track.html", {"form": form}, status=400)
    number = request.GET.get("number", "")[:32]
    if number and _followed_case(request, number) is not None:
        return redirect("h5:case", number=number.strip().upper())
    form = TrackForm(initial={"number": number, "phone": _account_phone(request.user)})
    return render(request, "cases/h5/track.html", {"form": form})


@never_cache
@require_GET
def link(request, token):
    """A signed follow link: remembered in this browser, then the case."""
    try:
        pk = signing.loads(token, salt=LINK_SALT, max_age=ACCESS_MAX_AGE)
        case = Case.objects.get(pk=pk)
    except (signing.BadSignature, Case.DoesNotExist, TypeError, ValueError):
        context = {"form": TrackForm(), "not_found": NOT_FOUND}
        return render(request, "cases/h5/track.html", context, status=404)
    return _grant(request, redirect("h5:case", number=case.number), case)


@never_cache
def case_detail(request, number, *, rate_form=None, reopen_form=None, status=200):
    case = _followed_case(request, number)
    if case is None:
        return _not_found_redirect(number)
    context = {
        "case": case,
        "status": resident_status(case),
        "steps": _steps(case),
        "timeline": resident_timeline(case),
        "photos": list(case.attachments.filter(event__verb="register", event__public=True)),
        "phone_masked": mask_phone(case.reporter_phone),
        "can_rate": case.status == S.RESOLVED,
        "rate_form": rate_form or RateForm(),
        "reopen": _reopen_window(case),
        "reopen_form": reopen_form or ReopenForm(),
        "link": request.build_absolute_uri(follow_link(case)),
        "category_label": _category_label(case.category),
        "merged_status": resident_status(case.merged_into)["label"] if case.merged_into else "",
    }
    return render(request, "cases/h5/case.html", context, status=status)


def _category_label(category) -> str:
    """The category as 大类 · 中类: for a resident the top of the tree says more than the second level alone."""
    if category.depth == 1:
        return category.name
    top = Category.objects.filter(path=category.path[: Category.steplen]).first()
    return f"{top.name} · {category.name}" if top else category.name


@require_POST
def rate(request, number):
    case = _followed_case(request, number)
    if case is None:
        return _not_found_redirect(number)
    form = RateForm(request.POST)
    if not form.is_valid():
        return case_detail(request, number, rate_form=form, status=400)
    data = form.cleaned_data
    try:
        actions.do_follow_up(
            case,
            actor=None,
            by_reporter=True,
            reachable=True,
            resolved=data["resolved"],
            satisfaction=data["satisfaction"],
            comment=data["comment"],
        )
    except (IllegalTransition, ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
        return redirect("h5:case", number=case.number)
    if data["satisfaction"] == Satisfaction.UNSATISFIED:
        messages.warning(request, _("已收到您的评价，我们会重新办理并尽快给您答复。"))
    else:
        messages.success(request, _("感谢您的评价！"))
    return redirect("h5:case", number=case.number)


@require_POST
def reopen(request, number):
    case = _followed_case(request, number)
    if case is None:
        return _not_found_redirect(number)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return case_detail(request, number, reopen_form=form, status=400)
    try:
        actions.do_reopen(case, reason=form.cleaned_data["reason"], by_reporter=True)
    except (IllegalTransition, ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
        return redirect("h5:case", number=case.number)
    messages.success(request, _("已重新提交办理，我们会尽快处理。"))
    return redirect("h5:case", number=case.number)


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


@never_cache
def resident_login(request):
    """居民登录: a phone number and the code sent to it. The first login makes the account (a resident's, with no
    role and no password); staff accounts sign in on the workbench with their password, never by a code."""
    from django.contrib.auth import get_user_model, login
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or reverse("h5:mine")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("h5:mine")
    if request.user.is_authenticated and request.method == "GET":
        return redirect(target)
    form = PhoneCodeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        if not sms.check_code(phone, form.cleaned_data["code"], consume=False):
            error = _("验证码不正确或已过期，请重新获取")
        else:
            User = get_user_model()
            user = User.objects.filter(phone=phone).first()
            if user is not None and (user.is_superuser or user.is_staff_member):
                error = _("该手机号属于工作人员账号，请在工作台用账号密码登录")
            elif user is not None and not user.is_active:
                error = _("该账号已停用")
            else:
                sms.consume_code(phone)
                if user is None:
                    from minsheng.accounts.actions import create_user

                    user = create_user(
                        username=f"h5-{phone}", password=None, phone=phone, display_name=mask_phone(phone)
                    )
                login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
                return redirect(target)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "cases/h5/login.html", {"form": form, "error": error, "next": target}, status=status
    )


@require_POST
def resident_logout(request):
    from django.contrib.auth import logout

    logout(request)
    return redirect("h5:home")


@never_cache
@require_GET
def mine(request):
    """我的诉求: a signed-in resident's cases, newest first (everyone else signs in by phone first)."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('h5:login')}?{urlencode({'next': request.get_full_path()})}")
    cases = own_cases(request.user).select_related("category").order_by("-reported_at", "-pk")
    page = paginate(request, cases, per_page=PHONE_PAGE_SIZE)
    rows = [{"case": c, "status": resident_status(c)} for c in page.object_list]
    return render(request, "cases/h5/mine.html", {"page": page, "rows": rows})


@never_cache
@require_GET
def attachment(request, number, pk):
    """A photo or file of a public event, for whoever may follow the case."""
    case = _followed_case(request, number)
    if case is None:
        raise Http404
    item = get_object_or_404(CaseAttachment.objects.filter(case=case, event__public=True), pk=pk)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    return FileResponse(
        handle, content_type=item.content_type, as_attachment=not item.is_image, filename=item.name
    )


# -- small JSON endpoints for the form -----------------------------------------------------------------------


@require_POST
def send_code(request):
    """获取验证码 (fetch from the form). 400 for a bad number, 429 when asked too often, 503 when the SMS
    gateway fails."""
    form = PhoneForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"ok": False, "error": form.errors["phone"][0]}, status=400)
    try:
        sms.send_code(form.cleaned_data["phone"], ip=request.META.get("REMOTE_ADDR"))
    except sms.RateLimited as exc:
        return JsonResponse({"ok": False, "error": str(exc), "retry_after": exc.retry_after}, status=429)
    except sms.SendFailed as exc:
        return JsonResponse({"ok": False, "error": str(exc)}, status=503)
    return JsonResponse(
        {
            "ok": True,
            "message": _("验证码已发送，%(m)d 分钟内有效") % {"m": sms.CODE_TTL // 60},
            "resend_after": sms.RESEND_SECONDS,
        }
    )


@require_POST
def check_code(request):
    """Check the code before the form is sent: a wrong code must not cost the resident the photos they chose
    (a browser cannot put files back into a re-shown form). The try counts like any other; the code stays."""
    form = PhoneCodeForm(request.POST)
    if not form.is_valid():
        error = next(iter(form.errors.values()))[0]
        return JsonResponse({"ok": False, "error": error}, status=400)
    if not sms.check_code(form.cleaned_data["phone"], form.cleaned_data["code"], consume=False):
        return JsonResponse({"ok": False, "error": _("验证码不正确或已过期，请重新获取")}, status=400)
    return JsonResponse({"ok": True})


def _buildings_of(parent: Node) -> list[Node]:
    return list(
        Node.objects.filter(
            path__startswith=parent.path, depth=parent.depth + 1, kind=NodeKind.BUILDING
        ).only("pk", "name")
    )


@require_GET
def buildings(request, pk):
    """The buildings of one 小区, for the second select list."""
    parent = Node.objects.filter(pk=pk, kind__in=PLACE_KINDS).first()
    if parent is None:
        return JsonResponse({"error": _("找不到该小区")}, status=404)
    return JsonResponse({"buildings": [{"id": b.pk, "name": b.name} for b in _buildings_of(parent)]})


@require_GET
def locate(request):
    """Which grid a position falls in, so the resident sees at once whether "use my position" worked."""
    try:
        lat, lng = float(request.GET["lat"]), float(request.GET["lng"])
    except (KeyError, ValueError):
        return JsonResponse({"error": _("位置信息无效")}, status=400)
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return JsonResponse({"error": _("位置信息无效")}, status=400)
    grid = Grid.objects.containing(lat, lng).select_related("community").first()
    if grid is None:
        return JsonResponse({"found": False, "message": _("您的位置不在本街道的网格范围内，请选择小区")})
    estate = _estate_at(grid, lat, lng)
    parts = [grid.community.name, grid.name] + ([estate.name] if estate is not None else [])
    return JsonResponse(
        {
            "found": True,
            "place": " · ".join(parts),
            "grid": grid.name,
            "estate": estate.name if estate is not None else "",
            "estate_id": estate.pk if estate is not None else None,
        }
    )


def _estate_at(grid, lat: float, lng: float):
    """The 小区 (or 自然村) of the grid the point lies in, else the nearest one's centre within about 300 m."""
    from shapely.geometry import Point, shape

    point = Point(lng, lat)
    nearest, best = None, 0.003**2
    for node in grid.nodes.filter(kind__in=[NodeKind.ESTATE, NodeKind.NATURAL_VILLAGE]):
        if node.geometry and shape(node.geometry).contains(point):
            return node
        if node.lat is not None and node.lng is not None:
            d = (node.lat - lat) ** 2 + (node.lng - lng) ** 2
            if d < best:
                nearest, best = node, d
    return nearest
