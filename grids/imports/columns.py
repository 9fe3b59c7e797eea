"""The columns of the residents workbook. Their headings are Chinese whatever the page's language:
a district's files are, and one file must import the same for everyone."""

from dataclasses import dataclass

from django.db import models
from django.utils import translation

from grids.models import Occupancy, Relation, ResidenceStatus


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    required: bool
    sample: str
    note: str
    choices: type[models.TextChoices] | None = None
    echo: bool = True  # False: never written back (the refused-rows workbook leaves it empty)


COLUMNS = [
    Column("building", "楼栋编码", True, "", "楼栋的编码,见“楼栋”表;只能是您辖区内的楼栋"),
    Column("unit", "单元", False, "1", "没有单元可留空"),
    Column("floor", "楼层", True, "3", "整数,地下层用负数"),
    Column("room", "房号", True, "301", "同一楼栋同一单元内唯一"),
    Column("occupancy", "居住状态", False, "自住", "自住、出租或空置;留空为自住", Occupancy),
    Column("name", "姓名", True, "张三", "不超过50字"),
    Column("citizen_id", "公民身份号码", True, "11010519491231002X", "18位,请设为文本格式以免末位被改写"),
    Column("phone", "手机号", False, "13812345678", "11位手机号;已登记的居民留空则保留原号码"),
    Column("residence_status", "居住类型", True, "户籍人口", "户籍人口、常住非户籍或流动人口", ResidenceStatus),
    Column("relation", "与户主关系", True, "户主", "每户只能有一位户主", Relation),
]
HEADINGS = [column.heading for column in COLUMNS]
BY_KEY = {column.key: column for column in COLUMNS}


def choice_values(choices: type[models.TextChoices]) -> dict[str, str]:
    """Chinese label (and the stored value itself) → stored value."""
    with translation.override("zh-hans"):
        labels = {str(label): value for value, label in choices.choices}
    return {**labels, **{value: value for value in choices.values}}


def label_of(choices: type[models.TextChoices], value: str) -> str:
    with translation.override("zh-hans"):
        return str(choices(value).label)
