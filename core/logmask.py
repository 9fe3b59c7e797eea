"""A logging filter that masks citizen IDs and mainland mobile numbers in every log record.

Searches by number travel in POST bodies, but a number can still reach a log: typed into a URL
by hand, in an error's message, in a request line. PIPL art. 28 counts both as sensitive, and a
log is kept far longer and read by more people than the table they came from."""

import logging
import re

# 18-digit ID (last may be X) and an 11-digit mobile, optionally +86/%2B86 in front; not inside a
# longer run of digits, so order numbers and timestamps are left alone.
_NUMBERS = re.compile(
    r"(?<!\d)(?:\d{17}[\dXx]|(?:(?:\+|%2B)?86[- ]?)?1[3-9]\d{9})(?!\d)",
    re.IGNORECASE,
)


def mask_numbers(text: str) -> str:
    return _NUMBERS.sub(lambda m: "*" * (len(m.group()) - 4) + m.group()[-4:], text)


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
