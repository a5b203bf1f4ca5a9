"""Settings shared by every environment. Everything city-specific comes from the environment
(see .env.example) or from the site settings in the Wagtail admin."""

from datetime import timedelta
from pathlib import Path

import django
from csp.constants import NONE, SELF
from django.utils.functional import lazy
from django.utils.translation import get_language

from . import env

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

# A fork puts its templates and static files into the theme folder; both are searched before
# the built-in ones, so a city restyles the portal without editing upstream files.
THEME_DIR = Path(env.get_str("PORTAL_THEME_DIR", str(BASE_DIR / "theme"))).resolve()

DEBUG = False
SECRET_KEY = env.get_str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.get_list("DJANGO_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "portal",
    "home",
    "labs",
    "events",
    "library",
    "search",
    "network",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Django REST framework itself stays out: its German catalogue would replace Django's
    # own wording of form errors on the site (e.g. "Enter a valid email address."), and the
    # API needs none of its templates or models
    "drf_spectacular",
    "csp",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Django 6 needs it for Wagtail's search index on PostgreSQL; harmless on SQLite.
    "django.contrib.postgres",
]

MIDDLEWARE = [
    # first: probes come by IP address and over plain HTTP (see portal/delivery/probes.py)
    "portal.delivery.probes.ProbeMiddleware",
    "portal.delivery.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.delivery.middleware.ContentSecurityPolicyMiddleware",
    "portal.delivery.middleware.PermissionsPolicyMiddleware",
    "portal.delivery.middleware.without_stray_content_encoding",
    "portal.delivery.files.byte_ranges",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.delivery.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.delivery.cache.AnonymousPageCacheMiddleware",
    # below the page cache: only what is rendered reads the facts (a hit needs none)
    "portal.delivery.request_facts.RequestFactsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # last, as django-axes asks: it turns a lockout into the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"


def template_dirs(theme_dir: Path) -> list[Path]:
    return [theme_dir / "templates", PROJECT_DIR / "templates"]


TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": template_dirs(THEME_DIR),
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": env.get_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Explicit, so migrations are identical on Django 5.2 and 6.x.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # first, so a locked-out address or login is refused before the password is checked
    "portal.delivery.limits.PasswordSprayingGuard",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: German is the default and the fallback, English is complete.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Berlin"
LOCALE_PATHS = [path for path in [THEME_DIR / "locale"] if path.is_dir()] + [PROJECT_DIR / "locale"]
# After the front-end login (for pages restricted to logged-in users) without a page to go
# back to: the home page of the language the login page was shown in, not Django's
# /accounts/profile/, which this portal does not have. Lazy: the language is the request's.
LOGIN_REDIRECT_URL = lazy(lambda: f"/{get_language() or LANGUAGE_CODE}/", str)()

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.get_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [path for path in [THEME_DIR / "static"] if path.is_dir()]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.get_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def object_storage_settings(bucket: str) -> dict:
    """Uploads (images, their renditions, documents) on S3-compatible object storage through
    django-storages: AWS, or any provider with an endpoint URL (MinIO, Ceph, IONOS, Open
    Telekom Cloud, …). django-storages reads the credentials itself (AWS_ACCESS_KEY_ID and
    AWS_SECRET_ACCESS_KEY, or the machine's role), so they never appear in the settings.

    MEDIA_URL becomes the address the files are served from, so the Content-Security-Policy
    allows images from there. Files are public (no signed links, which would make every page
    differ and expire in caches), never overwritten (a new upload gets a new name), and get
    no ACL of their own: the bucket's policy decides who may read them (see docs/scaling.md).
    """
    from importlib.util import find_spec
    from urllib.parse import urlsplit

    if find_spec("storages") is None or find_spec("boto3") is None:
        raise env.ConfigurationError(
            "AWS_STORAGE_BUCKET_NAME is set but django-storages is not installed: "
            'pip install -e ".[s3]"'
        )
    endpoint_url = env.get_str("AWS_S3_ENDPOINT_URL")
    region = env.get_str("AWS_S3_REGION_NAME")
    custom_domain = env.get_str("AWS_S3_CUSTOM_DOMAIN")
    location = (env.get_str("AWS_LOCATION") or "").strip("/")
    # Most providers other than AWS expect the bucket in the path, AWS in the host name.
    addressing_style = env.get_str("AWS_S3_ADDRESSING_STYLE", "path" if endpoint_url else "virtual")
    if addressing_style not in ("path", "virtual"):
        raise env.ConfigurationError("AWS_S3_ADDRESSING_STYLE must be path or virtual.")
    if custom_domain:
        if "://" in custom_domain:
            raise env.ConfigurationError(
                "AWS_S3_CUSTOM_DOMAIN is a host name (media.example.org), without https://."
            )
        origin = f"https://{custom_domain.rstrip('/')}"
    else:
        if endpoint_url:
            endpoint = urlsplit(endpoint_url)
            if endpoint.scheme not in ("http", "https") or not endpoint.netloc:
                raise env.ConfigurationError(
                    "AWS_S3_ENDPOINT_URL must be an address like https://s3.example.org."
                )
            scheme, host, path = endpoint.scheme, endpoint.netloc, endpoint.path.rstrip("/")
        else:
            scheme, path = "https", ""
            host = f"s3.{region}.amazonaws.com" if region else "s3.amazonaws.com"
        if addressing_style == "virtual":
            origin = f"{scheme}://{bucket}.{host}{path}"
        else:
            origin = f"{scheme}://{host}{path}/{bucket}"
    # django-storages builds file addresses from the same origin as MEDIA_URL (and so the
    # CSP); left to itself it would sometimes name another host for the same bucket (AWS's
    # us-east-1, or a region only boto3's own environment variables give).
    scheme, address = origin.split("://", 1)
    return {
        "STORAGES": {
            **STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": bucket,
                    "region_name": region,
                    "endpoint_url": endpoint_url,
                    "addressing_style": addressing_style,
                    "custom_domain": address,
                    "url_protocol": f"{scheme}:",
                    "location": location,
                    "querystring_auth": False,
                    "default_acl": None,
                    "file_overwrite": False,
                    # names never change their content; a day, so a deleted file disappears
                    "object_parameters": {"CacheControl": "public, max-age=86400"},
                },
            },
        },
        "MEDIA_URL": f"{origin}/{location}/" if location else f"{origin}/",
    }


# Uploads on S3-compatible object storage when AWS_STORAGE_BUCKET_NAME is set (needs the
# optional extra: pip install -e ".[s3]"); otherwise files in MEDIA_ROOT.
if env.get_str("AWS_STORAGE_BUCKET_NAME"):
    globals().update(object_storage_settings(env.get_str("AWS_STORAGE_BUCKET_NAME")))

# The cache: Redis when REDIS_URL is set (shared by all app instances; pages are still
# served, uncached, while it is down), local memory otherwise (per process).
REDIS_URL = env.get_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.get_str("PORTAL_CACHE_PREFIX", "portal"),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "portal.delivery.cache.redis"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # pages, chrome and search results of one worker: about 30 KB a page at most
            "OPTIONS": {"MAX_ENTRIES": env.get_int("PORTAL_LOCAL_CACHE_ENTRIES", 2000)},
        }
    }
# Seconds an anonymous visitor's page stays in the page cache (portal/cache.py; every
# publish makes all entries stale; 0 switches it off). With Redis the version number that
# every publish raises lives in Redis; with local memory (one cache per worker) it lives in
# the database, so a publish through one worker reaches all of them.
PORTAL_PAGE_CACHE_SECONDS = env.get_int("PORTAL_PAGE_CACHE_SECONDS", 600)


def frontend_cache_settings() -> dict:
    """An optional CDN or caching proxy in front of the portal that purges by address,
    purged on every publish, unpublish, move and deletion of a page (portal/delivery/cdn.py):
    an HTTP PURGE endpoint (Varnish, nginx). Nothing is sent anywhere unless one is
    configured; CDNs that purge by tag are below."""
    backends = {}
    location = env.get_str("PORTAL_FRONTEND_CACHE_URL")
    if location and not location.startswith(("http://", "https://")):
        raise env.ConfigurationError(
            "PORTAL_FRONTEND_CACHE_URL must be the cache server's address, "
            "e.g. http://127.0.0.1:6081."
        )
    if location and not env.get_bool("PORTAL_FRONTEND_CACHE_XKEY"):
        backends["http"] = {"BACKEND": "portal.delivery.cdn.HTTPPurgeBackend", "LOCATION": location}
    return backends


def tag_purge_settings() -> dict:
    """CDNs that purge by tag (portal/delivery/cdn.py): Cloudflare, Fastly, or the HTTP cache
    above when it is Varnish with xkey (PORTAL_FRONTEND_CACHE_XKEY). Their API addresses can
    be changed for a proxy (and for tests)."""
    purgers = {}
    if env.get_str("PORTAL_CLOUDFLARE_ZONE_ID") or env.get_str("PORTAL_CLOUDFLARE_TOKEN"):
        purgers["cloudflare"] = {
            "ZONE_ID": env.get_str("PORTAL_CLOUDFLARE_ZONE_ID", required=True),
            "TOKEN": env.get_str("PORTAL_CLOUDFLARE_TOKEN", required=True),
            "API_URL": env.get_str(
                "PORTAL_CLOUDFLARE_API_URL", "https://api.cloudflare.com/client/v4"
            ),
            "PER_MINUTE": env.get_int("PORTAL_CLOUDFLARE_PURGES_PER_MINUTE", 5),
        }
    if env.get_str("PORTAL_FASTLY_SERVICE_ID") or env.get_str("PORTAL_FASTLY_TOKEN"):
        purgers["fastly"] = {
            "SERVICE_ID": env.get_str("PORTAL_FASTLY_SERVICE_ID", required=True),
            "TOKEN": env.get_str("PORTAL_FASTLY_TOKEN", required=True),
            "API_URL": env.get_str("PORTAL_FASTLY_API_URL", "https://api.fastly.com"),
        }
    if env.get_str("PORTAL_FRONTEND_CACHE_URL") and env.get_bool("PORTAL_FRONTEND_CACHE_XKEY"):
        purgers["xkey"] = {"LOCATION": env.get_str("PORTAL_FRONTEND_CACHE_URL")}
    return purgers


WAGTAILFRONTENDCACHE = frontend_cache_settings()
PORTAL_CDN_TAG_PURGE = tag_purge_settings()
# portal/cdn.py lists each language's addresses itself (the slugs are translated).
WAGTAILFRONTENDCACHE_LANGUAGES = []
# Seconds a shared cache (a CDN) may keep an anonymous page (s-maxage; browsers always ask
# again). Only pages the page cache may keep get it; short, because settings, site texts and
# images are not purged (portal/cdn.py). Default: 5 minutes with a purge configured, else none.
PORTAL_CDN_SECONDS = env.get_int(
    "PORTAL_CDN_SECONDS", 300 if WAGTAILFRONTENDCACHE or PORTAL_CDN_TAG_PURGE else 0
)
# Pages a CDN may keep name what they show in Surrogate-Key and Cache-Tag headers, each tag
# with this prefix, so installations sharing a CDN account never purge each other's pages.
PORTAL_CDN_TAG_PREFIX = env.get_str("PORTAL_CDN_TAG_PREFIX", "kosi-")

# Behind a reverse proxy (see README, "Deploy").
if env.get_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env.get_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# How many reverse proxies append to X-Forwarded-For; 0 means REMOTE_ADDR is the client.
PORTAL_TRUSTED_PROXY_COUNT = env.get_int("PORTAL_TRUSTED_PROXY_COUNT", 0)

# Security headers. Django's SecurityMiddleware sends nosniff and the opener policy,
# Django's clickjacking middleware X-Frame-Options; the middlewares in portal.delivery.middleware
# add the Content-Security-Policy and the Permissions-Policy.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Neither cookie is readable by scripts (Wagtail's admin takes the CSRF token from the page)
# or sent with cross-site sub-requests; production also marks both Secure.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"


def content_security_policy(*, media_url: str) -> dict:
    """The public site's policy: everything from this site only, no inline scripts or styles.
    Uploads on an object store or CDN (an absolute MEDIA_URL) are allowed as images and media.
    data: images too: KERN's stylesheet draws its icons (and the chevrons of selects and
    accordions) as SVG data URIs; an image runs no script, and no other directive allows
    data:."""
    from urllib.parse import urlsplit

    media = urlsplit(media_url)
    media_origin = [f"{media.scheme}://{media.netloc}"] if media.scheme and media.netloc else []
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF],
            "style-src": [SELF],
            "img-src": [SELF, "data:", *media_origin],
            "media-src": [SELF, *media_origin],
            "font-src": [SELF],
            "connect-src": [SELF],
            "frame-src": [SELF],
            "object-src": [NONE],
            "base-uri": [SELF],
            "form-action": [SELF],
            "frame-ancestors": [NONE],
        }
    }


def admin_content_security_policy(public_policy: dict) -> dict:
    """Wagtail's admin needs inline scripts and styles, data: and blob: images (image
    editor, previews) and frames of its own previews; still nothing from other hosts."""
    directives = {key: list(value) for key, value in public_policy["DIRECTIVES"].items()}
    directives["script-src"] += ["'unsafe-inline'"]
    directives["style-src"] += ["'unsafe-inline'"]
    directives["img-src"] += ["blob:"]
    directives["font-src"] += ["data:"]
    directives["frame-ancestors"] = [SELF]
    return {"DIRECTIVES": directives}


CONTENT_SECURITY_POLICY = content_security_policy(media_url=MEDIA_URL)
PORTAL_ADMIN_CONTENT_SECURITY_POLICY = admin_content_security_policy(CONTENT_SECURITY_POLICY)
# Browser features no page of the portal uses, switched off for every page and frame.
PORTAL_PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "usb=()"
)

# Login lockout (django-axes): after AXES_FAILURE_LIMIT failed logins for one user name from
# one client address, that pair is refused for the cool-off time. The address is the one
# portal.delivery.http.client_ip finds behind PORTAL_TRUSTED_PROXY_COUNT proxies, so a client cannot
# dodge the lockout with a forged X-Forwarded-For. Keyed on the pair, so a mistyping
# colleague behind the town hall's shared address locks out only their own name.
AXES_FAILURE_LIMIT = env.get_int("PORTAL_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env.get_int("PORTAL_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Password spraying (one password against many user names): an address with this many failed
# logins in the cool-off time, whatever the user names, is refused too
# (portal.delivery.limits.PasswordSprayingGuard; counted in Redis or the database).
PORTAL_LOGIN_FAILURE_LIMIT_PER_IP = env.get_int("PORTAL_LOGIN_FAILURE_LIMIT_PER_IP", 30)
AXES_CLIENT_IP_CALLABLE = "portal.delivery.http.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.views.login_locked"
# Successful logins are not recorded (personal data without a purpose); failed attempts
# are deleted once their cool-off time has passed.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False


def email_settings(backend: str, options: dict) -> dict:
    """The e-mail settings in the form this Django reads: MAILERS from Django 6.1 on
    (which forbids the old EMAIL_* names beside it), EMAIL_* before."""
    if django.VERSION >= (6, 1):
        return {"MAILERS": {"default": {"BACKEND": backend, "OPTIONS": options}}}
    names = {"username": "EMAIL_HOST_USER", "password": "EMAIL_HOST_PASSWORD"}
    return {
        "EMAIL_BACKEND": backend,
        **{names.get(key, f"EMAIL_{key.upper()}"): value for key, value in options.items()},
    }


# E-mail: SMTP when DJANGO_EMAIL_HOST is set, otherwise mails are written to the log.
if env.get_str("DJANGO_EMAIL_HOST"):
    globals().update(
        email_settings(
            "django.core.mail.backends.smtp.EmailBackend",
            {
                "host": env.get_str("DJANGO_EMAIL_HOST"),
                "port": env.get_int("DJANGO_EMAIL_PORT", 587),
                "username": env.get_str("DJANGO_EMAIL_HOST_USER", ""),
                "password": env.get_str("DJANGO_EMAIL_HOST_PASSWORD", ""),
                "use_tls": env.get_bool("DJANGO_EMAIL_USE_TLS", True),
                "use_ssl": env.get_bool("DJANGO_EMAIL_USE_SSL", False),
            },
        )
    )
else:
    globals().update(email_settings("django.core.mail.backends.console.EmailBackend", {}))
DEFAULT_FROM_EMAIL = env.get_str("DJANGO_DEFAULT_FROM_EMAIL", "portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Logs go to stdout: JSON lines (PORTAL_LOG_FORMAT=json, production's default) for log
# collectors, or plain text for people.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redis_outage": {"()": "portal.delivery.logs.RedisWarningFilter"},
        "secret_paths": {"()": "portal.delivery.logs.SecretPathFilter"},
    },
    "formatters": {
        "json": {"()": "portal.delivery.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": env.get_str("PORTAL_LOG_FORMAT", "text"),
        }
    },
    "root": {"handlers": ["console"], "level": env.get_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Wagtail runs its index updates as tasks; their start/finish lines are noise.
        "django_tasks": {"level": "WARNING"},
        "modelsearch": {"level": "WARNING"},
        # failed logins and lockouts are warnings; successful logins are not logged
        "axes": {"level": "WARNING"},
        "portal.delivery.cache.redis": {"filters": ["redis_outage"]},
        "django.request": {"filters": ["secret_paths"]},
        # the request log (portal.delivery.logs): INFO in production, quiet in development and tests
        "portal.requests": {"level": env.get_str("PORTAL_REQUEST_LOG_LEVEL", "WARNING")},
    },
}

# Wagtail
WAGTAIL_SITE_NAME = env.get_str("PORTAL_ADMIN_TITLE", "KoSI-Lab Portal")
WAGTAILADMIN_BASE_URL = env.get_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# German stemming ("Werkstatt" finds "Werkstätten") on PostgreSQL. The database backend has
# one configuration and one index row per page, so English pages are stemmed as German too
# (see README, "Search"); SQLite has no stemming and the search adds prefix matches instead.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "german"}
}
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no calls to outside hosts
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILEMBEDS_FINDERS = []  # no third-party embeds (privacy)
# Uploads: documents only through Django's view (permissions, privacy of collections), always
# as downloads and with a CSP that blocks embedded content; images without SVG (scripts).
# mp4/webm/vtt: self-hosted sign-language videos and their captions
WAGTAILDOCS_EXTENSIONS = [
    *["csv", "docx", "odt", "ods", "pdf", "pptx", "rtf", "txt", "xlsx"],
    *["mp4", "webm", "vtt"],
]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Documents pass Wagtail's permission check, then portal/delivery/files.py sends them: with
# byte ranges (videos on iPhones), or handed over to the web server in front
# (PORTAL_FILE_HANDOVER=nginx: X-Accel-Redirect to PORTAL_FILE_HANDOVER_PREFIX + the path
# under MEDIA_ROOT; apache: X-Sendfile with the file's path), so a large download does not
# hold a gunicorn worker. See docs/operations.md for the web server's part.
SENDFILE_BACKEND = "portal.delivery.files"
PORTAL_FILE_HANDOVER = env.get_str("PORTAL_FILE_HANDOVER", "").lower()
if PORTAL_FILE_HANDOVER not in ("", "nginx", "apache"):
    raise env.ConfigurationError("PORTAL_FILE_HANDOVER must be nginx, apache or empty.")
PORTAL_FILE_HANDOVER_PREFIX = env.get_str("PORTAL_FILE_HANDOVER_PREFIX", "/protected-media/")
if not (PORTAL_FILE_HANDOVER_PREFIX.startswith("/") and PORTAL_FILE_HANDOVER_PREFIX.endswith("/")):
    raise env.ConfigurationError(
        "PORTAL_FILE_HANDOVER_PREFIX must be a path with a slash at both ends: /protected-media/"
    )
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
# Documents include sign-language videos, hence the larger default.
WAGTAILDOCS_MAX_UPLOAD_SIZE = env.get_int("PORTAL_DOCUMENT_MAX_MB", 100) * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Photos are served as AVIF (where Pillow can write it), WebP and JPEG (portal/images.py).
# AVIF takes about ten times the CPU of WebP to encode (once per image and size, on the
# first request that shows it): a very small server may switch it off.
PORTAL_IMAGES_AVIF = env.get_bool("PORTAL_IMAGES_AVIF", True)
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_LOCALIZE_DEFAULT_TRANSLATION_MODE = "synced"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Single-server deployments without a web server in front may let Django serve uploads.
PORTAL_SERVE_MEDIA = env.get_bool("PORTAL_SERVE_MEDIA", False)
# Entries per page in the lab, actor and workshop directories.
PORTAL_PAGE_SIZE = env.get_int("PORTAL_PAGE_SIZE", 12)

# Built-in workshop registration: how long a confirmation link is valid, how many days
# after a workshop personal data is anonymised, and submissions allowed per hour.
PORTAL_REGISTRATION_CONFIRM_HOURS = env.get_int("PORTAL_REGISTRATION_CONFIRM_HOURS", 48)
PORTAL_REGISTRATION_RETENTION_DAYS = env.get_int("PORTAL_REGISTRATION_RETENTION_DAYS", 30)
PORTAL_REGISTRATION_LIMIT_PER_IP = env.get_int("PORTAL_REGISTRATION_LIMIT_PER_IP", 10)
PORTAL_REGISTRATION_LIMIT_PER_ADDRESS = env.get_int("PORTAL_REGISTRATION_LIMIT_PER_ADDRESS", 3)

# Barrier reports from the accessibility statement: kept this many days (long enough to
# answer and fix, see the privacy policy), and reports allowed per hour from one address.
PORTAL_FEEDBACK_RETENTION_DAYS = env.get_int("PORTAL_FEEDBACK_RETENTION_DAYS", 365)
PORTAL_FEEDBACK_LIMIT_PER_IP = env.get_int("PORTAL_FEEDBACK_LIMIT_PER_IP", 5)

# Visitors' search terms for the editors' report (search/terms.py): daily counts are kept
# this many days (the scheduler's daily job purge_search_terms; Wagtail's own garbage
# collection command agrees), and at most this many distinct terms are stored.
PORTAL_SEARCH_TERMS_RETENTION_DAYS = env.get_int("PORTAL_SEARCH_TERMS_RETENTION_DAYS", 90)
WAGTAILSEARCH_HITS_MAX_AGE = PORTAL_SEARCH_TERMS_RETENTION_DAYS
PORTAL_SEARCH_TERMS_MAX = env.get_int("PORTAL_SEARCH_TERMS_MAX", 10_000)
# The open data API (/api/v1/): requests per client address and minute
PORTAL_API_REQUESTS_PER_MINUTE = env.get_int("PORTAL_API_REQUESTS_PER_MINUTE", 120)

# Editorial workflow (see README, "Roles and approval"): members of these groups (and
# superusers) may publish without the approval workflow; everybody else submits for approval.
PORTAL_DIRECT_PUBLISH_GROUPS = env.get_list("PORTAL_DIRECT_PUBLISH_GROUPS", ["Administration"])
# An edit during review sends the page back to the first step, so nobody approves a text
# changed after the reviewer read it.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# The last approval publishes, whether or not the approver may publish directly.
WAGTAIL_FINISH_WORKFLOW_ACTION = "portal.editorial.publishing.publish_approved"
# A new translation starts as a draft and goes through the workflow like any change.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# Local time at which the scheduler process runs the daily jobs.
PORTAL_DAILY_JOBS_AT = env.get_str("PORTAL_DAILY_JOBS_AT", "03:15")
# Readiness (/health/ready) fails when the scheduler's last heartbeat is older than this many
# minutes; 0: no scheduler is expected (cron runs the jobs, or this instance only serves).
PORTAL_SCHEDULER_HEARTBEAT_MINUTES = env.get_int("PORTAL_SCHEDULER_HEARTBEAT_MINUTES", 0)
# Days a review link (workflow step "review by link") stays valid.
PORTAL_REVIEW_LINK_DAYS = env.get_int("PORTAL_REVIEW_LINK_DAYS", 7)

# The network (network/): ActivityPub actor, deliveries, sources. Addresses the SSRF guard
# lets through although not public (tests: 127.0.0.1); never set it in production.
PORTAL_NETWORK_ALLOWED_ADDRESSES = env.get_list("PORTAL_NETWORK_ALLOWED_ADDRESSES", [])
PORTAL_NETWORK_TIMEOUT = env.get_int("PORTAL_NETWORK_TIMEOUT", 5)
# Largest inbox body, actor document or API answer read (Mastodon: 1 MB)
PORTAL_NETWORK_MAX_BYTES = env.get_int("PORTAL_NETWORK_MAX_BYTES", 1_000_000)
# Largest calendar feed read from a source
PORTAL_NETWORK_FEED_MAX_BYTES = env.get_int("PORTAL_NETWORK_FEED_MAX_BYTES", 5_000_000)
PORTAL_NETWORK_INBOX_PER_MINUTE = env.get_int("PORTAL_NETWORK_INBOX_PER_MINUTE", 300)
PORTAL_NETWORK_RETRY_HOURS = env.get_int("PORTAL_NETWORK_RETRY_HOURS", 48)
PORTAL_NETWORK_RETRY_MAX_MINUTES = env.get_int("PORTAL_NETWORK_RETRY_MAX_MINUTES", 240)
PORTAL_NETWORK_FOLLOWER_GONE_DAYS = env.get_int("PORTAL_NETWORK_FOLLOWER_GONE_DAYS", 7)
PORTAL_NETWORK_FETCH_MINUTES = env.get_int("PORTAL_NETWORK_FETCH_MINUTES", 30)
# How far ahead recurring workshops of a calendar feed are expanded
PORTAL_NETWORK_WINDOW_DAYS = env.get_int("PORTAL_NETWORK_WINDOW_DAYS", 180)


# The open data API's OpenAPI document (portal/api.py, /api/openapi.json)
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # `format` is a workshop filter, not a choice of renderer
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "KoSI-Lab Portal – Open data API",
    "DESCRIPTION": (
        "Read-only data of one municipality's portal (the host you ask): workshops, workshop "
        "series, labs and partners, in German and English. Only published, public pages; no "
        "personal data. Every answer names the data licence and its attribution."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # one name for the five sectors, whether an actor's sector or a material's audience
    "ENUM_NAME_OVERRIDES": {"SectorEnum": "labs.models.Sector.values"},
    "DEFAULT_GENERATOR_CLASS": "portal.api.OpenDataSchemaGenerator",
}
