"""What the meeting and visit actions share: the capability check and filing a problem as a case of the engine."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from minsheng.cases import actions as case_actions
from minsheng.cases.models import Category

from ..choices import ItemKind
from ..models import Item

#: Where an item without a chosen category is filed: 其他 → 其他问题 → 其他 (cases' default tree).
FALLBACK_CATEGORY = "990101"
CASE_KIND = "deliberation"


def require(actor, capability: str, node) -> None:
    if actor is None or not actor.has_cap(capability, node):
        raise PermissionDenied(_("没有权限执行此操作"))


def clean_item(kind: str, text: str) -> str:
    errors = {}
    text = (text or "").strip()
    if kind not in ItemKind.values:
        errors["kind"] = _("请选择事项类型")
    if not text:
        errors["text"] = _("请填写事项内容")
    elif len(text) > 2000:
        errors["text"] = _("事项内容不能超过2000字")
    if errors:
        raise ValidationError(errors)
    return text


def open_item_case(
    item: Item, *, actor, channel: str, reporter_name: str = "", reporter_phone: str = ""
) -> None:
    """A problem goes onto the engine: kind 议事走访事项, the meeting's or visit's channel, the item as its source.

    The case is registered in the actor's name when he may register cases there; otherwise (a property manager
    recording at a meeting) by the system on the meeting's behalf — the item still says who recorded it.
    """
    category = item.category or Category.objects.get(code=FALLBACK_CATEGORY)
    case_actor = actor if actor is not None and actor.has_cap("cases.create", item.node) else None
    case = case_actions.do_register(
        actor=case_actor,
        kind=CASE_KIND,
        channel=channel,
        category=category,
        description=item.text,
        node=item.node,
        reporter_name=item.raised_by,
        reporter_phone=reporter_phone,
        source=item,
    )
    item.case = case
    item.save(update_fields=["case", "updated_at"])
