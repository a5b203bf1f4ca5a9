"""EventPage uses the shared HeroImageMixin (portal.models): its image fields get the names
every page with a main image has. Only the columns are renamed; nothing visitors see."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("events", "0005_review_dates")]

    operations = [
        migrations.RenameField("eventpage", "image", "hero_image"),
        migrations.RenameField("eventpage", "image_alt", "hero_image_alt"),
        migrations.RenameField("eventpage", "image_decorative", "hero_image_decorative"),
    ]
