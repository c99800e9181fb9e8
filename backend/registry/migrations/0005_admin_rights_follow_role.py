from django.conf import settings
from django.db import migrations
from django.db.models import Exists, OuterRef, Q

ADMINISTRATOR = "administrator"


def admin_rights_follow_role(apps, schema_editor):
    """Bring every officer's login in line with the rule ``officer_admin_rights_sync`` applies at
    each save: staff and superuser exactly while the officer is active and holds the
    administrator role. Logins whose flags predate the rule kept them until their officer was next
    saved. A login with no officer record (``createsuperuser``'s) is left alone, as the save path
    leaves it. Each change is audited as the save path audits it (``admin_rights_grant``,
    ``admin_rights_withdraw``, on the login), with no actor.

    The same rule on the historical models: the service itself reads today's models, locks rows
    and writes through ``audit_record``, none of which a migration may rely on."""
    db = schema_editor.connection.alias
    User = apps.get_model(settings.AUTH_USER_MODEL)
    Officer = apps.get_model("registry", "Officer")
    OfficerRole = apps.get_model("registry", "OfficerRole")
    AuditEntry = apps.get_model("audit", "AuditEntry")

    officers = Officer.objects.using(db).annotate(
        administrator=Exists(OfficerRole.objects.using(db).filter(officer=OuterRef("pk"), role=ADMINISTRATOR))
    )
    due = Q(is_active=True, administrator=True)
    out_of_step = (due & ~Q(user__is_staff=True, user__is_superuser=True)) | (
        ~due & (Q(user__is_staff=True) | Q(user__is_superuser=True))
    )
    changed = []
    for officer in officers.filter(out_of_step).select_related("agency", "user").order_by("pk"):
        user, grant = officer.user, officer.is_active and officer.administrator
        changed.append(
            AuditEntry(
                actor=None,
                actor_label="",
                action="update",
                verb="admin_rights_grant" if grant else "admin_rights_withdraw",
                object_type=User._meta.label_lower,
                object_id=str(user.pk),
                object_repr=user.username[:200],
                changes={
                    "officer": f"{officer.agency.code} {officer.badge_number} {officer.full_name}",
                    "is_staff": [user.is_staff, grant],
                    "is_superuser": [user.is_superuser, grant],
                    "by": "migration registry.0005_admin_rights_follow_role",
                },
            )
        )
        User.objects.using(db).filter(pk=user.pk).update(is_staff=grant, is_superuser=grant)
    AuditEntry.objects.using(db).bulk_create(changed)


class Migration(migrations.Migration):
    """Old admin flags: the flags of officers' logins brought in line with the administrator role
    once, rather than when each officer is next saved. Reversed, it changes nothing (the flags
    before it were out of step; nothing would be gained by putting them back)."""

    dependencies = [
        ("registry", "0004_site_contact_person"),
        ("audit", "0002_append_only_guard"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(admin_rights_follow_role, migrations.RunPython.noop)]
