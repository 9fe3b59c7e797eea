"""Chinese is the source language; every string has an English translation, compiled."""

import gettext
import re

from django.conf import settings

PO = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(r'^(?:msgctxt "(.+)"\n)?msgid "(.+)"\nmsgstr "(.*)"$', re.MULTILINE)


def _entries() -> list[tuple[str, str]]:
    return [(msgid, msgstr) for _context, msgid, msgstr in _contextual()]


def _contextual() -> list[tuple[str, str, str]]:
    """(context, msgid, msgstr); the context is "" for most entries."""
    return ENTRY.findall(PO.read_text(encoding="utf-8"))


def test_every_string_has_an_english_translation():
    untranslated = [msgid for msgid, msgstr in _entries() if not msgstr]
    assert untranslated == []
    # A fuzzy entry is a guess by msgmerge: not compiled, and usually wrong.
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8").split("\n\n", 1)[1]


def test_compiled_catalogue_matches_the_source():
    compiled = gettext.GNUTranslations(PO.with_suffix(".mo").open("rb"))

    def compiled_text(context: str, msgid: str) -> str:
        return compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)

    stale = [
        msgid for context, msgid, msgstr in _contextual() if compiled_text(context, msgid) != msgstr.replace('\\"', '"')
    ]
    assert stale == []
