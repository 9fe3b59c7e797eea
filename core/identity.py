"""Citizen ID (居民身份证号码, GB 11643) and mainland phone numbers, checked by maintained libraries."""

import datetime
import functools
import re
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric
from stdnum.util import isdigits

EARLIEST_BIRTH = datetime.date(1900, 1, 1)
ID_LIKE = re.compile(r"^\d{17}[\dXx]$")
PHONE_LIKE = re.compile(r"^(\+?86)?1\d{10}$")


def looks_like_id_or_phone(text: str) -> bool:
    """A search term that would be a citizen ID or a mobile: one that must not travel in a URL."""
    text = (text or "").strip()
    return bool(ID_LIKE.match(text) or PHONE_LIKE.match(text))


@dataclass(frozen=True)
class CitizenId:
    number: str
    birth_date: datetime.date
    sex: str  # "M" or "F": the 17th digit is odd for men (GB 11643-1999 §5.4)


def parse_citizen_id(raw: str) -> CitizenId:
    # stdnum's ric.validate, step by step (its length, digits, check digit, date and place), so an
    # import of 100,000 rows asks the place table once per area code and year instead of per row.
    number = ric.compact(raw or "").upper()
    if len(number) != 18:
        raise ValidationError(_("身份证号应为18位,当前为%(n)d位"), code="length", params={"n": len(number)})
    if not isdigits(number[:-1]):
        raise ValidationError(_("身份证号前17位必须是数字"), code="format")
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError(_("身份证号校验位不正确,请核对最后一位"), code="checksum")
    try:
        birth_date = ric.get_birth_date(number)
    except stdnum_errors.InvalidComponent:
        birth_date = None
    if birth_date is None or not _place_known(number[:6], birth_date.year):
        raise ValidationError(_("身份证号中的出生日期或地区码不存在"), code="component")
    # A real calendar date can still be no one's birthday: the library checks only that it exists.
    if birth_date > timezone.localdate():
        raise ValidationError(_("身份证号中的出生日期晚于今天,请核对"), code="birth_in_future")
    if birth_date < EARLIEST_BIRTH:
        raise ValidationError(_("身份证号中的出生日期早于1900年,请核对"), code="birth_too_early")
    return CitizenId(number=number, birth_date=birth_date, sex=sex_of(number))


@functools.lru_cache(maxsize=8192)
def _place_known(area_code: str, year: int) -> bool:
    """Whether the area code names a county that existed in that year (stdnum's place table). A code
    with no county in the table (510109, say) makes stdnum raise KeyError: refused like an unknown one."""
    try:
        ric.get_birth_place(f"{area_code}{year:04d}0101")
    except (stdnum_errors.InvalidComponent, KeyError):
        return False
    return True


def sex_of(number: str) -> str:
    """The sex in a stored (already valid) ID, "M" or "F": the 17th digit is odd for men."""
    return "M" if int(number[16]) % 2 else "F"


def birth_date_of(number: str) -> datetime.date:
    """The birth date in a stored (already valid) ID: digits 7–14."""
    return ric.get_birth_date(number)


def normalize_phone(raw: str) -> str:
    """A valid mainland number in E.164 (+8613812345678), or a ValidationError."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("手机号格式不正确"), code="phone") from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(_("手机号无效,请核对位数和号段"), code="phone")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
