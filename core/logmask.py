"""A logging filter that masks citizen IDs and mainland mobile numbers in every log record.

Searches by number travel in POST bodies, but a number can still reach a log: typed into a URL
by hand, in an error's message, in a request line. PIPL art. 28 counts both as sensitive, and a
log is kept far longer and read by more people than the table they came from."""

import logging
import re

from stdnum.cn import ric

# 18-digit ID (last may be X) and an 11-digit mobile, optionally +86/%2B86 in front; not inside a
# longer run of digits, so order numbers and timestamps are left alone.
_NUMBERS = re.compile(
    r"(?<!\d)(?:\d{17}[\dXx]|(?:(?:\+|%2B)?86[- ]?)?1[3-9]\d{9})(?!\d)",
    re.IGNORECASE,
)


def _mask(match: re.Match) -> str:
    found = match.group()
    if len(found) == 18 and found[:2] not in ("+8", "%2") and not ric.is_valid(found):
        return found  # 18 digits but no citizen ID (a case number, say): its checksum or date fails
    return "*" * (len(found) - 4) + found[-4:]


# Open311 sends its client key as `api_key` in a GET's query (cases.open311), so a request line
# can carry a secret: its value never reaches a log either.
_API_KEY = re.compile(r"(api_key=)[^&\s\"']+", re.IGNORECASE)


def mask_numbers(text: str) -> str:
    return _API_KEY.sub(r"\1***", _NUMBERS.sub(_mask, text))


class MaskPersonalNumbers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_numbers(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_numbers(record.stack_info)
        return True
