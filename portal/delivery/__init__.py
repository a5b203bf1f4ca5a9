"""Delivering pages: what happens between a finished page and the visitor.

- probes.py        /health/live and /health/ready, answered before the host check
- cache.py         the page cache for anonymous visitors and the site-wide chrome cache,
                   with what makes them stale (connected in portal/apps.py)
- request_facts.py what a request needs before its page is known (site, locale, home
                   pages, private sections), read once per content version
- cdn.py           purging a CDN or caching proxy after a publish
- middleware.py    Content-Security-Policy, Permissions-Policy, a Wagtail download fix
- files.py         documents with byte ranges, or handed over to nginx/Apache
- logs.py          JSON logs, the request log with shortened addresses, log filters
- http.py          the client's IP address behind proxies, rate limits, private
                   responses, absolute URLs from the site's address
- limits.py        the counters of rate limits and of the login throttle per address,
                   shared by all workers (Redis, or the database)
- console_mail.py  the readable console e-mail backend of local development

Referenced from settings (middleware, logging, cache and e-mail backends); imports no
domain app.
"""
