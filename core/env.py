"""Typed environment helpers: a bad value stops the process at start-up, not at first use."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# A key shorter than this can be searched by brute force (等保 2.0 level 3 asks for strong keys).
SECRET_MIN_LENGTH = 32


def env_secret(name: str, *, debug: bool, debug_default: str, min_length: int = SECRET_MIN_LENGTH) -> str:
    """A secret must come from the environment in production; DEBUG may fall back to a dev value.

    A value that is set is held to the minimum length even under DEBUG: it is the one that gets
    deployed. Only the dev fallback, which never leaves DEBUG, is exempt."""
    value = os.environ.get(name)
    if value:
        if len(value) < min_length:
            raise ImproperlyConfigured(f"{name} is {len(value)} characters long; it must be at least {min_length}")
        return value
    if debug:
        return debug_default
    raise ImproperlyConfigured(f"{name} must be set when DEBUG is off")
