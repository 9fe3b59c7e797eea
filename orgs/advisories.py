"""Membership rules for party organisations, as advisories that cite their rule.

Pure: counts in, advisories out. Thresholds read 以上 as including the number itself (Civil
Code art. 1259), so "7 名以上" starts at 7 and "50 人以上" at 50. The funding rules later use an
organisation's actual kind, never the advised one.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from orgs.models import BRANCH_KINDS, COMMUNITY_LEVEL_KINDS, OrgKind

BRANCH_MIN_FULL = 3  # 正式党员3人以上的，应当成立党支部
COMMITTEE_MIN_FULL = 7  # 有7名以上正式党员的党支部，设立党支部委员会
BRANCH_NORMAL_MAX = 50  # 党支部党员人数一般不超过50名
GENERAL_BRANCH_FROM = 50  # 党员50人以上的，经批准可以设立党总支
COMMUNITY_COMMITTEE_FROM = 100  # 党员人数100名以上的社区设立党委 (seed 000)

BRANCH_REGULATION = "《中国共产党支部工作条例(试行)》"


@dataclass(frozen=True)
class Advisory:
    code: str
    message: str
    clause: str


def advisories(*, kind: str, full: int, probationary: int, subtree_total: int) -> list[Advisory]:
    """`full` and `probationary` count the organisation's own members; `subtree_total` all members below it too."""
    found = []
    total = full + probationary
    if kind in BRANCH_KINDS:
        if full < BRANCH_MIN_FULL:
            found.append(
                Advisory(
                    "joint_branch",
                    _("正式党员不足3人,宜与邻近单位党员联合成立党支部"),
                    f"{BRANCH_REGULATION}第五条",
                )
            )
        if full >= COMMITTEE_MIN_FULL:
            found.append(
                Advisory(
                    "branch_committee",
                    _("正式党员7人以上,应设立党支部委员会(一般3至5人,最多不超过7人)"),
                    f"{BRANCH_REGULATION}第九条",
                )
            )
        if total > BRANCH_NORMAL_MAX:
            found.append(Advisory("over_50", _("党支部党员人数一般不超过50人,宜分设"), f"{BRANCH_REGULATION}第五条"))
        if total >= GENERAL_BRANCH_FROM:
            found.append(
                Advisory(
                    "general_branch_eligible",
                    _("党员50人以上,经批准可设立党总支"),
                    f"{BRANCH_REGULATION}第五条",
                )
            )
    if (
        kind in COMMUNITY_LEVEL_KINDS
        and kind != OrgKind.COMMUNITY_COMMITTEE
        and subtree_total >= COMMUNITY_COMMITTEE_FROM
    ):
        found.append(
            Advisory(
                "community_committee",
                _("社区党员100名以上,应设立社区党委"),
                "银川市“四优四提”:党员人数100名以上的社区设立党委",
            )
        )
    return found
