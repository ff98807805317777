"""Fill the English catalogue from a glossary of the product's recurring terms.

Run after `manage.py makemessages -l en`: `python scripts/en_glossary.py`, then `manage.py compilemessages`.
Strings not in the glossary stay untranslated (Django shows the Chinese source).
"""

from pathlib import Path

import polib

GLOSSARY = {
    "民生": "Minsheng", "民生诉求": "Residents' appeals", "没有权限": "Permission denied",
    "手机号或用户名": "Phone or username", "用户": "User", "组织节点": "Org node", "角色": "Role",
    "账号与权限": "Accounts and permissions", "街道管理员": "Street administrator", "街道领导": "Street leader",
    "街道干部(科室)": "Street cadre (office)", "社区工作者": "Community worker", "网格员": "Grid worker",
    "村级监管员": "Village supervisor", "企业服务专员": "Enterprise service officer", "物业人员": "Property staff",
    "居民": "Resident", "手机号": "Mobile", "姓名": "Name", "职务": "Post", "所属组织": "Organisation",
    "起始日期": "From", "截止日期": "To", "任职": "Membership", "登录": "Log in", "退出": "Log out", "系统": "System",
    "登记": "Registered", "已受理": "Accepted", "不予受理": "Rejected", "已并单": "Merged", "已派遣": "Dispatched",
    "已退单": "Returned", "办理中": "In progress", "挂账": "Shelved", "待核查": "Awaiting verification",
    "已办结": "Resolved", "已归档": "Archived", "网格员巡查上报": "Grid patrol", "连心大走访": "Door-to-door visit",
    "马扎议事会": "Mazha deliberation meeting", "阳光开放日": "Open day", "四方联席会议": "Four-party joint meeting",
    "周一议事日": "Monday deliberation day", "12345转办": "12345 hotline referral", "居民线上": "Online",
    "来电": "Phone call", "来访": "Walk-in", "企业走访": "Enterprise visit", "系统生成": "System generated",
    "一般": "Normal", "紧急": "Urgent", "工作小时": "Working hours", "工作日": "Working days",
    "自然小时": "Clock hours", "满意": "Satisfied", "基本满意": "Mostly satisfied", "不满意": "Unsatisfied",
    "街道科室": "Street office", "社区/村": "Community/village", "物业企业": "Property company",
    "专业部门": "Specialist agency", "延期": "Extension", "待审批": "Pending", "已批准": "Approved",
    "已驳回": "Denied", "正常": "On track", "临期": "Due soon", "超期": "Overdue", "无": "None",
    "黄牌": "Yellow card", "红牌": "Red card", "是": "Yes", "否": "No", "匿名": "Anonymous", "编号": "Number",
    "标题": "Title", "类型": "Type", "来源渠道": "Channel", "诉求分类": "Category", "紧急程度": "Urgency",
    "状态": "Status", "发生地点": "Location", "网格": "Grid", "详细位置": "Address details", "反映人": "Reporter",
    "联系电话": "Contact phone", "首问责任人": "First receiver", "主办单位": "Lead unit", "承办人": "Handler",
    "包案领导": "Leader in charge", "登记时间": "Reported at", "受理时间": "Accepted at", "办结时限": "Due",
    "办结时间": "Resolved at", "按期办结": "On time", "满意度": "Satisfaction", "退单次数": "Returns",
    "返工次数": "Reworks", "延期次数": "Extensions", "诉求内容": "Description", "渠道": "Channel",
    "搜索": "Search", "纬度": "Latitude", "经度": "Longitude", "说明": "Note", "理由": "Reason",
    "协办单位": "Co-handling units", "批准": "Approve", "驳回": "Deny", "办理结果": "Outcome",
    "现场照片": "Photos", "已解决": "Solved", "未解决": "Not solved", "请选择": "Please choose",
    "督办意见": "Supervision note", "包案方案": "Plan", "小区": "Estate", "楼栋": "Building", "单元": "Unit",
    "验证码": "Verification code", "受理量": "Accepted", "办结量": "Resolved", "办结率": "Resolution rate",
    "按期办结率": "On-time rate", "一次性办结率": "First-time resolution rate", "满意率": "Satisfaction rate",
    "解决率": "Solved rate", "响应率": "Response rate", "返工率": "Rework rate", "延期率": "Extension rate",
    "在办": "Open", "月份": "Month", "日期": "Date", "分类": "Category", "案件类型": "Case kind", "代码": "Code",
    "名称": "Name", "启用": "Active", "编码": "Code", "单位名称": "Unit name", "负责人": "Head",
    "承办单位": "Handling unit", "办理时限": "Time limits", "派遣规则": "Routing rules", "备注": "Remarks",
    "案件": "Case", "时间": "Time", "动作": "Action", "操作人": "By", "附件": "Attachments", "回访": "Follow-up",
    "督办": "Supervise", "催办": "Remind", "工作台": "Workbench", "组织架构": "Organisation",
    "网格地图": "Grid map", "户": "Households", "党组织": "Party organisations", "物业": "Property",
    "包联责任": "Responsibilities", "台账导入导出": "Import/export", "消息": "Messages",
    "系统配置": "Settings", "诉求案件": "Cases", "登记诉求": "New case", "案件地图": "Case map",
    "统计分析": "Statistics", "街道/乡镇": "Street/township", "社区": "Community", "村": "Village",
    "自然村": "Natural village", "党员": "Party member", "书记": "Secretary", "副书记": "Deputy secretary",
    "委员": "Committee member", "楼长": "Building leader", "单元长": "Unit leader", "专业物业": "Professional",
    "街道兜底": "Street fallback", "无物业": "No management", "自管": "Self-managed", "男": "Male", "女": "Female",
    "保存": "Save", "取消": "Cancel", "提交": "Submit", "确定": "OK", "返回": "Back", "更多": "More",
    "全部": "All", "筛选": "Filter", "导出": "Export", "导入": "Import", "查看": "View", "编辑": "Edit",
    "新建": "New", "删除": "Delete", "受理": "Accept", "派遣": "Dispatch", "签收": "Sign for",
    "退单": "Return", "办结反馈": "Report done", "核查": "Verify", "归档": "Archive", "重新打开": "Reopen",
    "并单": "Merge", "包案": "Assign leader", "改分类": "Recategorise", "申请延期": "Request extension",
    "申请挂账": "Request shelving", "审批": "Decide", "恢复办理": "Resume", "待办": "To do", "已办": "Done",
    "我督办的": "Supervised by me", "全部案件": "All cases", "效能": "Efficiency", "密码": "Password",
    "户主": "Head of household", "标签": "Tags", "地址": "Address", "性别": "Gender", "出生日期": "Born",
    "身份证号": "ID number", "网格编码": "Grid code", "网格名称": "Grid name", "统计用区划代码": "Division code",
    "主办单位 / 承办人": "Lead unit / handler", "全部功能": "All features", "关闭": "Close", "地图": "Map",
    "地点": "Place", "基层治理平台": "Grassroots governance", "我最近办理": "My recent work",
    "我的任职": "My posts", "批量派遣": "Bulk dispatch", "暂无任职。": "No posts yet.", "每页": "Per page",
    "民生 · 基层治理平台": "Minsheng · Grassroots governance", "没有符合条件的案件": "No matching cases",
    "诉求": "Appeal", "街道、社区、网格工作人员登录": "Sign-in for street, community and grid staff",
    "导出台账": "Export ledger", "查询": "Search", "更多筛选": "More filters", "全部状态": "All statuses",
    "办理": "Handling", "诉求信息": "Appeal", "反映人与责任人": "Reporter and people in charge",
    "办理过程": "Timeline", "变更记录": "Change history", "只显示您当前可以执行的操作": "Only the steps you may take now",
    "统计指标": "Figures", "效能看板": "Efficiency board", "高发问题": "Recurring problems",
    "反映问题": "Report a problem", "我的诉求": "My appeals", "查询进度": "Track progress",
    "我要反映": "Report a problem", "提交": "Submit", "获取验证码": "Get code",
    "消息中心": "Inbox", "全部已读": "Mark all read", "简体中文": "Simplified Chinese", "English": "English",
}


def main() -> None:
    path = Path(__file__).resolve().parent.parent / "minsheng/locale/en/LC_MESSAGES/django.po"
    catalogue = polib.pofile(str(path))
    filled = 0
    for entry in catalogue:
        if entry.msgid in GLOSSARY and not entry.msgstr:
            entry.msgstr = GLOSSARY[entry.msgid]
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            filled += 1
    catalogue.save()
    print(f"filled {filled} of {len(catalogue)} entries")


if __name__ == "__main__":
    main()
