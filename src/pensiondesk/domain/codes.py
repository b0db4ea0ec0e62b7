"""Coded values of the scheme (代码): statuses, review states, methods, channels.

Each enum's value is what the database stores and what sync carries; ``label`` is the Chinese term shown to the
coordinator. Local identity-category codes (参保身份, e.g. 011 普通) are data in the policy pack, not an enum here.
"""

from __future__ import annotations

from enum import StrEnum


class _Labelled(StrEnum):
    """A StrEnum whose members carry a Chinese label in ``_labels``."""

    @property
    def label(self) -> str:
        return _LABELS[type(self).__name__][self.value]


class Sex(_Labelled):
    """性别 as GB 11643 encodes it: odd 17th digit male, even female."""

    MALE = "1"
    FEMALE = "2"


class PersonStatus(_Labelled):
    """参保状态 of a person over time (domain.md §3)."""

    NOT_ENROLLED = "not_enrolled"  # 未参保
    CONTRIBUTING = "contributing"  # 参保缴费
    RECEIVING = "receiving"  # 待遇领取
    SUSPENDED = "suspended"  # 暂停
    TERMINATED = "terminated"  # 终止


class TerminationReason(_Labelled):
    """终止原因 codes used by county systems (domain.md §3)."""

    DEATH = "1401"
    SETTLED_ABROAD = "1406"
    JOINED_EMPLOYEE_PENSION = "1407"
    OTHER = "1499"


class SuspensionReason(_Labelled):
    """暂停原因 codes (domain.md §3, §9)."""

    NO_SURVIVAL_PROOF = "1201"  # 未提供生存证明
    IMPRISONED = "1202"
    OTHER = "1299"


class Relation(_Labelled):
    """与户主关系 (relation to the household head)."""

    HEAD = "head"
    SPOUSE = "spouse"
    SON = "son"
    DAUGHTER = "daughter"
    PARENT = "parent"
    PARENT_IN_LAW = "parent_in_law"
    SON_IN_LAW = "son_in_law"
    DAUGHTER_IN_LAW = "daughter_in_law"
    GRANDCHILD = "grandchild"
    GRANDPARENT = "grandparent"
    SIBLING = "sibling"
    OTHER = "other"


class ReviewState(_Labelled):
    """审核状态 of a registration, a pension case or a cancellation (domain.md §14)."""

    ENTERED = "entered"  # 已录入
    VILLAGE_CHECKED = "village_checked"  # 村级初审
    SUBMITTED = "submitted"  # 已上报
    TOWNSHIP_CHECKED = "township_checked"  # 乡镇复审
    APPROVED = "approved"  # 县级审核通过
    RETURNED = "returned"  # 退回


class PayerKind(_Labelled):
    """缴费人 (who paid a contribution)."""

    SELF = "self"
    RELATIVE = "relative"  # 亲属代缴
    OTHER = "other"


class PaymentChannel(_Labelled):
    """缴费渠道: cash at the village gets a village receipt; the others do not."""

    VILLAGE_CASH = "village_cash"
    BANK = "bank"
    TAX_BUREAU = "tax_bureau"


class ReceiptStatus(_Labelled):
    """票据状态 (domain.md §13)."""

    ISSUED = "issued"
    VOID = "void"  # 作废
    LOST = "lost"  # 遗失


class ReceiptBookStatus(_Labelled):
    """票据本状态."""

    ISSUED = "issued"  # received from the county, not yet in use
    OPEN = "open"
    CLOSED = "closed"
    WRITTEN_OFF = "written_off"  # 核销


class SurvivalMethod(_Labelled):
    """认证方式 (domain.md §9)."""

    HOME_VISIT = "home_visit"  # 上门
    ON_SITE = "on_site"  # 实地
    ELSEWHERE = "elsewhere"  # 异地
    FACE_SELF_SERVICE = "face_self"  # 人脸 (本人)
    FACE_FAMILY = "face_family"  # 人脸 (亲属协助)
    FACE_COORDINATOR = "face_coordinator"  # 人脸 (协办员协助)
    DATA_COMPARISON = "data_comparison"  # 数据比对


class SurvivalResult(_Labelled):
    """认证结果."""

    ALIVE = "alive"
    DECEASED = "deceased"
    NOT_FOUND = "not_found"


class DeathSource(_Labelled):
    """死亡信息来源 (domain.md §10)."""

    FAMILY = "family"
    CIVIL_AFFAIRS = "civil_affairs"  # 民政
    POLICE = "police"  # 公安
    COUNTY = "county"


class MigrantDocumentKind(_Labelled):
    """外出务工人员须提交的材料 (domain.md §3)."""

    POWER_OF_ATTORNEY = "power_of_attorney"  # 委托书
    COMMITMENT = "commitment"  # 承诺书
    NO_OTHER_PENSION = "no_other_pension"  # 未在他处参保证明


class NoticeKind(_Labelled):
    """公示种类 (domain.md §12)."""

    BENEFIT = "benefit"
    SURVIVAL = "survival"
    ENROLMENT = "enrolment"
    DEATH = "death"
    COLLECTIVE = "collective"


class UserRole(_Labelled):
    """用户角色 (domain.md §14: entry and review are different people)."""

    COORDINATOR = "coordinator"  # 协办员 (录入/初审)
    REVIEWER = "reviewer"  # 复核
    ADMIN = "admin"  # 管理员


class OutboxState(_Labelled):
    """Client-side sync state of an outbox row (sync-protocol.md §7)."""

    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CONFLICT = "conflict"


class AdvanceState(_Labelled):
    """垫付状态 (domain.md §5)."""

    APPLIED = "applied"
    APPROVED = "approved"
    REPAID = "repaid"
    REFUSED = "refused"


_LABELS: dict[str, dict[str, str]] = {
    "Sex": {"1": "男", "2": "女"},
    "PersonStatus": {
        "not_enrolled": "未参保",
        "contributing": "参保缴费",
        "receiving": "待遇领取",
        "suspended": "暂停",
        "terminated": "终止",
    },
    "TerminationReason": {"1401": "死亡", "1406": "出国定居", "1407": "转入职工养老保险", "1499": "其他"},
    "SuspensionReason": {"1201": "未提供生存证明", "1202": "服刑", "1299": "其他"},
    "Relation": {
        "head": "户主",
        "spouse": "配偶",
        "son": "子",
        "daughter": "女",
        "parent": "父母",
        "parent_in_law": "公婆/岳父母",
        "son_in_law": "女婿",
        "daughter_in_law": "儿媳",
        "grandchild": "孙子女",
        "grandparent": "祖父母",
        "sibling": "兄弟姐妹",
        "other": "其他",
    },
    "ReviewState": {
        "entered": "已录入",
        "village_checked": "村级已初审",
        "submitted": "已上报",
        "township_checked": "乡镇已复审",
        "approved": "审核通过",
        "returned": "已退回",
    },
    "PayerKind": {"self": "本人", "relative": "亲属代缴", "other": "其他"},
    "PaymentChannel": {"village_cash": "村级现金收缴", "bank": "银行代收", "tax_bureau": "税务渠道"},
    "ReceiptStatus": {"issued": "已开具", "void": "作废", "lost": "遗失"},
    "ReceiptBookStatus": {"issued": "已领用", "open": "使用中", "closed": "已用完", "written_off": "已核销"},
    "SurvivalMethod": {
        "home_visit": "上门认证",
        "on_site": "实地认证",
        "elsewhere": "异地认证",
        "face_self": "人脸识别(本人)",
        "face_family": "人脸识别(亲属协助)",
        "face_coordinator": "人脸识别(协办员协助)",
        "data_comparison": "数据比对",
    },
    "SurvivalResult": {"alive": "认证通过", "deceased": "已死亡", "not_found": "未找到本人"},
    "DeathSource": {
        "family": "家属报告",
        "civil_affairs": "民政死亡名单",
        "police": "公安户籍注销",
        "county": "县级下发",
    },
    "MigrantDocumentKind": {
        "power_of_attorney": "委托书",
        "commitment": "承诺书",
        "no_other_pension": "未在他处参保证明",
    },
    "NoticeKind": {
        "benefit": "待遇领取资格公示",
        "survival": "领取资格认证结果公示",
        "enrolment": "参保登记及缴费情况公示",
        "death": "死亡注销公示",
        "collective": "集体补助公示",
    },
    "UserRole": {"coordinator": "协办员", "reviewer": "复核员", "admin": "管理员"},
    "OutboxState": {
        "pending": "待上传",
        "in_flight": "上传中",
        "accepted": "已接收",
        "rejected": "被拒绝",
        "conflict": "有冲突",
    },
    "AdvanceState": {"applied": "已申请", "approved": "已批准", "repaid": "已还清", "refused": "未批准"},
}
