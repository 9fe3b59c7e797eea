"""Test data, created through the same services as production writes."""

import datetime
import itertools

import factory
from django.contrib.auth.models import Permission, User
from stdnum.cn import ric

from core.scope import SYSTEM
from grids import services as grid_services
from grids.models import Area, AreaKind, City, Household, KeyGroup, Relation, ResidenceStatus, Resident
from orgs import services as org_services
from orgs.models import Department, Post

_codes = itertools.count(1)
_id_seq = itertools.count(1)


# Beijing's district codes, Chaoyang first: each gives 499 sequence numbers per birth date and
# sex, then the next one takes over, so a long session's IDs never come round to the world's.
_BIRTH_PLACES = ("110105", "110101", "110102", "110103", "110104", "110106", "110107", "110108", "110109", "110110")


def citizen_id(birth: datetime.date = datetime.date(1980, 5, 17), *, male: bool = True) -> str:
    """A valid 18-digit ID (born in a Beijing district), unique per call."""
    place, n = divmod(next(_id_seq), 499)
    if place >= len(_BIRTH_PLACES):
        raise RuntimeError("tests.factories.citizen_id has used up its unique numbers")
    body = f"{_BIRTH_PLACES[place]}{birth:%Y%m%d}{n * 2 + (1 if male else 0):03d}"
    return body + ric.calc_check_digit(body + "0")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ["code"]

    name = "测试市"
    code = "990200000000"


class AreaFactory(factory.Factory):
    class Meta:
        model = Area

    kind = AreaKind.DISTRICT
    name = factory.Sequence(lambda n: f"区域{n}")
    parent = None
    declared_households = None

    @classmethod
    def _create(cls, model_class, *, kind, name, parent, declared_households, **kwargs):
        code = kwargs.pop("code", None) or f"T{next(_codes):011d}"
        city = CityFactory() if parent is None else None
        return grid_services.create_area(
            actor=SYSTEM,
            kind=kind,
            name=name,
            code=code,
            parent=parent,
            city=city,
            declared_households=declared_households,
            **kwargs,
        )


class HouseholdFactory(factory.Factory):
    class Meta:
        model = Household

    building = None
    unit = "1"
    floor = 3
    room = factory.Sequence(lambda n: f"{300 + n}")

    @classmethod
    def _create(cls, model_class, **kwargs):
        return grid_services.register_household(actor=SYSTEM, **kwargs)


class ResidentFactory(factory.Factory):
    class Meta:
        model = Resident

    household = None
    name = factory.Sequence(lambda n: f"居民{n}")
    citizen_id = factory.LazyFunction(citizen_id)
    residence_status = ResidenceStatus.REGISTERED
    # The household's first living resident is its 户主 (one per household, a constraint).
    relation = factory.LazyAttribute(
        lambda o: (
            Relation.OTHER if o.household.residents.living().filter(relation=Relation.HEAD).exists() else Relation.HEAD
        )
    )
    phone = ""

    @classmethod
    def _create(cls, model_class, **kwargs):
        return grid_services.register_resident(actor=SYSTEM, **kwargs)


def key_group(code: str) -> KeyGroup:
    return KeyGroup.objects.get(code=code)


def department(name: str, jurisdiction: Area) -> Department:
    return Department.objects.create(name=name, code=f"dept-{next(_codes)}", jurisdiction=jurisdiction)


def user_with_posts(username: str, *posts: dict, sensitive: bool = False, superuser: bool = False) -> User:
    user = User.objects.create_user(username=username, password="pw", is_superuser=superuser, is_staff=superuser)
    if sensitive:
        user.user_permissions.add(Permission.objects.get(codename="view_sensitive"))
    for kwargs in posts:
        org_services.appoint(actor=SYSTEM, post=Post(user=user, start=datetime.date(2024, 1, 1), **kwargs))
    return user
