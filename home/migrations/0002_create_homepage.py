"""Swap Wagtail's placeholder page for the German HomePage as the site root.

This is the one data migration Wagtail itself expects (its project template does the same);
everything else of the site skeleton is built by `manage.py setup_portal`.
"""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("home.HomePage")

    Page.objects.filter(
        content_type__app_label="wagtailcore", content_type__model="page", depth=2
    ).delete()
    root = Page.objects.get(depth=1)
    homepage_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="home")
    locale = Locale.objects.order_by("pk").first()
    if locale is None:
        locale = Locale.objects.create(language_code="de")

    next_index = Page.objects.filter(depth=2).count() + 1
    homepage = HomePage.objects.create(
        title="Startseite",
        draft_title="Startseite",
        slug="home",
        content_type=homepage_type,
        path=f"{root.path}{next_index:04d}",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
    )
    Page.objects.filter(pk=root.pk).update(numchild=Page.objects.filter(depth=2).count())
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=homepage, is_default_site=True)


def remove_homepage(apps, schema_editor):
    apps.get_model("home.HomePage").objects.filter(depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [("home", "0001_initial")]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
