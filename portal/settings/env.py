"""One typed reader for the environment (12-factor settings).

Every variable the portal reads goes through these functions, so booleans and lists are
parsed the same way everywhere and a bad value fails with a message naming the variable.
"""

import os
import sys

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


class ConfigurationError(Exception):
    """A missing or malformed environment variable."""


def exit_on_configuration_error(error: ConfigurationError):
    """Stop the process with one readable line instead of a traceback wall."""
    sys.exit(f"Configuration error: {error}")


def get_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        if required:
            raise ConfigurationError(f"{name} must be set (see .env.example and the README).")
        return default
    return value.strip()


def get_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    normalised = value.strip().lower()
    if normalised in TRUE_VALUES:
        return True
    if normalised in FALSE_VALUES:
        return False
    raise ConfigurationError(f"{name} must be a boolean (true/false, 1/0, yes/no), not {value!r}.")


def get_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {value!r}.") from None


def get_list(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list; blanks are dropped."""
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def get_database(name: str, default: str | None = None) -> dict:
    """Parse a database URL; without a default it is required.

    Messages never echo the URL, which may hold a password.
    """
    import dj_database_url

    url = get_str(name, default, required=default is None)
    try:
        config = dj_database_url.parse(url, conn_max_age=get_int("DATABASE_CONN_MAX_AGE", 60))
    except dj_database_url.UnknownSchemeError:
        scheme = url.split(":", 1)[0]
        raise ConfigurationError(
            f"{name} has an unknown scheme {scheme!r} (use postgres://… or sqlite:///…)."
        ) from None
    except Exception:  # dj-database-url raises ValueError subclasses for malformed URLs
        raise ConfigurationError(f"{name} is not a valid database URL.") from None
    if not config.get("NAME"):
        raise ConfigurationError(f"{name} names no database (e.g. postgres://user@host/portal).")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Take the write lock when a transaction starts, so two requests cannot both read
        # "one seat left" before either writes (PostgreSQL uses row locks instead).
        config.setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    return config


def load_settings_or_exit():
    """Load Django settings now, turning a ConfigurationError into one line on stderr.

    Called by manage.py and wsgi.py before Django starts, so a missing secret or a
    malformed DATABASE_URL stops the process with a message instead of a traceback.
    """
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 - touching a setting imports the module
    except ConfigurationError as error:
        exit_on_configuration_error(error)
