"""Build the demo site: the skeleton, then German pages with English translations."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal.demo import demo_loaded, load_demo_content, unknown_pages

DEMO_USERS = [
    ("redaktion", "Redaktion"),
    ("redaktion2", "Redaktion"),
    ("freigabe", "Freigabe"),
    ("administration", "Administration"),
]
# the second municipality's staff (portal/demo.py, SECOND_SITE)
SECOND_SITE_USERS = [
    ("redaktion-lindental", "Redaktion Lindental"),
    ("redaktion2-lindental", "Redaktion Lindental"),
    ("freigabe-lindental", "Freigabe Lindental"),
    ("administration-lindental", "Administration Lindental"),
    ("betrieb", "Betrieb"),  # the installation's operators, over both
]


class Command(BaseCommand):
    help = (
        "Load the KoSI-Lab demo content in German and English (idempotent), with a second "
        "municipality at lindental.localhost unless --single-site. Refuses a database that "
        "holds other content and no demo yet, unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the demo content even though the database holds other pages.",
        )
        parser.add_argument(
            "--single-site",
            action="store_true",
            help="Leave out the second municipality (Lindental at lindental.localhost).",
        )
        parser.add_argument(
            "--admin",
            action="store_true",
            help="Create the user 'admin' (or reset its password) and print the login.",
        )

    def handle(self, *args, force=False, admin=False, single_site=False, **options):
        call_command("setup_portal", stdout=self.stdout)
        foreign = unknown_pages()
        if foreign.exists() and not demo_loaded() and not force:
            example = foreign.order_by("path").first()
            raise CommandError(
                f"This database holds {foreign.count()} page(s) the demo did not create "
                f"(e.g. {example.title!r} at {example.url_path}). Demo content belongs in an "
                "empty portal; use --force to add it anyway."
            )
        created = load_demo_content(stdout=self.stdout, second_site=not single_site)
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo content loaded ({len(created)} pages)."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo content is already complete."))
        self.create_demo_users(DEMO_USERS if single_site else DEMO_USERS + SECOND_SITE_USERS)
        if admin:
            self.create_admin()

    def create_demo_users(self, users):
        """One user per role (two editors, since nobody approves their own text), so the
        whole approval process can be tried. Passwords are shown only with DEBUG on;
        elsewhere the accounts get no usable password."""
        user_model = get_user_model()
        logins = []
        for username, role in users:
            user, _ = user_model.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.org"}
            )
            user.groups.set([Group.objects.get(name=role)])
            if settings.DEBUG:
                password = secrets.token_urlsafe(9)
                user.set_password(password)
                logins.append(f"  {username} ({role}): {password}")
            else:
                user.set_unusable_password()
            user.save()
        if logins:
            self.stdout.write("Demo users (new passwords each run):\n" + "\n".join(logins))

    def create_admin(self):
        user_model = get_user_model()
        password = secrets.token_urlsafe(12)
        user, _ = user_model.objects.get_or_create(
            username="admin", defaults={"email": "admin@example.org"}
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(f"Admin login: user 'admin', password '{password}' (new each run)")
        )
