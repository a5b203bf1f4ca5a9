"""Fast, deterministic settings for the test suite."""

import tempfile

from .base import *  # noqa: F403
from .base import email_settings, env

SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["localhost", "testserver", "127.0.0.1", "lindental.localhost"]
DATABASES = {"default": env.get_database("DATABASE_URL", "sqlite:///:memory:")}
DATABASES["default"]["CONN_MAX_AGE"] = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Off, so no test sees a page an earlier test cached; tests of the page cache switch it on.
PORTAL_PAGE_CACHE_SECONDS = 0
globals().update(email_settings("django.core.mail.backends.locmem.EmailBackend", {}))
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
# Every test renders its renditions afresh (rolled back with the test); AVIF would
# multiply that time. tests/portal/test_images.py switches it on.
PORTAL_IMAGES_AVIF = False
WAGTAILADMIN_BASE_URL = "http://testserver"

# Serve static files from the apps and the theme without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The test client's login() authenticates without a request, which django-axes refuses;
# this backend lets such logins through and locks out every real (request-bearing) one.
AUTHENTICATION_BACKENDS = [
    "portal.delivery.limits.PasswordSprayingGuard",
    "tests.auth.LockoutBackendAllowingTestClientLogin",
]

# The network's tests run their remote servers on this machine (the SSRF guard refuses
# loopback otherwise).
PORTAL_NETWORK_ALLOWED_ADDRESSES = ["127.0.0.1/32"]
