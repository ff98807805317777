"""统一社会信用代码 (GB 32100-2015): the structure an enterprise's code must have, and its check character.

The check character itself is computed by org's validator (one implementation of the weights); this module adds
what an enterprise registry needs beyond it: the registration authority and the kind of organisation it
registers, and the six-digit administrative division, so a mistyped code is caught with a precise message.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from minsheng.org.validators import uscc_check_char

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: 登记管理部门代码 → 机构类别代码 it uses (GB 32100-2015 表1).
AUTHORITIES: dict[str, str] = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
    "2": "19",  # 外交: 外国常驻新闻机构, 其他
    "3": "12345",  # 司法行政: 律师事务所 … 基层法律服务所
    "4": "19",  # 文化
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 工商: 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室
    "N": "12349",  # 农业
    "Y": "1",  # 其他
}
_SHAPE = re.compile(rf"^[{ALPHABET}]{{18}}$")


def normalise(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def validate_uscc(value: str) -> str:
    """Raise ValidationError with the first thing wrong with the code; return the normalised code."""
    code = normalise(value)
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位（当前%(n)d位）") % {"n": len(code)}, code="uscc_length"
        )
    if not _SHAPE.match(code):
        raise ValidationError(
            _("统一社会信用代码只能包含数字和大写字母（不含 I、O、Z、S、V）"), code="uscc_chars"
        )
    kinds = AUTHORITIES.get(code[0])
    if kinds is None:
        raise ValidationError(_("第1位登记管理部门代码“%(c)s”无效") % {"c": code[0]}, code="uscc_authority")
    if code[1] not in kinds:
        raise ValidationError(
            _("第2位机构类别代码“%(c)s”与登记管理部门不符") % {"c": code[1]}, code="uscc_kind"
        )
    if not code[2:8].isdigit():
        raise ValidationError(_("第3—8位应为6位数字的行政区划码"), code="uscc_division")
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验位错误，请核对"), code="uscc_check")
    return code


def make_uscc(body17: str) -> str:
    """The full code for 17 characters: used by the demo and by tests to build known-valid codes."""
    return body17 + uscc_check_char(body17)
