"""The GeoReport v2 endpoints. Each builds plain data and lets formats.render write it as JSON or XML."""

from functools import wraps

from django.conf import settings
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from minsheng.cases import deadlines
from minsheng.cases.choices import LimitUnit

from . import feed, intake, services
from .actions import find_key
from .formats import Open311Error, param, render, render_error

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORMATS = ["text/xml", "application/json"]


def jurisdiction() -> str:
    return getattr(settings, "MINSHENG_OPEN311_JURISDICTION", "chengguan.local")


def endpoint(*methods: str):
    """Common to every endpoint: allowed methods, the jurisdiction_id check, errors as the spec's error list.

    Third-party clients post without a CSRF token; they authenticate with api_key instead.
    """
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, fmt: str = "xml", **kwargs):
            try:
                if request.method not in allowed:
                    raise Open311Error(400, _("该接口不支持 %(method)s 请求") % {"method": request.method})
                given = param(request.GET, "jurisdiction_id") or param(request.POST, "jurisdiction_id")
                if given and given != jurisdiction():
                    raise Open311Error(404, _("未知的 jurisdiction_id：%(id)s") % {"id": given})
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                return render_error(error, fmt)

        return wrapper

    return decorate


@endpoint("GET")
def discovery(request, fmt):
    changeset = services.changeset()
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt})).rsplit("/", 1)[0]
    data = {
        "changeset": changeset,
        "contact": getattr(settings, "MINSHENG_OPEN311_CONTACT", _("接入咨询请联系街道管理员")),
        "key_service": getattr(
            settings,
            "MINSHENG_OPEN311_KEY_SERVICE",
            _("提交诉求需要 api_key：由街道管理员在后台“配置管理 → Open311 接口 → Open311 接入密钥”中签发"),
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": changeset,
                "type": "production",
                "formats": FORMATS,
            }
        ],
    }
    return render(data, fmt, "discovery")


@endpoint("GET")
def service_list(request, fmt):
    return render([s.as_dict() for s in services.all_services()], fmt, "services")


@endpoint("GET")
def service_definition(request, code, fmt):
    return render(services.definition(services.get_service(code)), fmt, "service_definition")


@endpoint("GET", "POST")
def request_list(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    return render(feed.as_requests(feed.search(request.GET), request), fmt, "service_requests")


def _create(request, fmt):
    key = find_key(param(request.POST, "api_key"))
    if key is None:
        raise Open311Error(403, _("api_key 缺失或无效，无法提交诉求"))
    case = intake.submit(request.POST, key)
    limit = deadlines.limit_for(case.category, case.urgency)
    notice = _("诉求已登记，编号 %(number)s；受理后 %(amount)s 个%(unit)s内办结，可凭编号查询进度") % {
        "number": case.number,
        "amount": f"{limit.finish_amount:g}",
        "unit": LimitUnit(limit.finish_unit).label,
    }
    body = [{"service_request_id": case.number, "service_notice": notice, "account_id": None}]
    return render(body, fmt, "service_requests")


@endpoint("GET")
def request_detail(request, number, fmt):
    cases = list(feed.with_details(feed.appeals().filter(number=number)))
    if not cases:
        raise Open311Error(404, _("未知的 service_request_id：%(id)s") % {"id": number})
    return render(feed.as_requests(cases, request), fmt, "service_requests")


@endpoint("GET")
def token(request, token, fmt):
    raise Open311Error(404, _("本接口提交后直接返回 service_request_id，不发放 token：%(t)s") % {"t": token})


@endpoint("GET")
def media(request, number, fmt):
    image = feed.first_image(number)
    try:
        if image is None:
            raise FileNotFoundError(number)
        return FileResponse(image.file.open("rb"), content_type=image.content_type)
    except OSError as exc:
        raise Open311Error(404, _("该诉求没有公开的图片：%(id)s") % {"id": number}) from exc


@endpoint("GET", "POST")
def not_found(request, rest, fmt):
    raise Open311Error(404, _("没有这个接口：%(path)s（格式后缀为 .json 或 .xml）") % {"path": request.path})
