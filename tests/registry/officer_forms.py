"""The officer's admin change form as an administrator posts it, for the admin tests."""

from __future__ import annotations

from django.test import Client

from backend.registry.models import Officer


def officer_form(client: Client, officer: Officer, *, roles: list[str], is_active: bool = True) -> dict:
    """What the officer's change form posts with ``roles`` ticked in its roles inline."""
    page = client.get(f"/admin/registry/officer/{officer.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        k: v for k, v in form.initial.items() if v is not None and k not in ("skills", "user", "is_active")
    }
    data["skills"] = [s.pk for s in officer.skills.all()]
    if is_active:
        data["is_active"] = "on"
    held = list(officer.roles.order_by("pk"))
    rows = [{"id": r.pk, "role": r.role, "DELETE": r.role not in roles} for r in held]
    rows += [
        {"id": "", "role": role, "DELETE": False} for role in sorted(set(roles) - {r.role for r in held})
    ]
    data.update(
        {
            "roles-TOTAL_FORMS": str(len(rows)),
            "roles-INITIAL_FORMS": str(len(held)),
            "roles-MIN_NUM_FORMS": "1",
            "roles-MAX_NUM_FORMS": "1000",
        }
    )
    for i, row in enumerate(rows):
        data[f"roles-{i}-id"] = row["id"]
        data[f"roles-{i}-officer"] = officer.pk
        data[f"roles-{i}-role"] = row["role"]
        if row["DELETE"]:
            data[f"roles-{i}-DELETE"] = "on"
    return data


def officer_save(client: Client, officer: Officer, **kwargs) -> None:
    """Post the officer's change form; the officer and their login are read again after."""
    response = client.post(
        f"/admin/registry/officer/{officer.pk}/change/", officer_form(client, officer, **kwargs)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    officer.refresh_from_db()
    officer.user.refresh_from_db()
