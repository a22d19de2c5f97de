"""Strict parsing of environment variables: a wrong value names its variable."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ImproperlyConfigured):
    """A configuration variable has a value Brouette cannot use."""


def string(name: str, default: str = "") -> str:
    """Return the variable's text, or the default when it is unset."""
    return os.environ.get(name, default).strip()


def boolean(name: str, default: bool = False) -> bool:
    """Return a yes/no variable, refusing anything but the usual spellings."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false (1/0, yes/no, on/off), not {raw!r}.")


def integer(name: str, default: int, *, minimum: int = 0) -> int:
    """Return a whole number no smaller than ``minimum``."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}.")
    return value


def choice(name: str, choices: tuple[str, ...], default: str) -> str:
    """Return one of ``choices``; anything else is an error listing them."""
    value = string(name, default).lower()
    if value not in choices:
        allowed = ", ".join(choices)
        raise ConfigError(f"{name} must be one of {allowed}, not {value!r}.")
    return value


_RATE = re.compile(r"(\d+)/(\d*)(s|sec|second|m|min|minute|h|hour|d|day)s?")


def rate(name: str, default: str) -> str:
    """Return a rate such as ``10/m`` or ``100/10m``, in that short form (``10/minute`` too)."""
    value = string(name, default).lower().replace(" ", "")
    match = _RATE.fullmatch(value)
    if not match or int(match[1]) < 1 or match[2].startswith("0"):
        raise ConfigError(
            f"{name} must be a rate like 10/m or 100/10m (s, m, h or d), not {value!r}."
        )
    return f"{int(match[1])}/{match[2]}{match[3][0]}"


def csv_list(name: str, default: str = "") -> list[str]:
    """Return a comma-separated list, without blanks."""
    return [item.strip() for item in string(name, default).split(",") if item.strip()]


def url(name: str, default: str = "", *, schemes: tuple[str, ...] = ("http", "https")) -> str:
    """Return an absolute URL with one of ``schemes``, or '' when unset."""
    value = string(name, default)
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in schemes or not parts.netloc:
        allowed = " or ".join(f"{s}://" for s in schemes)
        raise ConfigError(f"{name} must be an absolute URL starting with {allowed}, not {value!r}.")
    return value


def database(name: str, default: str) -> dict:
    """Parse a database URL (sqlite:/// or postgres://) into Django's dict."""
    import dj_database_url

    value = string(name, default)
    scheme = urlsplit(value).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ConfigError(
            f"{name} must be a sqlite:///PATH or postgres://USER:PASSWORD@HOST:PORT/NAME URL, "
            f"not {value!r}."
        )
    try:
        config = dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ConfigError(f"{name} is not a valid database URL ({exc}).") from None
    if scheme != "sqlite" and not config.get("NAME"):
        raise ConfigError(
            f"{name} must name a database after the host, as in postgres://…/brouette."
        )
    return config


def secret_key(name: str, *, production: bool, keep_in: Path) -> str:
    """Return the secret key; development makes one and keeps it in a git-ignored file."""
    value = string(name)
    if value:
        if production and len(value) < 50:
            raise ConfigError(f"{name} must be at least 50 characters long in production.")
        return value
    if production:
        raise ConfigError(f"{name} must be set in production (a long random string).")
    if keep_in.exists():
        return keep_in.read_text().strip()
    value = secrets.token_urlsafe(50)
    keep_in.parent.mkdir(parents=True, exist_ok=True)
    keep_in.write_text(value)
    keep_in.chmod(0o600)
    return value
