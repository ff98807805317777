"""Reference data maintained by xlsx (admins): standards, pesticides, limits and bans.

Every value carries its source; rows are added, never overwritten: a judgement must stay reproducible from the
tables as they stood on the sample date (a wrong row is corrected in 系统配置, where the change is audited).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .ledgers import require


def _source(source: str) -> str:
    source = (source or "").strip()
    if not source:
        raise ValidationError({"source": _("请填写来源（标准、公告或文件名称）")})
    return source[:300]


def add_standard(*, actor, code: str, title: str, effective_from, withdrawn_on=None, source: str):
    from ..models import StandardDoc

    require(actor, "agri.configure")
    code = (code or "").strip()
    if StandardDoc.objects.filter(code=code).exists():
        raise ValidationError({"code": _("已有标准“%(code)s”") % {"code": code}})
    if withdrawn_on and effective_from and withdrawn_on < effective_from:
        raise ValidationError({"withdrawn_on": _("废止日期不能早于实施日期")})
    doc = StandardDoc(
        code=code,
        title=(title or "").strip(),
        effective_from=effective_from,
        withdrawn_on=withdrawn_on,
        source=_source(source),
    )
    doc.full_clean()
    doc.save()
    return doc


def add_pesticide(*, actor, name: str, chem_class: str, source: str):
    from ..choices import ChemClass
    from ..models import Pesticide

    require(actor, "agri.configure")
    name = (name or "").strip()
    if Pesticide.objects.filter(name=name).exists():
        raise ValidationError({"name": _("已有农药“%(name)s”") % {"name": name}})
    pesticide = Pesticide(name=name, chem_class=chem_class or ChemClass.UNKNOWN, source=_source(source))
    pesticide.full_clean()
    pesticide.save()
    return pesticide


def add_limit(*, actor, pesticide, commodity, mg_per_kg, standard, source: str, temporary=False, excluded=()):
    from ..models import MaximumResidueLimit

    require(actor, "agri.configure")
    source = _source(source)
    if MaximumResidueLimit.objects.filter(
        pesticide=pesticide, commodity=commodity, standard=standard
    ).exists():
        raise ValidationError(
            {
                "mg_per_kg": _("%(standard)s中已有%(pesticide)s在%(commodity)s上的限量")
                % {"standard": standard, "pesticide": pesticide, "commodity": commodity}
            }
        )
    for node in excluded:
        if node.pk == commodity.pk or not node.is_within(commodity):
            raise ValidationError(
                {
                    "excluded": _("除外的品种“%(name)s”须是%(commodity)s的下级")
                    % {"name": node.name, "commodity": commodity.name}
                }
            )
    limit = MaximumResidueLimit(
        pesticide=pesticide,
        commodity=commodity,
        mg_per_kg=mg_per_kg,
        standard=standard,
        source=source,
        temporary=temporary,
    )
    limit.full_clean()
    limit.save()
    limit.excluded.set(excluded)
    return limit


def add_rule(
    *,
    actor,
    pesticide,
    kind: str,
    source: str,
    scopes=(),
    scope_text: str = "",
    effective_from=None,
    effective_to=None,
    announcement: str = "",
):
    from ..choices import RuleKind
    from ..models import PesticideRule

    require(actor, "agri.configure")
    source = _source(source)
    if kind == RuleKind.SCOPED_BAN and not scopes:
        raise ValidationError({"scopes": _("在部分范围禁用的规定须填写禁用范围")})
    if kind == RuleKind.FULL_BAN and scopes:
        raise ValidationError({"scopes": _("全面禁用的规定不填写禁用范围")})
    if effective_from and effective_to and effective_to <= effective_from:
        raise ValidationError({"effective_to": _("截止日期须晚于起始日期")})
    if PesticideRule.objects.filter(
        pesticide=pesticide,
        kind=kind,
        effective_from=effective_from,
        announcement=(announcement or "").strip(),
    ).exists():
        raise ValidationError({"announcement": _("已有相同的禁限用规定")})
    rule = PesticideRule(
        pesticide=pesticide,
        kind=kind,
        scope_text=(scope_text or "").strip(),
        effective_from=effective_from,
        effective_to=effective_to,
        announcement=(announcement or "").strip(),
        source=source,
    )
    rule.full_clean()
    rule.save()
    rule.scopes.set(scopes)
    return rule
