"""The editorial roles and the four-eyes workflow every fork starts with (see setup_portal).

Who may do what: ROLES below (page, collection and Wagtail permissions), plus the model
permissions each domain app adds per role through the hook "portal_role_permissions"
(e.g. labs/wagtail_hooks.py). Who approves which step: STEPS. Who may publish past the
workflow: PORTAL_DIRECT_PUBLISH_GROUPS (publishing.py).

Idempotent: running it again restores missing permissions but never removes permissions
an administrator added, nor groups, users or workflows that are in use. Once only, when the
installation gets its second site, the default site's Administration hands what belongs to
the whole installation to the new role Betrieb (BETRIEB).
"""

import dataclasses

from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from wagtail import hooks
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from ..models import PortalSettings
from ..sites import several_sites
from .tasks import FourEyesApprovalTask

MEDIA_PERMISSIONS = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]
ALL_MEDIA_PERMISSIONS = [
    *MEDIA_PERMISSIONS,
    "wagtailimages.delete_image",
    "wagtaildocs.delete_document",
]
EDITING = ["wagtailadmin.access_admin", "wagtail_localize.submit_translation"]
SITE_TEXTS = ["portal.add_sitetexts", "portal.change_sitetexts"]


@dataclasses.dataclass(frozen=True)
class Role:
    name: str
    description: str
    page_permissions: list[str]
    collection_permissions: list[str]
    permissions: list[str] | None  # None: every permission there is
    # granted on each language's home page instead of the root, so that nothing can be
    # published at the root, outside the site (where BasePage's rules do not apply)
    home_page_permissions: tuple[str, ...] = ()


REDAKTION = Role(
    name="Redaktion",
    description=(
        "Editors: create and edit labs, workshops, actors and content pages in every "
        "language, upload images and documents, submit changes for approval. Cannot publish."
    ),
    page_permissions=["add_page", "change_page"],
    collection_permissions=MEDIA_PERMISSIONS,
    permissions=EDITING,
)
FREIGABE = Role(
    name="Freigabe",
    description=(
        "Approvers: approve or reject changes in the second step of the workflow, unpublish "
        "pages, manage schedules, view and manage workshop registrations."
    ),
    page_permissions=["add_page", "change_page", "lock_page", "unlock_page"],
    home_page_permissions=("publish_page",),
    collection_permissions=MEDIA_PERMISSIONS,
    permissions=EDITING,
)
ADMINISTRATION = Role(
    name="Administration",
    description=(
        "Administrators: site settings, site texts, users, groups, workflows, redirects and "
        "everything else; may publish without approval (PORTAL_DIRECT_PUBLISH_GROUPS)."
    ),
    page_permissions=[
        "add_page",
        "change_page",
        "publish_page",
        "bulk_delete_page",
        "lock_page",
        "unlock_page",
    ],
    collection_permissions=ALL_MEDIA_PERMISSIONS,
    permissions=None,
)
ROLES = [REDAKTION, FREIGABE, ADMINISTRATION]
# Only once the installation serves several municipalities: its own staff, over all of them.
BETRIEB = Role(
    name="Betrieb",
    description=(
        "The installation's operators (several municipalities): every site's pages, "
        "settings, texts, images and reports, users, groups, workflows and everything else."
    ),
    page_permissions=ADMINISTRATION.page_permissions,
    collection_permissions=ALL_MEDIA_PERMISSIONS,
    permissions=None,
)

WORKFLOW_NAME = "Redaktionelle Prüfung → Freigabe"
STEPS = [("Redaktionelle Prüfung", REDAKTION), ("Freigabe", FREIGABE)]
# What Wagtail's own migrations create; replaced by the roles and workflow above.
WAGTAIL_DEFAULT_GROUPS = ["Moderators", "Editors"]
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"


def app_permissions(role: Role) -> list[str]:
    """The model permissions domain apps grant `role` ("portal_role_permissions" hooks: each
    returns {role name: ["app_label.codename", …]})."""
    names = []
    for contribute in hooks.get_hooks("portal_role_permissions"):
        names += contribute().get(role.name, [])
    return names


def _permissions(names):
    query = Q()
    for name in names:
        app_label, codename = name.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


def site_home_pages(site: Site) -> list[Page]:
    """The site's home page in every language (its root page and the root's translations)."""
    return list(site.root_page.get_translations(inclusive=True))


def is_municipality(site: Site | None) -> bool:
    """A site added with `setup_portal --site`; the default site keeps the plain role names."""
    return site is not None and not site.is_default_site


def role_name(role: Role, site: Site | None) -> str:
    return f"{role.name} {site.site_name}" if is_municipality(site) else role.name


def page_scope(site: Site | None, homes: list[Page]) -> list[Page]:
    """Where a site's roles get their page permissions: the root while the installation has
    one site (every language's tree), else the site's own home pages `homes`, so one
    municipality's staff never reach another's pages."""
    if not is_municipality(site) and not several_sites():
        return [Page.get_first_root_node()]
    return homes


def collection_for(site: Site | None) -> Collection:
    """Where a site's images and documents live: the root collection while the installation
    has one site, else a collection of the site's own (named after it), so that one
    municipality's staff never see or choose another's."""
    root = Collection.get_first_root_node()
    if not is_municipality(site) and not several_sites():
        return root
    site = site or Site.objects.get(is_default_site=True)
    portal_settings = PortalSettings.for_site(site)
    if portal_settings.collection is None:
        name = collection_name(site)
        existing = root.get_children().filter(name=name).first()
        portal_settings.collection = existing or root.add_child(name=name)
        portal_settings.save(update_fields=["collection"])
    return portal_settings.collection


def collection_name(site: Site) -> str:
    if site.site_name:
        return site.site_name
    return settings.WAGTAIL_SITE_NAME if site.is_default_site else site.hostname


def move_media_off_the_root(collection: Collection, log=print) -> None:
    """The default site's images and documents, filed in the root collection while it was the
    only site, move into its own collection once there are several."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    root = Collection.get_first_root_node()
    if collection == root:
        return
    for model in [get_image_model(), get_document_model()]:
        moved = model.objects.filter(collection=root).update(collection=collection)
        if moved:
            log(f"Moved {moved} {model._meta.verbose_name_plural} into {collection.name}.")


def model_permissions(role: Role, site: Site | None):
    if role.permissions is not None:
        return _permissions([*role.permissions, *app_permissions(role)])
    if role is BETRIEB or not (is_municipality(site) or several_sites()):
        return Permission.objects.all()  # the installation's own staff
    # A municipality's Administration (once there are several, the default site's too) edits
    # and approves on its own site, edits its settings (a per-site permission, below) and its
    # site texts (the admin offers only its own); users, groups and workflows stay with the
    # installation's operators (BETRIEB).
    return _permissions(
        [
            *EDITING,
            *SITE_TEXTS,
            *app_permissions(REDAKTION),
            *app_permissions(FREIGABE),
            *app_permissions(ADMINISTRATION),
        ]
    )


def ensure_roles(log=print, site: Site | None = None) -> dict[str, Group]:
    """The roles of `site` (None: the default site) with their permissions."""
    # Model permissions are created after `migrate`, by a signal; make sure they exist now.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    root_page = Page.get_first_root_node()
    homes = site_home_pages(site or Site.objects.get(is_default_site=True))
    scope = page_scope(site, homes)
    collection = collection_for(site)
    root_collection = Collection.get_first_root_node()
    groups = {}
    installation_staff = not is_municipality(site) and several_sites()
    # The step from one site to several, taken once: the default site's Administration
    # hands what is the whole installation's to Betrieb, its media leave the root collection.
    # Later runs leave both as administrators keep them.
    becoming_several = installation_staff and not Group.objects.filter(name=BETRIEB.name).exists()
    if becoming_several:
        move_media_off_the_root(collection, log)
    for role in [*ROLES, BETRIEB] if installation_staff else ROLES:
        name = role_name(role, site)
        group, created = Group.objects.get_or_create(name=name)
        if created:
            log(f"Created the role {name}.")
        groups[role.name] = group
        granted = model_permissions(role, site)
        if role is ADMINISTRATION and becoming_several:
            narrowed = group.permissions.exclude(pk__in=granted.values("pk"))
            if narrowed.exists():
                group.permissions.remove(*narrowed)
                log(f"{name} now serves the default site only; the role Betrieb serves all.")
        group.permissions.add(*granted)
        reach = [root_page] if role is BETRIEB else scope
        grants = [(page, codename) for page in reach for codename in role.page_permissions] + [
            (home, codename) for home in homes for codename in role.home_page_permissions
        ]
        # nothing is published at the root, outside a site; and once the installation has
        # several sites, nothing of the root's reach is left
        stale = GroupPagePermission.objects.filter(group=group, page=root_page)
        if reach != [root_page]:
            stale.delete()
        else:
            stale.filter(permission__codename__in=role.home_page_permissions).delete()
        for page, codename in grants:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=page,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        media = root_collection if role is BETRIEB else collection
        if media != root_collection:
            GroupCollectionPermission.objects.filter(
                group=group, collection=root_collection
            ).delete()
        for permission in _permissions(role.collection_permissions):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=media, permission=permission
            )
        if role is ADMINISTRATION and (is_municipality(site) or installation_staff):
            for permission in site_setting_permissions():
                GroupSitePermission.objects.get_or_create(
                    group=group,
                    site=site or Site.objects.get(is_default_site=True),
                    permission=permission,
                )
    for old in WAGTAIL_DEFAULT_GROUPS:
        unused = Group.objects.filter(name=old, user__isnull=True)
        if unused.exists():
            unused.delete()
            log(f"Removed Wagtail's default group {old} (replaced by the roles).")
    return groups


def site_setting_permissions() -> list[Permission]:
    """The site settings a municipality's Administration edits for its own site: the portal
    settings, and those the domain apps add with the hook `portal_site_settings` (a
    function returning "app_label.change_model" names, e.g. the network's)."""
    names = ["portal.change_portalsettings"]
    for hook in hooks.get_hooks("portal_site_settings"):
        names += hook()
    permissions = []
    for name in names:
        app_label, codename = name.split(".")
        permissions.append(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return permissions


def ensure_workflow(groups: dict[str, Group], log=print, site: Site | None = None) -> Workflow:
    """The two-step workflow: for the default site on the root, so it covers every page in
    every language; for a municipality on its home pages, with steps only its own roles
    decide."""
    suffix = f" ({site.site_name})" if is_municipality(site) else ""
    name = WORKFLOW_NAME + suffix
    workflow, created = Workflow.objects.get_or_create(name=name)
    if created:
        log(f"Created the workflow {name}.")
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    for order, (step, role) in enumerate(STEPS):
        task_name = f"{step} {site.site_name}" if is_municipality(site) else step
        task = FourEyesApprovalTask.objects.filter(name=task_name).first()
        if task is None:
            task = FourEyesApprovalTask.objects.create(name=task_name)
        task.groups.add(groups[role.name])
        WorkflowTask.objects.update_or_create(
            workflow=workflow, task=task, defaults={"sort_order": order}
        )
    targets = site_home_pages(site) if is_municipality(site) else [Page.get_first_root_node()]
    for page in targets:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    default = Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW).first()
    if default is not None:
        old_tasks = [workflow_task.task for workflow_task in default.workflow_tasks.all()]
        if default.workflow_states.exists():
            default.deactivate()  # keeps the history of pages moderated with it
        else:
            default.delete()
            for task in old_tasks:
                if not task.task_states.exists() and not task.workflow_tasks.exists():
                    task.delete()
        log(f"Replaced Wagtail's default workflow {WAGTAIL_DEFAULT_WORKFLOW}.")
    return workflow
