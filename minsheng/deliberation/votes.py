"""民法典 第278条: whether an owners' vote is valid and carried. The result is computed here, never typed.

Participation: owners holding at least two thirds of the exclusive area AND at least two thirds of the owners take
part. The three special matters (筹集维修资金, 改建重建, 改变共有部分用途或经营) need at least three quarters of the
participating area AND of the participating owners; any other matter more than half of both. "以上" includes the
number itself (民法典 第1259条); "过半数" does not.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import SPECIAL_MATTERS, VoteMatter, VoteResult


def check_counts(
    *, total_area, total_owners, participating_area, participating_owners, yes_area, yes_owners
) -> None:
    errors = {}
    if total_area is None or Decimal(total_area) <= 0:
        errors["total_area"] = _("专有部分总面积必须大于0")
    if total_owners is None or total_owners <= 0:
        errors["total_owners"] = _("业主总人数必须大于0")
    for name, value in (
        ("participating_area", participating_area),
        ("participating_owners", participating_owners),
        ("yes_area", yes_area),
        ("yes_owners", yes_owners),
    ):
        if value is None or Decimal(value) < 0:
            errors[name] = _("不能为负数")
    if errors:
        raise ValidationError(errors)
    if Decimal(participating_area) > Decimal(total_area):
        errors["participating_area"] = _("参与表决面积不能超过专有部分总面积")
    if participating_owners > total_owners:
        errors["participating_owners"] = _("参与表决人数不能超过业主总人数")
    if Decimal(yes_area) > Decimal(participating_area):
        errors["yes_area"] = _("同意面积不能超过参与表决面积")
    if yes_owners > participating_owners:
        errors["yes_owners"] = _("同意人数不能超过参与表决人数")
    if errors:
        raise ValidationError(errors)


def result(
    matter: str, *, total_area, total_owners, participating_area, participating_owners, yes_area, yes_owners
) -> str:
    if matter not in VoteMatter.values:
        raise ValidationError({"matter": _("请选择表决事项类别")})
    check_counts(
        total_area=total_area,
        total_owners=total_owners,
        participating_area=participating_area,
        participating_owners=participating_owners,
        yes_area=yes_area,
        yes_owners=yes_owners,
    )
    total_area, participating_area, yes_area = (
        Decimal(total_area),
        Decimal(participating_area),
        Decimal(yes_area),
    )
    if participating_area * 3 < total_area * 2 or participating_owners * 3 < total_owners * 2:
        return VoteResult.NOT_QUORATE
    if matter in SPECIAL_MATTERS:
        passed = yes_area * 4 >= participating_area * 3 and yes_owners * 4 >= participating_owners * 3
    else:
        passed = yes_area * 2 > participating_area and yes_owners * 2 > participating_owners
    return VoteResult.PASSED if passed else VoteResult.REJECTED
