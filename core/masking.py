"""Masking of personal data for people without the right to see it in full.

A masked citizen ID keeps only its last four characters: the first six (birth place) plus a
birth date would give most of the number back, so pages that show a masked ID show the age,
never the birth date.
"""


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
