"""The ground floor of the KoSI-Lab portal: project wiring and what every domain app shares.

Imports no domain app (`home`, `labs`, `events`, `search`); only `settings/` and `urls.py`
name them (tests/test_architecture.py checks this). Domain apps tell the portal what it
needs through page methods and Wagtail hooks (CONTRIBUTING.md, "Architecture"):

- models/      the base page and shared fields, site settings, site texts
- editorial/   roles, approval workflow, publishing rules, review dates, dashboard
- delivery/    page cache, CDN purge, security middleware, logs, HTTP helpers
- content.py   the bilingual builder of the skeleton and the demo
- formats.py   editors' and visitors' text into each output format
- blocks.py, forms.py, filters.py, images.py, translation.py, sitemap.py, views.py
- templates/, static/, templatetags/, locale/, management/commands/
"""
