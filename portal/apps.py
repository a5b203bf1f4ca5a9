from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from wagtail.signals import page_published

        page_published.connect(set_review_date_on_publish)


def set_review_date_on_publish(sender, instance, **kwargs):
    from .reviews import set_default_review_date

    set_default_review_date(instance)
