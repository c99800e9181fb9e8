import json
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Cast, Replace
from django.db.models.lookups import In
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from backend.audit.models import AuditEntry
from backend.audit.verbs import verb_label
from backend.core.admin_access import AGENCY_PATHS, JOINT_RECORDS, admin_agency_id, agency_records
from backend.registry.models import Officer

# What the entries name that is no model: the demo's loads, the privacy pages' reports and runs.
NOT_MODELS = {
    "demo.city": _("demo city"),
    "demo.history": _("demo history"),
    "privacy.accessreport": _("report of reads of persons' details"),
    "privacy.retention": _("retention run"),
}


def object_type_name(object_type: str) -> str:
    """An entry's object type ("registry.officer") as its model is named in the reader's
    language ("人員"), or as ``NOT_MODELS`` names it; any other type stays as recorded."""
    if object_type in NOT_MODELS:
        return str(NOT_MODELS[object_type])
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


# Object types whose entries are about a person: another agency's are that agency's alone.
PERSONAL_TYPES = (
    "registry.officer",
    "auth.user",
    "compliance.referral",
    "compliance.victimpersonaldetails",
)


# Object types whose records are one agency's or several agencies' in the admin (agencies are every
# administrator's to read; ``backend.core.admin_access``); the people's are PERSONAL_TYPES'.
SCOPED_TYPES = tuple(
    sorted((set(AGENCY_PATHS) | set(JOINT_RECORDS)) - set(PERSONAL_TYPES) - {"registry.agency"})
)


def _bare(text: Any) -> Replace:
    return Replace(text, Value("-"), Value(""))


def _system_entries_about_theirs(user: Any) -> Q:
    """The system's entries (no actor) about records of SCOPED_TYPES that ``agency_records``
    gives ``user``: an entry names its object by uuid where the model has one, else by key."""
    about = Q(pk__in=[])
    for label in SCOPED_TYPES:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if any(f.name == "uuid" for f in model._meta.concrete_fields):
            # Written as str(uuid), with hyphens; SQLite keeps a uuid as 32 hex digits: compared
            # without the hyphens on either side.
            theirs = agency_records(user, model._default_manager.all()).annotate(
                t=_bare(Cast("uuid", CharField()))
            )
            named = In(_bare(F("object_id")), theirs.values("t"))
        else:
            theirs = agency_records(user, model._default_manager.all()).annotate(t=Cast("pk", CharField()))
            named = In(F("object_id"), theirs.values("t"))
        about |= Q(Q(object_type=label), named)
    return Q(actor__isnull=True) & about


def agency_entries(user: Any, queryset: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    """The entries an agency's administrator reads in the admin: those by their agency's people,
    those about their agency's officers and logins (whoever made them, the system included), the
    system's own about no person and no agency's record (a site's risk) or about a record the admin
    shows them (a planning job of an operation their agency takes part in, not a sealed one's),
    failed sign-ins as their own agency's people or as no known login; a login with no officer
    record reads every entry. The log names people, their addresses and their sign-ins: another
    agency's are that agency's."""
    agency_id = admin_agency_id(user)
    if agency_id is None:
        return queryset
    officers = Officer.objects.filter(agency_id=agency_id)
    as_text = Cast("pk", CharField())
    logins = get_user_model().objects.filter(officer__agency_id=agency_id)
    return queryset.filter(
        Q(actor__officer__agency_id=agency_id)
        | Q(object_type=Officer._meta.label_lower, object_id__in=officers.annotate(t=as_text).values("t"))
        | Q(
            object_type=get_user_model()._meta.label_lower,
            object_id__in=logins.annotate(t=as_text).values("t"),
        )
        | (Q(actor__isnull=True) & ~Q(object_type__in=PERSONAL_TYPES + SCOPED_TYPES))
        # The system's entries about an agency's or an operation's record ("plan of Harbour raid
        # (sealed) (failed)"): those about records the admin shows this administrator.
        | _system_entries_about_theirs(user)
        # A failed sign-in names the login typed, by its username: theirs, or one no login has.
        | Q(
            action=AuditEntry.Action.LOGIN_FAILED,
            object_type=get_user_model()._meta.label_lower,
        )
        & ~Q(object_id__in=get_user_model().objects.exclude(officer__agency_id=agency_id).values("username"))
    )


def _field_name(object_type: str, key: str) -> str:
    """A details key named as the object's model names the field it is ("risk_score" of a site:
    "risk score" in the reader's language); any other key as recorded."""
    try:
        return str(apps.get_model(object_type)._meta.get_field(key).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist, AttributeError):
        return key


def _value_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def details_table(entry: AuditEntry) -> SafeString | str:
    """An entry's details as a table of what each key recorded; an update's changed fields
    (``model_changes``: ``{field: [old, new]}``) as "old → new"."""
    changes = entry.changes if isinstance(entry.changes, dict) else {"": entry.changes}
    if not changes:
        return "—"
    rows = []
    for key, value in changes.items():
        name = _field_name(entry.object_type, key)
        is_change = (
            entry.action == AuditEntry.Action.UPDATE
            and name != key
            and isinstance(value, list)
            and len(value) == 2
        )
        text = f"{_value_text(value[0])} → {_value_text(value[1])}" if is_change else _value_text(value)
        rows.append((name, text))
    return format_html(
        '<table class="audit-details"><tbody>{}</tbody></table>',
        format_html_join("", '<tr><th scope="row">{}</th><td>{}</td></tr>', rows),
    )


class ObjectTypeFilter(admin.SimpleListFilter):
    title = _("object type")
    parameter_name = "object_type__exact"  # the address the field's own filter used

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        entries = model_admin.get_queryset(request)
        types = entries.exclude(object_type="").values_list("object_type", flat=True)
        named = [(t, object_type_name(t)) for t in types.distinct().order_by()]
        return sorted(named, key=lambda choice: choice[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        return queryset.filter(object_type=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence."""

    list_display = ("at", "actor_label", "action", "operation", "object_kind", "object_repr", "ip_address")
    list_filter = ("action", ObjectTypeFilter, "at")
    # The operation's code stays searchable ("site_update"), as the entry shows it.
    search_fields = ("actor_label", "verb", "object_id", "object_repr")
    date_hierarchy = "at"
    fields = (
        "id",
        "at",
        "actor",
        "actor_label",
        "action",
        "operation_and_code",
        "object_kind",
        "object_id",
        "object_repr",
        "details",
        "ip_address",
        "user_agent",
    )
    readonly_fields = fields

    # Not "operation" alone: that is a joint operation's name in the other languages (行動).
    @admin.display(description=pgettext_lazy("what an audit entry records", "operation"), ordering="verb")
    def operation(self, obj: AuditEntry) -> str:
        return verb_label(obj.verb)

    @admin.display(description=pgettext_lazy("what an audit entry records", "operation"))
    def operation_and_code(self, obj: AuditEntry) -> str:
        label = verb_label(obj.verb)
        if label == obj.verb:
            return label
        remark = pgettext("a text and a remark on it in brackets", "%(text)s (%(remark)s)")
        return remark % {"text": label, "remark": obj.verb}

    @admin.display(description=_("object type"), ordering="object_type")
    def object_kind(self, obj: AuditEntry) -> str:
        return object_type_name(obj.object_type)

    @admin.display(description=_("details"))
    def details(self, obj: AuditEntry) -> SafeString | str:
        return details_table(obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        return agency_entries(request.user, super().get_queryset(request))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser
