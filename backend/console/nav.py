"""Navigation by role: each app registers its console pages here, in its ``AppConfig.ready``.

The shell knows no domain: it shows a signed-in officer the entries their roles open, in the
header and on the home page, so an app's page appears in the console by registering itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from backend.core.access import Principal

BACK_OFFICE_ROLES = frozenset(
    {"team_leader", "planner", "reviewer", "victim_protection", "analyst", "administrator", "data_protection"}
)
# Roles whose console sign-in asks for a second factor when CONSOLE_2FA_REQUIRED is on.
SECOND_FACTOR_ROLES = frozenset(
    {"planner", "reviewer", "victim_protection", "administrator", "data_protection"}
)

# What each role does here, shown on the home page above that role's entries.
ROLE_INTRODUCTIONS: dict[str, tuple[Promise, Promise]] = {
    "planner": (
        _("Planning"),
        _("Define joint operations and routine programmes, run the planner, adjust and publish plans."),
    ),
    "reviewer": (
        _("Review"),
        _("Review the submissions and findings your agency is competent for; follow compliance cases."),
    ),
    "team_leader": (
        _("Team leader"),
        _(
            "Review your teams' submissions: approve the findings your agency is competent for, "
            "or return them with a comment where something is missing."
        ),
    ),
    "victim_protection": (
        _("Victim protection"),
        _("Receive referrals of potential victims and record the protection services given."),
    ),
    "analyst": (
        _("Statistics"),
        _("Enforcement statistics, breakdowns and exports, and the yearly report."),
    ),
    "administrator": (
        _("Administration"),
        _("The registry of agencies, officers and sites, users, checklists and policies."),
    ),
}


@dataclass(frozen=True)
class HomeNote:
    """A line under an entry on the home page ("1 immediate referral waiting"), a link when it
    leads somewhere; ``tone`` "danger" calls it out."""

    text: str
    url: str = ""
    tone: str = ""


@dataclass(frozen=True)
class NavEntry:
    label: Promise | str
    url_name: str
    roles: frozenset[str]
    description: Promise | str = ""
    order: int = 100
    kwargs: dict[str, str] = field(default_factory=dict)
    # What is waiting behind the entry, told on the home page: called with the signed-in user,
    # it reads through the app's selectors, so it shows no one what their roles may not see.
    notes: Callable[[Any], Sequence[HomeNote]] | None = field(default=None, compare=False)
    # False: on the home page only (the administration's own lists, reached from its menu too),
    # so the header keeps to the console's pages.
    in_header: bool = True

    @property
    def url(self) -> str:
        try:
            return reverse(self.url_name, kwargs=self.kwargs or None)
        except NoReverseMatch:
            return ""


_ENTRIES: list[NavEntry] = []


def register(
    *,
    label: Promise | str,
    url_name: str,
    roles: set[str] | frozenset[str],
    description: Promise | str = "",
    order: int = 100,
    notes: Callable[[Any], Sequence[HomeNote]] | None = None,
    in_header: bool = True,
) -> None:
    """Add a console page to the navigation of officers holding any of ``roles``; ``notes`` says
    on the home page what waits behind it; ``in_header=False`` lists it on the home page only."""
    if any(entry.url_name == url_name for entry in _ENTRIES):
        return
    _ENTRIES.append(
        NavEntry(
            label=label,
            url_name=url_name,
            roles=frozenset(roles),
            description=description,
            order=order,
            notes=notes,
            in_header=in_header,
        )
    )
    _ENTRIES.sort(key=lambda entry: entry.order)


def entries_for(principal: Principal) -> list[NavEntry]:
    """The header's entries a principal's roles open (every entry for a superuser), in order."""
    return [
        entry
        for entry in _ENTRIES
        if entry.in_header and (principal.is_superuser or entry.roles & principal.roles) and entry.url
    ]


def sections_for(principal: Principal, user: Any = None) -> list[dict[str, object]]:
    """The home page: one section per back-office role held, with that role's entries, each with
    its notes (for ``user``) when the principal holds the role itself, not by a superuser's pass."""
    roles = (
        sorted(BACK_OFFICE_ROLES) if principal.is_superuser else sorted(principal.roles & BACK_OFFICE_ROLES)
    )
    sections = []
    for role in roles:
        title, intro = ROLE_INTRODUCTIONS[role]
        entries = [
            {
                "label": entry.label,
                "url": entry.url,
                "description": entry.description,
                "notes": list(entry.notes(user)) if entry.notes and user and role in principal.roles else [],
            }
            for entry in _ENTRIES
            if role in entry.roles and entry.url
        ]
        sections.append({"role": role, "title": title, "introduction": intro, "entries": entries})
    return sections
