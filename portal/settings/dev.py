"""Local development: the embedded SQLite database, debug pages, e-mails on the console."""

from .base import *  # noqa: F403
from .base import email_settings, env

DEBUG = env.get_bool("DJANGO_DEBUG", True)
SECRET_KEY = env.get_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
# ".localhost": the demo's second municipality at lindental.localhost
ALLOWED_HOSTS = env.get_list("DJANGO_ALLOWED_HOSTS", [".localhost", "127.0.0.1", "[::1]"])

# Keep management commands readable; production logs Wagtail's page events at INFO.
LOGGING["loggers"]["wagtail"] = {"level": "WARNING"}  # noqa: F405

# No page cache unless asked for: an edited template would not show to anonymous visitors.
PORTAL_PAGE_CACHE_SECONDS = env.get_int("PORTAL_PAGE_CACHE_SECONDS", 0)

# Serve static files from the apps and the theme without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Mails on the console as readable text (links can be copied), unless SMTP is configured.
if not env.get_str("DJANGO_EMAIL_HOST"):
    globals().update(email_settings("portal.delivery.console_mail.ReadableConsoleBackend", {}))
