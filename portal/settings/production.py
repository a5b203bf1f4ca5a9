"""Production: everything comes from the environment and missing essentials stop the start.

Required: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, WAGTAILADMIN_BASE_URL.
See .env.example.
"""

from .base import *  # noqa: F403
from .base import LOGGING, STORAGES, env

DEBUG = False
SECRET_KEY = env.get_str("DJANGO_SECRET_KEY", required=True)
ALLOWED_HOSTS = env.get_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise env.ConfigurationError("DJANGO_ALLOWED_HOSTS must list the site's host names.")
DATABASES = {"default": env.get_database("DATABASE_URL")}
# The public address: the sitemap, e-mails and social previews link to it.
WAGTAILADMIN_BASE_URL = env.get_str("WAGTAILADMIN_BASE_URL", required=True)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_SSL_REDIRECT = env.get_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.get_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000)
# Off by default: a city's domain often has older subdomains still served over plain HTTP,
# and preloading is hard to undo. A city that controls its whole domain switches them on.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.get_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env.get_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    check
    for check, enabled in [
        ("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS),
        ("security.W021", SECURE_HSTS_PRELOAD),
    ]
    if not enabled
]

# JSON log lines and one line per request (client addresses shortened, see portal/logs.py)
LOGGING["handlers"]["console"]["formatter"] = env.get_str("PORTAL_LOG_FORMAT", "json")
LOGGING["loggers"]["portal.requests"]["level"] = env.get_str("PORTAL_REQUEST_LOG_LEVEL", "INFO")

# Optional error reports to Sentry (or a compatible, self-hosted service such as GlitchTip):
# off unless SENTRY_DSN is set, so nothing leaves the server by default.
SENTRY_DSN = env.get_str("SENTRY_DSN")
if SENTRY_DSN:
    try:
        import sentry_sdk
    except ImportError as error:
        raise env.ConfigurationError(
            "SENTRY_DSN is set but sentry-sdk is not installed: pip install sentry-sdk"
        ) from error
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.get_str("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,  # no IP addresses, cookies or user details
        traces_sample_rate=0.0,
    )
