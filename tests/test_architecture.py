"""The direction of dependencies (CONTRIBUTING.md, "Architecture"): `portal/` is the ground
floor and imports no domain app; the domain apps import `portal` and never each other in
a circle. Imports are read with `ast`, including those inside functions."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_APPS = ("home", "labs", "events", "library", "search", "network")
# Project wiring may name the domain apps: the settings list them, the URLconf routes to them.
WIRING = ("portal/settings/", "portal/urls.py")


def imported_modules(source: str, package: str) -> set[str]:
    """Every module a Python source imports, absolute (relative imports resolved against
    `package`)."""
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            modules.add(module)
            modules |= {f"{module}.{alias.name}" for alias in node.names}
    return modules


def apps_imported_by(path: Path) -> set[str]:
    relative = path.relative_to(ROOT)
    package = ".".join(relative.with_suffix("").parts[:-1])
    modules = imported_modules(path.read_text(encoding="utf-8"), package)
    return {module.split(".")[0] for module in modules} & set(DOMAIN_APPS)


def python_files(app: str):
    return [
        path
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and "__pycache__" not in path.parts
    ]


def test_the_checker_sees_imports_in_every_form():
    source = (
        "import labs.models\n"
        "from events import selectors\n"
        "def f():\n"
        "    from home.models import HomePage\n"
        "from ..models import BasePage\n"
        "import search.views as search_views\n"
    )
    found = {module.split(".")[0] for module in imported_modules(source, "portal.editorial")}
    assert {"labs", "events", "home", "search", "portal"} <= found


def test_portal_imports_no_domain_app():
    offenders = {}
    for path in python_files("portal"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(WIRING):
            continue
        if found := apps_imported_by(path):
            offenders[relative] = sorted(found)
    assert offenders == {}, (
        "portal/ is the ground floor: let the domain app tell it what it needs (a page "
        "method or a hook, see CONTRIBUTING.md) instead of importing it"
    )


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_domain_apps_import_each_other_without_circles(app):
    def imports_of(name):
        return set().union(*(apps_imported_by(path) for path in python_files(name))) - {name}

    graph = {name: imports_of(name) for name in DOMAIN_APPS}
    seen, stack = set(), [(app, [app])]
    while stack:
        current, trail = stack.pop()
        for neighbour in graph[current]:
            assert neighbour != app, f"circular imports between apps: {' → '.join([*trail, app])}"
            if neighbour not in seen:
                seen.add(neighbour)
                stack.append((neighbour, [*trail, neighbour]))
