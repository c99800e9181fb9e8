"""From findings to decisions: the violation catalogue, reviews, compliance cases and their
timeline, compliance scores, referrals of potential victims with the protection given, and the
criminal-justice steps (transfers to the prosecutors, prosecutions, judgments).

Statistics read these models; the fields they count are coded and non-identifying. The one
model that can identify a person, ``VictimPersonalDetails``, is read only through
``selectors.victim_details_get``, which audits every read.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backend.compliance import timeline
from backend.core.i18n import bracketed, pick
from backend.inspections.models import Finding, Submission
from backend.privacy.crypto import Unreadable, blind_index
from backend.privacy.fields import EncryptedDateField, EncryptedTextField
from backend.registry.models import Agency, Company, Officer, Site

LANGUAGE_KEYS = ("en", "zh-hant", "pt")

# What a person types or reads out as a reference: its eight characters, or the whole id.
_REFERENCE = re.compile(r"[0-9a-f]{8}(?:-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?")
NOT_A_REFERENCE = _("A reference is the eight letters and digits shown for the referral, such as 3F9A1B2C.")


def short_reference(value: Any) -> str:
    """The reference people quote for a case or a referral: the first eight characters of its
    UUID (never a sequence), in capitals. It is read aloud over the phone between agencies, so it
    is written one way everywhere: "3F9A1B2C", never "3f9a1b2c" on one page and "3F9A1B2C" on the
    next. Nothing stored changes: the UUID stays as it is; lookups take either case
    (``reference_prefix``)."""
    return str(value)[:8].upper()


def reference_prefix(text: str) -> str | None:
    """A reference as typed or read out (either case, spaces around it, or the whole UUID) as the
    UUID's first eight characters to look up, in lower case as UUIDs are stored; ``None`` when the
    text is no reference."""
    value = (text or "").strip().lower()
    return value[:8] if _REFERENCE.fullmatch(value) else None


class Severity(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")
    CRITICAL = "critical", _("critical")


class Violation(models.Model):
    """One entry of the violation catalogue (V-01..V-14 of the inspection checklist).

    Loaded from ``violations.json`` by ``manage.py load_violations``; an administrator may then
    change the defaults (severity, corrective deadline, competent agency), which a later load
    does not overwrite. ``defaults_verified`` says whether those defaults were checked against
    the law or are our assumptions."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    area = models.CharField(_("area"), max_length=100)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh_hant = models.CharField(_("title (Traditional Chinese)"), max_length=200)
    title_pt = models.CharField(_("title (Portuguese)"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    legal_basis_zh_hant = models.CharField(_("legal basis (Traditional Chinese)"), max_length=300, blank=True)
    legal_basis_pt = models.CharField(_("legal basis (Portuguese)"), max_length=300, blank=True)
    # A legal basis that names no verified Macao provision ("no specific Macao prohibition
    # verified", "number not verified") can never ground an official notice until an
    # administrator has checked it and confirmed it.
    legal_basis_verified = models.BooleanField(
        _("legal basis verified"),
        default=False,
        help_text=_("Only breaches with a verified legal basis can be the basis of a notice."),
    )
    legal_basis_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("legal basis confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    legal_basis_confirmed_at = models.DateTimeField(_("legal basis confirmed at"), null=True, blank=True)
    laws = models.JSONField(_("laws"), default=list, blank=True, help_text=_("Law ids of macao_laws.json."))
    articles = models.CharField(
        _("articles"), max_length=200, blank=True, help_text=_("Blank where the article was not verified.")
    )
    default_severity = models.CharField(_("default severity"), max_length=10, choices=Severity.choices)
    corrective_days = models.PositiveSmallIntegerField(_("default corrective deadline (days)"))
    competent_agency_code = models.CharField(_("competent agency"), max_length=20)
    defaults_verified = models.BooleanField(_("defaults verified"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("violation")
        verbose_name_plural = _("violation catalogue")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return self.title_in(None)

    def title_in(self, language: str | None) -> str:
        return pick(en=self.title_en, zh_hant=self.title_zh_hant, pt=self.title_pt, language=language)

    def legal_basis_in(self, language: str | None) -> str:
        return pick(
            en=self.legal_basis, zh_hant=self.legal_basis_zh_hant, pt=self.legal_basis_pt, language=language
        )

    # The corrective deadline of a code the catalogue no longer holds: a month.
    FALLBACK_CORRECTIVE_DAYS = 30

    @classmethod
    def corrective_days_of(cls, codes: Iterable[str]) -> dict[str, int]:
        """Each code's default corrective deadline in days, by code."""
        codes = set(codes)
        known = dict(cls.objects.filter(code__in=codes).values_list("code", "corrective_days"))
        return {code: known.get(code, cls.FALLBACK_CORRECTIVE_DAYS) for code in sorted(codes)}

    @classmethod
    def strictest_corrective_days(cls, codes: Iterable[str]) -> int:
        """The deadline a case opened without one takes: the shortest of its violations' defaults."""
        return min(cls.corrective_days_of(codes).values(), default=cls.FALLBACK_CORRECTIVE_DAYS)


class Review(models.Model):
    """One agency's decision on one submission (one revision): approved, or returned to the
    officer with comments. Approval makes the agency's own findings on it official."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned for correction")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.PROTECT, related_name="reviews"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        Officer, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="reviews"
    )
    decided_at = models.DateTimeField(_("decided at"))
    findings_approved = models.PositiveIntegerField(_("findings approved"), default=0)
    findings_rejected = models.PositiveIntegerField(_("findings rejected"), default=0)

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["submission", "agency"], name="review_once_per_agency"),
            models.CheckConstraint(
                condition=~Q(decision="returned") | ~Q(comment=""), name="review_returned_has_comment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.get_decision_display()} {self.submission}"


class ComplianceCase(models.Model):
    """A case an agency opens against a company or site from official findings.

    open → notice issued (deadline set) → follow-up requested (the deadline passed, or a reviewer
    asked sooner) → closed with an outcome. A closed case may be reopened, with a reason: it goes
    back to the step it was closed from (``services.case_reopen``). Every step is a ``CaseEvent``
    (the timeline) and an audit entry."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        NOTICE_ISSUED = "notice_issued", _("notice issued")
        FOLLOW_UP = "follow_up", _("follow-up requested")
        # A case's own word in Chinese (已結案, as "Not closed" is 未結案 and its sentences say
        # 個案已結案), where a referral or an operation is 已結束.
        CLOSED = "closed", pgettext_lazy("compliance case status", "closed")

    class Outcome(models.TextChoices):
        RECTIFIED = "rectified", _("rectified")
        PENALTY = "penalty", _("penalty")
        LICENCE_SUSPENSION_REFERRAL = "licence_suspension", _("referred for licence suspension")
        LICENCE_CANCELLATION_REFERRAL = "licence_cancellation", _("referred for licence cancellation")
        CLOSED_NO_ACTION = "closed", _("closed without action")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="compliance_cases",
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="compliance_cases"
    )
    findings = models.ManyToManyField(
        Finding, verbose_name=_("findings"), through="CaseFinding", related_name="compliance_cases"
    )
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.OPEN)
    corrective_days = models.PositiveSmallIntegerField(_("corrective deadline (days)"))
    deadline = models.DateField(_("rectify by"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"))
    notice_issued_at = models.DateTimeField(_("notice issued at"), null=True, blank=True)
    notice_issued_by = models.ForeignKey(
        Officer,
        verbose_name=_("notice issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    follow_up = models.ForeignKey(
        "planning.DueWork",
        verbose_name=_("follow-up request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    follow_up_requested_at = models.DateTimeField(_("follow-up requested at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=25, choices=Outcome.choices, blank=True)
    penalty_amount = models.DecimalField(
        _("penalty (MOP)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("compliance case")
        verbose_name_plural = _("compliance cases")
        indexes = [models.Index(fields=["status", "deadline"]), models.Index(fields=["agency", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(penalty_amount__isnull=True) | Q(outcome="penalty", penalty_amount__gt=0),
                name="case_penalty_amount_only_for_penalty",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False, outcome__gt="")
                | (~Q(status="closed") & Q(outcome="")),
                name="case_closed_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.short_ref} {self.company or self.site}"

    @property
    def short_ref(self) -> str:
        """A reference for people to quote (``short_reference``)."""
        return short_reference(self.uuid)

    def is_overdue(self, on: dt.date) -> bool:
        """The notice's deadline has passed on ``on`` and no follow-up was requested yet."""
        return self.status == self.Status.NOTICE_ISSUED and self.deadline is not None and self.deadline < on

    def days_left(self, on: dt.date) -> int | None:
        """Days to the corrective deadline on ``on`` while it runs: the company has them whether or
        not a follow-up was requested early. None without a deadline, once it has passed or when
        the case is closed."""
        if self.deadline is None or self.status == self.Status.CLOSED or self.deadline < on:
            return None
        return (self.deadline - on).days


class CaseFinding(models.Model):
    """A finding belongs to at most one case."""

    case = models.ForeignKey(ComplianceCase, on_delete=models.CASCADE, related_name="case_findings")
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("finding of a case")
        verbose_name_plural = _("findings of cases")
        constraints = [models.UniqueConstraint(fields=["finding"], name="case_finding_once")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.finding_id}"


class CaseEvent(models.Model):
    """One step of a case's timeline: who, when, what, why.

    What happened is stored as a code and the values it names (``code``, ``data``), and told in
    the reader's language when read (``message``; see ``backend.compliance.timeline``). ``reason``
    holds a person's own words (why, or the comment), shown as written. An event recorded before
    codes has none: its ``reason`` may hold a sentence written then, shown as stored."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("case opened")
        NOTICE_ISSUED = "notice_issued", _("notice issued")
        COMMENT = "comment", _("comment")
        FOLLOW_UP_REQUESTED = "follow_up_requested", _("follow-up inspection requested")
        OUTCOME = "outcome", _("outcome decided")
        REOPENED = "reopened", _("case reopened")

    case = models.ForeignKey(
        ComplianceCase, verbose_name=_("compliance case"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=25, choices=Kind.choices)
    code = models.CharField(
        _("event code"),
        max_length=50,
        blank=True,
        help_text=_("What happened; blank for an event recorded before codes."),
    )
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("who (as then named)"), max_length=150, blank=True)
    reason = models.TextField(_("why"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.get_kind_display()}"

    @property
    def actor_name(self) -> str:
        """Who, as a reader of the timeline knows them: the officer's name and badge; the login
        (as then named) for anyone else, or "system"."""
        officer = getattr(self.actor, "officer", None) if self.actor_id else None
        if officer is not None:
            return bracketed(officer.full_name, officer.badge_number)
        if self.actor_id is None and self.actor_label == "system":
            return timeline.system_name()
        return self.actor_label

    @property
    def message(self) -> str:
        """What happened, in the active language; empty for an event recorded before codes."""
        return timeline.event_message(self.code, self.data)


class ComplianceScore(models.Model):
    """A company's compliance score as computed at one moment, with the factors that made it
    (see ``backend.compliance.scoring``). The newest row is the current score; older rows are
    its history."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="compliance_scores"
    )
    computed_at = models.DateTimeField(_("computed at"), db_index=True)
    window_start = models.DateField(_("window from"))
    window_end = models.DateField(_("window to"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    factors = models.JSONField(_("factors"), default=dict)

    class Meta:
        ordering = ["-computed_at", "-pk"]
        verbose_name = _("compliance score")
        verbose_name_plural = _("compliance scores")
        indexes = [models.Index(fields=["company", "computed_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="score_0_to_100")
        ]

    def __str__(self) -> str:
        return f"{self.company} {self.score} ({self.computed_at:%Y-%m-%d})"


# --- Referrals and victim protection -----------------------------------------------------------


class NationalityBand(models.TextChoices):
    """Coarse groups for statistics: no single nationality with few people can single anyone out."""

    MAINLAND_CHINA = "mainland_china", _("mainland China")
    HONG_KONG_MACAO = "hong_kong_macao", _("Hong Kong or Macao")
    SOUTH_EAST_ASIA = "south_east_asia", _("South-East Asia")
    SOUTH_ASIA = "south_asia", _("South Asia")
    OTHER = "other", _("other")
    UNKNOWN = "unknown", _("unknown")


class CodedSex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")
    UNKNOWN = "U", _("unknown")


class AgeBand(models.TextChoices):
    UNDER_16 = "under_16", _("under 16")
    AGE_16_17 = "16_17", _("16–17")
    AGE_18_25 = "18_25", _("18–25")
    AGE_26_40 = "26_40", _("26–40")
    OVER_40 = "over_40", _("over 40")
    UNKNOWN = "unknown", _("unknown")


class Referral(models.Model):
    """A potential victim flagged by the screening, referred to protection at once.

    Holds only what protection needs (where, when, language, urgency) and coded fields for
    statistics. It is a screening signal, never a finding that the person is a victim: the
    assessment belongs to the police, prosecutors and the Social Welfare Bureau."""

    class Urgency(models.TextChoices):
        IMMEDIATE = "immediate", _("immediate (minor, violence or confinement)")
        SAME_DAY = "same_day", _("same day")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        ACKNOWLEDGED = "acknowledged", _("acknowledged by protection")
        ASSESSED = "assessed", _("assessed")
        CLOSED = "closed", _("closed")

    class Assessment(models.TextChoices):
        PENDING = "pending", _("pending")
        IDENTIFIED = "identified", _("identified as a victim")
        NOT_IDENTIFIED = "not_identified", _("not identified as a victim")
        UNDETERMINED = "undetermined", _("undetermined")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    # One referral per person screened in one inspection: a corrected submission moves the
    # pointer to its own finding instead of referring the person twice.
    key = models.CharField(_("key of the person screened"), max_length=200, unique=True, editable=False)
    finding = models.ForeignKey(
        Finding, verbose_name=_("screening finding"), on_delete=models.PROTECT, related_name="referrals"
    )
    referring_agency = models.ForeignKey(
        Agency, verbose_name=_("referring agency"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    referred_to = models.ForeignKey(
        Agency, verbose_name=_("referred to"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    referred_to_code = models.CharField(_("referred to (code)"), max_length=20, default="IAS")
    site = models.ForeignKey(Site, verbose_name=_("where"), on_delete=models.PROTECT, related_name="+")
    # When the server received the screening (the phone may sync hours later)...
    observed_at = models.DateTimeField(_("when"))
    # ...and when the officer finished it on the phone (the first revision's device time): for an
    # immediate referral, the time that matters.
    screened_at = models.DateTimeField(_("screened"))
    language = models.CharField(_("interview language"), max_length=30, blank=True)
    interpreter_used = models.BooleanField(_("interpreter used"), null=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    indicators = models.JSONField(_("indicators present"), default=list, blank=True)
    nationality_band = models.CharField(
        _("nationality band"), max_length=20, choices=NationalityBand.choices, default=NationalityBand.UNKNOWN
    )
    sex = models.CharField(_("sex"), max_length=1, choices=CodedSex.choices, default=CodedSex.UNKNOWN)
    age_band = models.CharField(
        _("age band"), max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    assessment = models.CharField(
        _("assessment"), max_length=15, choices=Assessment.choices, default=Assessment.PENDING
    )
    created_at = models.DateTimeField(_("referred at"))
    notified_at = models.DateTimeField(_("protection notified at"), null=True, blank=True)
    # When victim protection closed it: the retention period of the person's details runs from here.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{_('Referral')} {self.short_ref} ({self.get_urgency_display()})"

    @property
    def short_ref(self) -> str:
        """The referral's reference for people to quote (``short_reference``), as a case has."""
        return short_reference(self.uuid)


class VictimPersonalDetails(models.Model):
    """What could identify the person. Lives apart from findings and referrals; read only by the
    victim-protection role through ``selectors.victim_details_get`` (every read audited). Every
    field is encrypted at rest (``backend.privacy``); the travel document has a keyed hash for
    "the same document seen again"."""

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="personal_details")
    field_reference = EncryptedTextField(_("reference used in the field"), max_length=200, blank=True)
    full_name = EncryptedTextField(_("full name"), max_length=200, blank=True)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    nationality = EncryptedTextField(_("nationality"), max_length=60, blank=True)
    travel_document = EncryptedTextField(_("travel document number"), max_length=60, blank=True)
    travel_document_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    contact = EncryptedTextField(_("contact"), max_length=200, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal details of a referred person")
        verbose_name_plural = _("personal details of referred persons")

    def __str__(self) -> str:
        return f"{_('Personal details')} {short_reference(self.referral.uuid)}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not isinstance(self.travel_document, Unreadable):
            self.travel_document_index = blind_index(self.travel_document or "", purpose="travel_document")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "travel_document" in update_fields:
            kwargs["update_fields"] = {*update_fields, "travel_document_index"}
        super().save(*args, **kwargs)


class ProtectionService(models.Model):
    """One service given to a referred person, recorded as it happens."""

    class Kind(models.TextChoices):
        SHELTER = "shelter", _("shelter")
        MEDICAL = "medical", _("medical care")
        PERSONAL_SAFETY = "personal_safety", _("personal safety")
        IMMIGRATION = "immigration", _("immigration assistance")
        INTERPRETATION = "interpretation", _("interpretation")
        TRAINING = "training", _("training")
        COUNSELLING = "counselling", _("counselling")
        SAFE_RETURN = "safe_return", _("safe return to the place of origin")

    class Provider(models.TextChoices):
        PUBLIC = "public", _("public body")
        NGO = "ngo", _("non-governmental organisation")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.PROTECT, related_name="services"
    )
    kind = models.CharField(_("service"), max_length=20, choices=Kind.choices)
    provider_kind = models.CharField(_("provided by"), max_length=10, choices=Provider.choices)
    # Which shelter or clinic holds the person, and the note: encrypted at rest.
    provider_name = EncryptedTextField(_("provider"), max_length=200)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    note = EncryptedTextField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["started_on", "pk"]
        verbose_name = _("protection service")
        verbose_name_plural = _("protection services")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="protection_service_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}"


class ProsecutionRecord(models.Model):
    """One step of the criminal-justice path, dated so statistics can count per year.

    ``kind``: ``transfer`` (case transferred to the Public Prosecutions Office), ``prosecution``
    (charges brought), then one judgment: ``conviction``, ``acquittal``, or ``dismissal``
    (archived or dropped by the prosecutors). A case's steps share ``file_reference``."""

    class Kind(models.TextChoices):
        TRANSFER = "transfer", _("transferred to the Public Prosecutions Office")
        PROSECUTION = "prosecution", _("prosecution brought")
        CONVICTION = "conviction", _("conviction")
        ACQUITTAL = "acquittal", _("acquittal")
        DISMISSAL = "dismissal", _("archived or dismissed")

    class Offence(models.TextChoices):
        TRAFFICKING = "trafficking", _("trafficking in persons (Law 6/2008)")
        ILLEGAL_WORK = "illegal_work", _("illegal work (Admin. Reg. 17/2004)")
        OTHER = "other", _("other")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("step"), max_length=12, choices=Kind.choices)
    offence = models.CharField(_("offence"), max_length=15, choices=Offence.choices)
    on = models.DateField(_("date"), db_index=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("recording agency"), on_delete=models.PROTECT, related_name="+"
    )
    file_reference = models.CharField(_("file reference"), max_length=60)
    case = models.ForeignKey(
        ComplianceCase,
        verbose_name=_("compliance case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="prosecution_records",
    )
    referral = models.ForeignKey(
        Referral,
        verbose_name=_("referral"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="prosecution_records",
    )
    defendants = models.PositiveSmallIntegerField(_("defendants"), default=1)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("prosecution record")
        verbose_name_plural = _("prosecution records")
        indexes = [models.Index(fields=["kind", "on"])]
        constraints = [
            # Per agency: one agency's refusal must not tell it that another's file exists.
            models.UniqueConstraint(
                fields=["agency", "file_reference", "kind"], name="prosecution_step_once_per_agency_file"
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_reference} {self.get_kind_display()} {self.on}"
