"""The editorial workflow: who may do what, who approves, and how changes go live.

- roles.py         the groups Redaktion, Freigabe, Administration, their permissions and the
                   two-step workflow `setup_portal` creates (domain apps add model
                   permissions with the hook "portal_role_permissions")
- tasks.py         the workflow steps: four-eyes approval, review by link
- review_links.py  sending, checking and deciding a review link; the reviewer's pages
- publishing.py    who may publish past the workflow (PORTAL_DIRECT_PUBLISH_GROUPS) and the
                   action that publishes an approved change
- permissions.py   the page permission check that enforces it in the whole admin
- translations.py  admin views that keep wagtail-localize's translations in the workflow
- review_dates.py  "review by" dates and the reminder mails
- dashboard.py     the go-live checklist and overdue reviews on the dashboard

Also part of it: the hooks in portal/wagtail_hooks.py, the template tag
`translation_review` (templatetags/portal_admin_tags.py), the wagtail-localize editor
override (templates/wagtail_localize/admin/edit_translation.html), the scheduler and
`send_review_reminders` (management/commands/). May import portal's models and helpers;
nothing here imports a domain app.
"""
