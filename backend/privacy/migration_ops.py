"""Data steps of the migrations that encrypt columns which held plain text.

They read and write through a raw cursor: a historical model's encrypted field would take a plain
value for an unreadable token and write it back unchanged."""

from __future__ import annotations

from typing import Any

from backend.privacy import crypto


def encrypt_plain_columns(
    connection: Any, table: str, columns: tuple[str, ...], index: tuple[str, str] | None = None
) -> int:
    """Encrypt every non-empty value of ``columns`` that is not a token yet; with ``index``
    (source column, index column) also fill the blind index from the plain value."""
    qn = connection.ops.quote_name
    changed = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(qn(c) for c in columns)} FROM {qn(table)}")  # noqa: S608
        rows = cursor.fetchall()
        for row in rows:
            pk, values = row[0], row[1:]
            updates: dict[str, str] = {}
            for column, value in zip(columns, values, strict=True):
                if value is None or value == "":
                    continue
                text = value.isoformat() if hasattr(value, "isoformat") else str(value)
                if crypto.is_token(text):
                    continue
                updates[column] = crypto.encrypt(text)
                if index and index[0] == column:
                    updates[index[1]] = crypto.blind_index(text, purpose="travel_document")
            if updates:
                sets = ", ".join(f"{qn(c)} = %s" for c in updates)
                cursor.execute(
                    f"UPDATE {qn(table)} SET {sets} WHERE id = %s",  # noqa: S608
                    [*updates.values(), pk],
                )
                changed += 1
    return changed


def encrypt_compliance(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    encrypt_plain_columns(
        connection,
        "compliance_victimpersonaldetails",
        (
            "field_reference",
            "full_name",
            "date_of_birth",
            "nationality",
            "travel_document",
            "contact",
            "notes",
        ),
        index=("travel_document", "travel_document_index"),
    )
    encrypt_plain_columns(connection, "compliance_protectionservice", ("provider_name", "note"))


def protect_existing_screenings(apps: Any, schema_editor: Any) -> None:
    """Screenings stored before the protected store existed give up their identifying answers."""
    from backend.privacy.screening import has_persons, protect_submissions

    Submission = apps.get_model("inspections", "Submission")
    Finding = apps.get_model("inspections", "Finding")
    pending = []
    for submission in Submission.objects.select_related("inspection").iterator(chunk_size=500):
        if not has_persons(submission.answers or {}):
            continue
        pending.append((submission, list(Finding.objects.filter(submission=submission))))
        if len(pending) >= 200:
            protect_submissions(
                pending, models=(Submission, Finding, apps.get_model("privacy", "ScreenedPerson"))
            )
            pending = []
    if pending:
        protect_submissions(
            pending, models=(Submission, Finding, apps.get_model("privacy", "ScreenedPerson"))
        )
