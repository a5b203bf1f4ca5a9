"""WSGI entry point for gunicorn (see Procfile)."""

import os

from django.core.wsgi import get_wsgi_application

from portal.settings.env import load_settings_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
load_settings_or_exit()
application = get_wsgi_application()
