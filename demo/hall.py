"""The demo's service hall: 银湖社区's four windows and a year of requests across the catalogue,
received at the windows by the community's staff (孙社区) and handed to them, most done within
the time limit, some late, a few refused with the reason, the last six still open, some past their
deadline (on the workbench as overdue); a dozen requests the grid worker 网格员A took for
households of her grid (网格员代办, counted on her yearly evaluation); and two residents' requests
from a building's QR plate this morning. Through the same services as the pages; one query per write, so it is fast."""

import datetime
import random
import uuid

from django.contrib.auth.models import User
from django.utils import timezone

from cases.models import DoorPlate
from core.scope import SYSTEM
from grids.models import Area, AreaKind, Household
from hall import services
from hall.models import ServiceItem, Window

YEAR_OF_REQUESTS = 150
TAKEN = 12  # 网格员代办 over the year
NAMES = ["张秀兰", "王建国", "李淑芬", "刘志强", "陈桂英", "杨德明", "赵玉梅", "黄海涛", "周丽华", "吴振华"]
REFUSALS = ["非本社区常住居民,请到户籍所在地社区办理", "材料不全,已一次性告知所需材料", "不符合申请条件"]


def build() -> None:
    yinhu = Area.objects.get(name="银湖社区")
    if Window.objects.filter(community=yinhu).exists():
        return
    services.open_windows(actor=SYSTEM, community=yinhu)
    staff = User.objects.get(username="community")
    rng = random.Random("hall")
    items = list(ServiceItem.objects.filter(active=True).order_by("pk"))
    households = list(Household.objects.filter(building__tree_id=yinhu.tree_id, building__lft__gte=yinhu.lft,
                                               building__lft__lte=yinhu.rght).order_by("pk")[:60])  # fmt: skip
    now = timezone.localtime()
    for n in range(YEAR_OF_REQUESTS):
        # Spread over the past year, the newest first few still open (three of them past due).
        days_ago = 2 + (YEAR_OF_REQUESTS - n) * 363 // YEAR_OF_REQUESTS
        received_at = (now - datetime.timedelta(days=days_ago)).replace(hour=9 + n % 8, minute=rng.randrange(60))
        item = rng.choice(items)
        made = services.receive_request(
            actor=staff,
            item=item,
            community=yinhu,
            household=rng.choice(households) if households and n % 3 else None,
            applicant_name=NAMES[n % len(NAMES)],
            applicant_phone=f"139{rng.randrange(10**8):08d}",
            received_at=received_at,
        )
        if n % 4:
            made = services.assign_request(actor=staff, request=made, handler=staff)
        if n >= YEAR_OF_REQUESTS - 6:
            continue  # still open: the oldest of these are overdue
        late = n % 9 == 0
        took = datetime.timedelta(days=item.limit_days + (5 if late else -rng.randrange(item.limit_days)))
        finished_at = min(max(received_at + took, made.received_at + datetime.timedelta(hours=1)), now)
        if n % 17 == 0:
            services.refuse_request(actor=staff, request=made, reason=rng.choice(REFUSALS), finished_at=finished_at)
        else:
            services.complete_request(actor=staff, request=made, result="已办结,告知申请人", finished_at=finished_at)
    _taken_by_the_grid_worker(yinhu, staff, items, rng, now)
    plate = DoorPlate.objects.filter(building__tree_id=yinhu.tree_id, building__kind=AreaKind.BUILDING).first()
    if plate is not None:
        for name, code in [("何阿姨", "elderly-preferential-card"), ("郭先生", "dog-registration")]:
            services.request_from_plate(
                plate=plate,
                item=ServiceItem.objects.get(code=code),
                applicant_name=name,
                applicant_phone="13900001111",
                submission_key=uuid.UUID(int=rng.getrandbits(128), version=4),
            )


def _taken_by_the_grid_worker(yinhu: Area, staff: User, items: list[ServiceItem], rng: random.Random, now) -> None:
    grid_a = User.objects.get(username="grid_a")
    grid = yinhu.get_children()[0]
    households = list(
        Household.objects.filter(
            building__tree_id=grid.tree_id, building__lft__gte=grid.lft, building__lft__lte=grid.rght
        ).order_by("pk")[:TAKEN]
    )
    for n, household in enumerate(households):
        received_at = now - datetime.timedelta(days=20 + n * 25)
        head = household.residents.living().order_by("id").first()
        made = services.take_for_resident(
            actor=grid_a,
            item=rng.choice(items),
            household=household,
            applicant_name=head.name if head else NAMES[n % len(NAMES)],
            received_at=received_at,
        )
        made = services.assign_request(actor=staff, request=made, handler=staff)
        finished_at = min(received_at + datetime.timedelta(days=made.item.limit_days), now)
        services.complete_request(actor=staff, request=made, result="已办结,网格员告知居民", finished_at=finished_at)
