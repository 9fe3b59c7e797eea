"""Configuration data users read (case categories, key groups) carries an English name beside the
Chinese one; pages show the one of the active language, the Chinese when no English is given."""

from django.utils.translation import get_language


def localized(name: str, name_en: str) -> str:
    return name_en if name_en and (get_language() or "").startswith("en") else name
