"""Logs for operations: one JSON object per line on stdout, and a request log whose client
addresses are shortened (IPv4 to /24, IPv6 to /48) so no visitor is identifiable (GDPR)."""

import ipaddress
import json
import logging
import re
import time

from .http import client_ip

request_logger = logging.getLogger("portal.requests")

# Attributes every LogRecord has; anything else was passed with `extra=` and is logged too,
# except Django's `request` (its repr holds the query string, e.g. search terms).
STANDARD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "request",
}
# Links from e-mails carry secrets in their path: a review decision, a registration's
# confirmation or cancellation. Logs keep the route, not the token.
TOKEN_IN_PATH = re.compile(r"(/review/|/register/[a-z]+/)[^/]+")


def anonymise_ip(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(
            (key, value)
            for key, value in vars(record).items()
            if key not in STANDARD_ATTRIBUTES and not key.startswith("_")
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class RequestLogMiddleware:
    """One line per request: method, path (without the query string, which may hold search
    terms), status, duration and the shortened client address. Replaces gunicorn's access
    log, which would record full addresses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        path = TOKEN_IN_PATH.sub(r"\1…", request.path)
        request_logger.info(
            "%s %s %s",
            request.method,
            path,
            response.status_code,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
                "client": anonymise_ip(client_ip(request)),
                "cache": response.get("X-Cache", "").lower(),
            },
        )
        return response


class SecretPathFilter(logging.Filter):
    """For Django's own request warnings ("Not Found: /review/<token>/"): the token goes."""

    def filter(self, record):
        message = record.getMessage()
        masked = TOKEN_IN_PATH.sub(r"\1…", message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


class RedisWarningFilter(logging.Filter):
    """django-redis logs an ignored connection error with logger.exception; a cache outage
    is a warning (pages are still served, uncached), in one line."""

    def filter(self, record):
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        if record.exc_info:
            record.msg = f"Cache unavailable, serving without it: {record.exc_info[1]}"
            record.exc_info = record.exc_text = None
        return True
