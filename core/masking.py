"""Masking of personal data for people without the right to see it in full.

A masked citizen ID keeps only its last four characters: the first six (birth place) plus a
birth date would give most of the number back, so pages that show a masked ID show the age,
never the birth date.
"""

import re

_CITIZEN_ID = re.compile(r"^\d{17}[\dXx]$")
_MOBILE = re.compile(r"^(\+86)?1\d{10}$")


def mask_citizen_id(citizen_id: str) -> str:
    if not citizen_id:
        return ""
    return "*" * (len(citizen_id) - 4) + citizen_id[-4:]


def mask_phone(phone: str) -> str:
    """138****5678: the form Chinese services use, keeping the carrier prefix and last four."""
    if not phone:
        return ""
    digits = phone.removeprefix("+86")
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_typed_name(raw) -> str:
    """A sign-in name as typed: someone who types their citizen ID or phone into the name box must
    not leave it in the audit log or the lockout table."""
    name = str(raw or "").strip()[:150]
    if _CITIZEN_ID.match(name):
        return mask_citizen_id(name)
    if _MOBILE.match(name):
        return mask_phone(name)
    return name
