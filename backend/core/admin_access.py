"""Who may see what in the Django admin, which reads models directly, past the selectors' scoping.

One agency's records are its own administrator's alone (``AgencyScopedAdminMixin``): the
administrator role makes an officer's login a superuser, and the admin showed an agency's
administrator every agency's officers, units, shifts, logins and second factors to change. The
operational records are their agencies' alike (``JOINT_RECORDS``): the admin showed one agency's
administrator another's sealed operations before their reveal time, their teams, inspections,
submissions and findings, its cases, reviews and victims' referrals, and the scheduler's targets,
waves and plans of those operations (their sites and timing), searchable by the operation's name.

Sealed operations and victims' data are administrators' alone, every read audited: Django's own
"view" permission knows nothing of reveal times or need to know: a staff login given that permission
read sealed operations, their teams and inspections. So these model admins answer to the
administrator role (or a superuser) only, whatever Django permissions a login holds, and every
list or object they show leaves an audit entry of a read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import NestedObjects, get_deleted_objects, quote
from django.contrib.auth import get_user_model
from django.db import models, router
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext

from backend.core.access import principal_for

ADMINISTRATOR = "administrator"


def is_administrator(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return False
    return principal_for(user).has_role(ADMINISTRATOR)  # a superuser holds every role


# --- One agency's records ------------------------------------------------------------------------

# How each agency-owned model reaches its agency, by model label; the agency itself is here for the
# choice of agency on those records' forms (its own admin page lists every agency). A model not
# named here is shared by every agency (sites, companies, skills, checklist templates, violations,
# policies...). The logins (the user model) are ruled by ``_logins`` below.
AGENCY_PATHS: dict[str, str] = {
    "registry.agency": "pk",
    "registry.unit": "agency",
    "registry.officer": "agency",
    "registry.officerrole": "officer__agency",
    "registry.availability": "officer__agency",
    "registry.conflictofinterest": "officer__agency",
    "mobile_api.devicetoken": "user__officer__agency",
    "otp_totp.totpdevice": "user__officer__agency",
    # Each agency's own decisions and work: as the reviewers' and planners' selectors scope them.
    "compliance.review": "agency",
    "compliance.compliancecase": "agency",
    "compliance.prosecutionrecord": "agency",
    "planning.duework": "agency",
    # A routine programme is its agency's (whoever else it names among its planners or officers).
    "scheduler.programme": "agency",
}


def _p(prefix: str) -> str:
    return f"{prefix}__" if prefix else ""


def _operation_q(agency_id: int, prefix: str = "") -> Q:
    """An operation (through ``prefix``) is the agency's that leads it or takes part in it, sealed
    or not: its administrators prepare it before its reveal time, as its planners do."""
    p = _p(prefix)
    return Q(**{f"{p}lead_agency_id": agency_id}) | Q(**{f"{p}agencies__id": agency_id})


def _team_q(agency_id: int, prefix: str = "") -> Q:
    """An operation's team follows its operation; a routine team (no operation) is its members'
    agencies' and its leader's."""
    p = _p(prefix)
    routine = Q(**{f"{p}members__agency_id": agency_id}) | Q(**{f"{p}leader__agency_id": agency_id})
    return _operation_q(agency_id, f"{p}operation") | (Q(**{f"{p}operation__isnull": True}) & routine)


def _inspection_q(agency_id: int, prefix: str = "") -> Q:
    """An operation's inspection follows its operation (whichever agency it is counted for); a
    routine one is its responsible agency's and its team's members' agencies'."""
    p = _p(prefix)
    routine = Q(**{f"{p}agency_id": agency_id}) | Q(**{f"{p}team__members__agency_id": agency_id})
    return _operation_q(agency_id, f"{p}operation") | (Q(**{f"{p}operation__isnull": True}) & routine)


def _submission_q(agency_id: int, prefix: str = "") -> Q:
    """What the field sent: its inspection's agencies', the sender's agency's, and the agency that
    reviews a finding on it (as ``reviewable_submissions`` shows it to that agency's reviewers)."""
    p = _p(prefix)
    return (
        _inspection_q(agency_id, f"{p}inspection")
        | Q(**{f"{p}officer__agency_id": agency_id})
        | Q(**{f"{p}findings__competent_agency_id": agency_id})
    )


# Records several agencies share, each as a Q on the model for one agency's id: an operation's are
# its lead's and its participants', and what hangs from it follows it. Unlike AGENCY_PATHS' models,
# their forms take any agency's officers (a joint team's leader and members), never another
# agency's operation, team or inspection. Their admins hold the agency's records whatever the
# picker asks (``every_agency`` does not widen them).
JOINT_RECORDS: dict[str, Callable[[int], Q]] = {
    "inspections.operation": _operation_q,
    "inspections.team": _team_q,
    "inspections.inspection": _inspection_q,
    "inspections.submission": _submission_q,
    "inspections.attachment": lambda a: _submission_q(a, "submission"),
    "inspections.checkin": lambda a: _inspection_q(a, "inspection") | Q(officer__agency_id=a),
    "inspections.finding": lambda a: _inspection_q(a, "inspection") | Q(competent_agency_id=a),
    # The scheduler's: an operation's set-up, waves and targets (its sites and timing, before the
    # reveal too) follow the operation; a planning job follows its operation, or its routine
    # programme's agency.
    "scheduler.operationsetup": lambda a: _operation_q(a, "operation"),
    "scheduler.wave": lambda a: _operation_q(a, "operation"),
    "scheduler.target": lambda a: _operation_q(a, "operation"),
    "scheduler.planningjob": lambda a: _operation_q(a, "operation") | Q(programme__agency_id=a),
    # A victim's referral is the referring agency's (its reviewers and team leaders read it) and
    # the protection service's it was referred to; no other agency's administrator's.
    "compliance.referral": lambda a: Q(referring_agency_id=a) | Q(referred_to_id=a),
}


# The one agency's records that a joint or shared record's form picks from every agency: an
# operation's agencies, a set-up's muster point, a joint team's leader and members. Nothing else of
# another agency is offered whatever the form (a picker's search can name any source field): a
# planning job's "routine programme" picker listed every agency's programmes, a case event's
# "case" every agency's compliance cases.
PICKED_FROM_EVERY_AGENCY = frozenset({"registry.agency", "registry.unit", "registry.officer"})


def agency_owned(model: type[models.Model]) -> bool:
    """Whether ``model``'s records are each one agency's (a login is its officer's agency's)."""
    return model is get_user_model() or model._meta.label_lower in AGENCY_PATHS


def admin_agency_id(user: Any) -> int | None:
    """The agency whose records ``user`` manages in the admin: their officer's, as the registry
    import draws it; None for a login with no officer record (``createsuperuser``'s), which
    manages every agency's."""
    officer = getattr(user, "officer", None) if hasattr(user, "officer") else None
    return officer.agency_id if officer is not None else None


def agency_records(
    user: Any, queryset: models.QuerySet[Any], *, every_agency: bool = False
) -> models.QuerySet[Any]:
    """``queryset`` narrowed to the records of ``user``'s agency where its model is one agency's
    or several agencies' (a shared model's, or a login with no officer record's, whole). With
    ``every_agency`` (a picker on a joint or shared record's form), agencies, units and officers
    are every agency's (``PICKED_FROM_EVERY_AGENCY``); anything else stays the user's agency's."""
    agency_id = admin_agency_id(user)
    if agency_id is None:
        return queryset
    rule = JOINT_RECORDS.get(queryset.model._meta.label_lower)
    if rule is not None:
        # Through the ids: joins over the participants and members would repeat a record.
        mine = queryset.model._default_manager.filter(rule(agency_id)).values("pk")
        return queryset.filter(pk__in=mine)
    if every_agency and queryset.model._meta.label_lower in PICKED_FROM_EVERY_AGENCY:
        return queryset
    if queryset.model is get_user_model():
        return _logins(user, agency_id, queryset)
    path = AGENCY_PATHS.get(queryset.model._meta.label_lower)
    return queryset if path is None else queryset.filter(**{path: agency_id})


def _logins(user: Any, agency_id: int, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """The logins of the agency's officers, and those this administrator created in the admin
    that no officer holds yet (to be picked for the officer they add next) and hold no rights.
    Never another login with no officer record: the bootstrap superuser's, a former officer's, or
    one another agency's administrator created (whose password they could otherwise set)."""
    from backend.audit.models import AuditEntry

    model = queryset.model
    created = AuditEntry.objects.filter(
        actor=user,
        action=AuditEntry.Action.CREATE,
        # As backend.audit.admin_mixins names a create through the admin.
        verb=f"admin_{model._meta.model_name}_{AuditEntry.Action.CREATE}",
        object_type=model._meta.label_lower,
    ).values("object_id")
    return queryset.alias(_pk_text=Cast("pk", CharField())).filter(
        Q(officer__agency_id=agency_id)
        | Q(officer__isnull=True, is_staff=False, is_superuser=False, _pk_text__in=created)
    )


# --- Deleting a record: what depends on it ---------------------------------------------------------


def _scoped(model: type[models.Model]) -> bool:
    return agency_owned(model) or model._meta.label_lower in JOINT_RECORDS


def _hidden_values(user: Any, model: type[models.Model], field: str, values: set[Any]) -> set[Any]:
    """Which of ``values`` (of ``model``'s ``field``) are records ``agency_records`` hides from
    ``user``."""
    records = model._base_manager.filter(**{f"{field}__in": values})
    return values - set(agency_records(user, records).values_list(field, flat=True))


def others_records(user: Any, objects: Iterable[models.Model]) -> set[models.Model]:
    """Those of ``objects`` that are other agencies' records to ``user``: of a model one agency's
    or several agencies' that ``agency_records`` does not show them, or of a shared model that goes
    with such a record (a foreign key to it, on_delete CASCADE: a sealed operation's scheduler
    targets and waves, named after it)."""
    by_model: dict[type[models.Model], set[models.Model]] = defaultdict(set)
    for obj in objects:
        by_model[obj._meta.model].add(obj)
    hidden: set[models.Model] = set()
    for model, objs in by_model.items():
        if _scoped(model):
            hide = _hidden_values(user, model, "pk", {o.pk for o in objs})
            hidden |= {o for o in objs if o.pk in hide}
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.ForeignKey):  # a one-to-one field is one too
                continue
            related: Any = field.related_model
            if field.remote_field.on_delete is not models.CASCADE or not _scoped(related):
                continue
            values = {getattr(o, field.attname) for o in objs} - {None}
            hide = _hidden_values(user, related, field.target_field.attname, values)
            hidden |= {o for o in objs if getattr(o, field.attname) in hide}
    return hidden


class ProtectedRecords(list[Any]):
    """What keeps a record from being deleted, as the admin's delete pages list it, and how many
    records of other agencies among them (``other_agencies``), named nowhere: the pages say only
    that they exist (templates/admin/delete_confirmation.html, delete_selected_confirmation.html)."""

    other_agencies = 0


_HIDDEN = object()


def _shown(nested: list[Any]) -> list[Any]:
    """A nested list of ``NestedObjects.nested`` without the hidden objects and what hangs from
    them (the list that follows each)."""
    shown: list[Any] = []
    hidden = False
    for item in nested:
        if isinstance(item, list):
            children = [] if hidden else _shown(item)
            if children:
                shown.append(children)
        else:
            hidden = item is _HIDDEN
            if not hidden:
                shown.append(item)
    return shown


def agency_deleted_objects(objs: Any, request: HttpRequest, admin_site: Any) -> tuple[Any, ...]:
    """Django's ``get_deleted_objects`` (what a delete would take with it, what protects it) for
    every model admin's delete page and "delete selected" action, as an agency's administrator may
    see it. Django's listed and linked every agency's records: the labour bureau's administrator,
    about to delete a shared site, read "Inspection: ... @ Raid target" of the police's sealed
    operation, its target and date. Other agencies' records (``others_records``, and what would go
    with them) are neither listed, linked nor counted in the summary; the delete is refused, as
    for a protected object (a shared record's delete never takes another agency's records), and
    the page says how many records of other agencies depend on it. A login with no officer record
    sees Django's page."""
    user = request.user
    if admin_agency_id(user) is None:
        return get_deleted_objects(objs, request, admin_site)  # type: ignore[no-any-return]
    try:
        first = objs[0]
    except IndexError:
        return [], {}, set(), ProtectedRecords()
    collector = NestedObjects(using=router.db_for_write(first._meta.model), origin=objs)
    collector.collect(objs)
    collected = [obj for model_objs in collector.model_objs.values() for obj in model_objs]
    hidden = others_records(user, [*collected, *collector.protected])
    # What a hidden record would take with it is its agency's too.
    pending = [obj for obj in hidden if obj in collector.edges]
    while pending:
        for child in collector.edges.get(pending.pop(), ()):
            if child not in hidden:
                hidden.add(child)
                pending.append(child)
    perms_needed: set[Any] = set()

    def format_callback(obj: models.Model) -> Any:
        """As Django's, hidden objects aside."""
        if obj in hidden:
            return _HIDDEN
        opts = obj._meta
        no_edit_link = f"{capfirst(opts.verbose_name)}: {obj}"
        if not admin_site.is_registered(obj.__class__):
            return no_edit_link
        if not admin_site.get_model_admin(obj.__class__).has_delete_permission(request, obj):
            perms_needed.add(opts.verbose_name)
        try:
            url = reverse(
                f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change", None, (quote(obj.pk),)
            )
        except NoReverseMatch:
            return no_edit_link
        return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)

    to_delete = _shown(collector.nested(format_callback))
    protected = ProtectedRecords(format_callback(obj) for obj in collector.protected if obj not in hidden)
    model_count = {
        model._meta.verbose_name_plural: len(shown)  # type: ignore[attr-defined]
        for model, model_objs in collector.model_objs.items()
        if (shown := model_objs - hidden)
    }
    if hidden:
        protected.other_agencies = len(hidden)
        protected.append(gettext("Records of other agencies: %(count)d") % {"count": len(hidden)})
    return to_delete, model_count, perms_needed, protected


class AgencyRecordsListFilter(admin.RelatedFieldListFilter):
    """A list filter on a relation that names only the records the administrator's agency may see
    (``agency_records``): the plain one named every operation, sealed ones of other agencies too.
    On a joint record's list, one agency's records (agencies, officers) are every agency's, as its
    form accepts."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> Any:
        ordering = self.field_admin_ordering(field, request, model_admin)
        records = agency_records(
            request.user,
            field.related_model._default_manager.all(),
            every_agency=not agency_owned(model_admin.model),
        )
        return field.get_choices(
            include_blank=False, ordering=ordering, limit_choices_to=Q(pk__in=records.values("pk"))
        )


class AgencyScopedAdminMixin:
    """Put it first among a ModelAdmin's bases. For an administrator with an officer record, the
    model admin holds their agency's records alone (``agency_records``): its list, its change,
    delete and history pages (another agency's record answers as a missing one), its actions
    (which run on the list's queryset), and the choices of its foreign keys (an officer's agency
    and unit among them; on a joint record's form, a team's operation or an inspection's team,
    any agency's officer). Its pickers' searches are narrowed alike
    (backend.console.admin_site.LabelledAutocompleteJsonView); its list filters on a relation
    should be ``AgencyRecordsListFilter``."""

    def get_queryset(self, request: HttpRequest) -> Any:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        # A picker on a joint record's form (a joint team's leader) asks for every agency's
        # officers, as its form accepts: never for every agency's operations.
        return agency_records(request.user, queryset, every_agency=getattr(request, "every_agency", False))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and getattr(field, "queryset", None) is not None:
            joint = not agency_owned(self.model)  # type: ignore[attr-defined]
            field.queryset = agency_records(request.user, field.queryset, every_agency=joint)
        return field


class AdministratorsOnlyAdminMixin:
    """Put it first among a ModelAdmin's bases (or an inline's)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user) and super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user) and super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_administrator(request.user) and super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class AuditedReadsAdminMixin(AdministratorsOnlyAdminMixin):
    """Also: each list and each object shown is an audited read (who, what, from where)."""

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)  # type: ignore[misc]
        if getattr(response, "status_code", 0) == 200 and request.method == "GET":
            from backend.audit.services import audit_record

            model = self.model  # type: ignore[attr-defined]
            audit_record(
                actor=request.user,
                action="read",
                verb="admin_list",
                object_type=model._meta.label_lower,
                changes={"query": request.GET.urlencode()},
                request=request,
            )
        return response  # type: ignore[no-any-return]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        if getattr(response, "status_code", 0) == 200 and request.method == "GET":
            from backend.audit.services import audit_record

            model = self.model  # type: ignore[attr-defined]
            audit_record(
                actor=request.user,
                action="read",
                verb="admin_view",
                object_type=model._meta.label_lower,
                object_id=str(object_id),
                request=request,
            )
        return response  # type: ignore[no-any-return]
