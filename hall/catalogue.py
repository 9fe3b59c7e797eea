"""The service catalogue a station starts with, loaded by migration 0002 (and again by nothing
else: afterwards it is configuration, kept in Django admin).

Seed 004 says the station handles "社会保障、社会救助、社会治安、医疗卫生、计划生育等8类35项"
matters through four windows, and names three of the items (老年优待卡、生育服务证、退休认证)
among the ten brought down from three levels of review. It lists neither the other three
categories nor the other 32 items: those below are the usual community-hall catalogue of such
stations, marked `seed=False`, to be corrected by whoever keeps the district's catalogue. The
time limits (working days) and documents are likewise typical values, not the seed's."""

from typing import NamedTuple


class Item(NamedTuple):
    code: str
    name: str
    limit_days: int
    documents: str
    seed: bool = False  # named in seed 004 itself


class Category(NamedTuple):
    code: str
    name: str
    window: str  # hall.models.WindowKind
    items: tuple[Item, ...]
    seed: bool = False


ID = "身份证、户口簿"

# fmt: off: one line per item reads as the catalogue does
CATALOGUE: tuple[Category, ...] = (
    Category(
        "social-security",
        "社会保障",
        "public",
        (
            Item("retirement-certification", "退休人员资格认证", 5, f"{ID}、退休证", seed=True),
            Item("resident-pension-enrolment", "城乡居民养老保险参保登记", 5, f"{ID}、银行卡"),
            Item("resident-medical-insurance", "城乡居民医疗保险参保缴费", 3, ID),
            Item("unemployment-registration", "失业登记", 5, f"{ID}、解除劳动合同证明"),
            Item("employment-difficulty", "就业困难人员认定", 10, f"{ID}、失业登记证明、困难情况证明"),
        ),
        seed=True,
    ),
    Category(
        "social-assistance",
        "社会救助",
        "social",
        (
            Item("minimum-living-allowance", "最低生活保障申请", 20, f"{ID}、家庭收入和财产情况说明、授权核对书"),
            Item("extreme-poverty-support", "特困人员救助供养申请", 20, f"{ID}、无劳动能力或残疾证明"),
            Item("temporary-assistance", "临时救助申请", 10, f"{ID}、困难情况说明及相关票据"),
            Item("medical-assistance", "医疗救助申请", 15, f"{ID}、医疗费用票据、出院小结"),
            Item("disability-subsidies", "残疾人两项补贴申请", 15, f"{ID}、第二代残疾人证"),
        ),
        seed=True,
    ),
    Category(
        "public-security",
        "社会治安",
        "governance",
        (
            Item("floating-population-registration", "流动人口居住登记", 3, "身份证、租房合同或房产证明"),
            Item("rental-housing-registration", "出租房屋登记", 3, "出租人身份证、房产证明、租赁合同"),
            Item("dispute-mediation", "矛盾纠纷调解申请", 10, "申请人身份证、纠纷情况说明"),
            Item("community-correction-assistance", "社区矫正报到协助", 3, "身份证、社区矫正相关文书"),
        ),
        seed=True,
    ),
    Category(
        "health",
        "医疗卫生",
        "public",
        (
            Item("family-doctor-contract", "家庭医生签约", 3, f"{ID}、医保卡"),
            Item("elderly-health-check", "老年人免费体检预约", 5, "身份证、医保卡"),
            Item("chronic-disease-registration", "慢性病管理登记", 5, "身份证、诊断证明"),
            Item("vaccination-certificate", "预防接种证办理咨询", 3, "儿童出生医学证明、监护人身份证"),
        ),
        seed=True,
    ),
    Category(
        "family-planning",
        "计划生育",
        "public",
        (
            Item("birth-service-certificate", "生育服务证登记", 5, f"夫妻双方{ID}、结婚证", seed=True),
            Item("only-child-parents-certificate", "独生子女父母光荣证", 10, f"夫妻双方{ID}、结婚证、子女出生医学证明"),
            Item(
                "family-planning-special-support", "计划生育家庭特别扶助申请", 20, f"{ID}、光荣证、子女伤残或死亡证明"
            ),
            Item("floating-marriage-childbirth", "流动人口婚育情况证明", 3, "身份证、结婚证"),
        ),
        seed=True,
    ),
    Category(
        "elderly-disabled",
        "老龄与残疾人服务",
        "social",
        (
            Item("elderly-preferential-card", "老年优待卡", 5, "身份证、一寸照片", seed=True),
            Item("advanced-age-allowance", "高龄津贴申请", 10, f"{ID}、银行卡"),
            Item("home-elderly-care", "居家养老服务申请", 10, f"{ID}、老年人能力评估表"),
            Item("disability-card", "残疾人证办理申请", 15, f"{ID}、近期免冠照片"),
        ),
    ),
    Category(
        "party-services",
        "党员服务",
        "party",
        (
            Item("party-relation-transfer", "党组织关系转接", 5, "党员组织关系介绍信"),
            Item("floating-member-registration", "流动党员登记", 3, "身份证、流动党员活动证"),
            Item("in-service-member-report", "在职党员到社区报到", 3, "报到登记表、单位党组织证明"),
            Item("activist-recommendation", "入党积极分子推荐", 20, "入党申请书、身份证"),
        ),
    ),
    Category(
        "general-affairs",
        "综合事务",
        "public",
        (
            Item("residence-permit", "居住证申领受理", 10, "身份证、居住登记凭证、一寸照片"),
            Item("dog-registration", "养犬登记", 5, "身份证、犬只免疫证明"),
            Item("volunteer-registration", "志愿者注册", 1, "身份证"),
            Item("venue-booking", "社区活动场地预约", 2, "申请人身份证、活动方案"),
            Item("legal-aid", "法律援助申请", 10, "身份证、经济困难说明、案件材料"),
        ),
    ),
)
# fmt: on
