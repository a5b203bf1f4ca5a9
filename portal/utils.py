import importlib
import importlib.util

from django.apps import apps


def app_modules(module_name: str) -> list:
    """The `<app>.<module_name>` modules of the installed apps, in INSTALLED_APPS order.

    Lets each domain app contribute to the site skeleton and the demo content without
    `portal` importing the domain apps.
    """
    modules = []
    for config in apps.get_app_configs():
        dotted = f"{config.name}.{module_name}"
        if importlib.util.find_spec(dotted) is not None:
            modules.append(importlib.import_module(dotted))
    return modules
