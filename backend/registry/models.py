"""Who inspects and what is inspected: agencies, units, officers, availability, companies,
sites and conflicts of interest."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.core.i18n import pick


class TranslatedName(models.Model):
    """Names in the three languages of the system; ``name`` picks the active one."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh_hant = models.CharField(_("name (Traditional Chinese)"), max_length=200, blank=True)
    name_pt = models.CharField(_("name (Portuguese)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(en=self.name_en, zh_hant=self.name_zh_hant, pt=self.name_pt)


class Parish(models.TextChoices):
    """Macao's seven civil parishes, used for statistics, plus Cotai, which belongs to none."""

    FATIMA = "fatima", _("Our Lady of Fatima")
    SANTO_ANTONIO = "santo_antonio", _("St Anthony")
    SAO_LAZARO = "sao_lazaro", _("St Lazarus")
    SE = "se", _("Cathedral (Sé)")
    SAO_LOURENCO = "sao_lourenco", _("St Lawrence")
    CARMO_TAIPA = "carmo_taipa", _("Our Lady of Carmel (Taipa)")
    COTAI = "cotai", _("Cotai (no parish)")
    COLOANE = "coloane", _("St Francis Xavier (Coloane)")


class Agency(TranslatedName):
    code = models.SlugField(_("code"), max_length=20, unique=True, help_text=_("e.g. PSP, PJ, DSAL, IAS"))
    inspects = models.BooleanField(
        _("sends inspectors"), default=True, help_text=_("Whether its officers join inspection teams.")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Unit(TranslatedName):
    """A station or office of an agency: the depot its teams start from and return to."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="units"
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    # As a site's: as registered, usually in Portuguese; the Chinese form beside it, which Macao's
    # official addresses also have (a muster point read by a Chinese team, a notice in Chinese).
    address = models.CharField(_("address"), max_length=300, blank=True)
    address_zh_hant = models.CharField(
        _("address (Traditional Chinese)"),
        max_length=300,
        blank=True,
        help_text=_("The address as Chinese writes it; Chinese readers see it instead of the address."),
    )
    parish = models.CharField(_("parish"), max_length=20, choices=Parish.choices)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)

    class Meta:
        ordering = ["agency__code", "code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def clean(self) -> None:
        validate_in_service_area(self.latitude, self.longitude)

    @property
    def address_shown(self) -> str:
        """The address in the reader's language, as ``Site.address_shown``: the Chinese form to a
        Chinese reader where the unit has one, else the address as registered."""
        return pick(en=self.address, zh_hant=self.address_zh_hant, pt=self.address)

    def name_with_agency(self) -> str:
        """The unit's name and its agency's code, "Name (AGENCY)", where a unit is picked from
        all of them: agencies name their units alike (each has its headquarters). Reads the
        agency, so select_related("agency") where many are listed."""
        return f"{self.name} ({self.agency.code})"


class Role(models.TextChoices):
    INSPECTOR = "inspector", _("inspector")
    TEAM_LEADER = "team_leader", _("team leader")
    PLANNER = "planner", _("planner")
    REVIEWER = "reviewer", _("reviewer")
    VICTIM_PROTECTION = "victim_protection", _("victim protection")
    ANALYST = "analyst", _("analyst")
    ADMINISTRATOR = "administrator", _("administrator")
    # Reviews who read persons' details (backend.privacy's access report); reads none itself.
    DATA_PROTECTION = "data_protection", _("data-protection officer")


class Skill(TranslatedName):
    """A language spoken or a qualification (labour inspector, interpreter, first aid…)."""

    class Kind(models.TextChoices):
        LANGUAGE = "language", _("language")
        QUALIFICATION = "qualification", _("qualification")

    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("e.g. lang-tl, labour-inspector")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")


class Officer(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "F", _("female")
        MALE = "M", _("male")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("login"), on_delete=models.PROTECT, related_name="officer"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="officers"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="officers")
    badge_number = models.CharField(_("badge number"), max_length=30)
    full_name = models.CharField(_("full name"), max_length=200)
    rank = models.PositiveSmallIntegerField(
        _("rank level"), default=1, help_text=_("1 (junior) to 10 (senior), comparable across agencies.")
    )
    rank_title = models.CharField(
        _("rank title"),
        max_length=100,
        blank=True,
        help_text=_(
            "As the agency writes it; shown in English, and in a language whose title is left empty."
        ),
    )
    rank_title_zh_hant = models.CharField(_("rank title (Traditional Chinese)"), max_length=100, blank=True)
    rank_title_pt = models.CharField(_("rank title (Portuguese)"), max_length=100, blank=True)
    sex = models.CharField(
        _("sex"),
        max_length=1,
        choices=Sex.choices,
        help_text=_("Recorded for body-search duty where the law requires a same-sex officer."),
    )
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True, related_name="officers")
    is_active = models.BooleanField(_("active"), default=True)
    external_id = models.CharField(
        _("external id"),
        max_length=64,
        blank=True,
        help_text=_("The identifier in the agency's own registry; imports match on it."),
    )

    class Meta:
        ordering = ["agency__code", "badge_number"]
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "badge_number"], name="officer_badge_unique_per_agency"
            ),
            models.CheckConstraint(condition=Q(rank__gte=1, rank__lte=10), name="officer_rank_1_to_10"),
            models.UniqueConstraint(
                fields=["agency", "external_id"],
                condition=~Q(external_id=""),
                name="officer_external_id_unique_per_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.badge_number} {self.full_name}"

    @property
    def rank_title_shown(self) -> str:
        """The rank title in the reader's language: a Chinese notice names a 副警長, not a
        Subchefe; the agency's own title where that language has none."""
        return pick(en=self.rank_title, zh_hant=self.rank_title_zh_hant, pt=self.rank_title_pt)

    def clean(self) -> None:
        if self.unit_id and self.agency_id and self.unit.agency_id != self.agency_id:
            raise ValidationError({"unit": _("The unit belongs to another agency.")})

    def role_codes(self) -> set[str]:
        return {r.role for r in self.roles.all()}

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes() & set(roles))


class OfficerRole(models.Model):
    """One role held by an officer; an officer may hold several."""

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["officer", "role"], name="officer_role_unique")]

    def __str__(self) -> str:
        return self.get_role_display()


NIGHT_SHIFT_HINT = _(
    "The end must come after the start. A night shift ends the next day: give its end the next "
    "day's date (22:00 on the 4th to 06:00 on the 5th)."
)


class Availability(models.Model):
    """A shift (available) or an absence (leave, training) of one officer. The scheduler reads it."""

    class Kind(models.TextChoices):
        SHIFT = "shift", _("shift")
        LEAVE = "leave", _("leave")
        TRAINING = "training", _("training")
        SICK = "sick", _("sick leave")

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="availability"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    external_id = models.CharField(
        _("external id"),
        max_length=64,
        blank=True,
        help_text=_("The identifier in the agency's own registry; imports match on it."),
    )

    class Meta:
        ordering = ["officer", "start"]
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        indexes = [
            models.Index(fields=["officer", "start"]),
            models.Index(fields=["start", "end"]),
            models.Index(fields=["external_id"], name="availability_external_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="availability_start_before_end"
            )
        ]

    def __str__(self) -> str:
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        return f"{self.officer} {self.get_kind_display()} {start:%Y-%m-%d %H:%M}–{end:%H:%M}"

    def clean(self) -> None:
        # Said here, on the end, before the database's constraint would name itself: a night
        # shift typed with its start's date (22:00 to 06:00 the same day) is the usual slip.
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValidationError({"end": NIGHT_SHIFT_HINT})

    @property
    def is_absence(self) -> bool:
        return self.kind != self.Kind.SHIFT


class Company(TranslatedName):
    """An operator, contractor or employment-agency business.

    ``main_contractor`` links a subcontractor to the company it works for, so an inspection can
    follow the chain from a site's contractor down to who really employs the workers.
    """

    class Kind(models.TextChoices):
        OPERATOR = "operator", _("operator")
        CONTRACTOR = "contractor", _("contractor")
        SUBCONTRACTOR = "subcontractor", _("subcontractor")
        EMPLOYMENT_AGENCY = "employment_agency", _("employment agency business")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    main_contractor = models.ForeignKey(
        "self",
        verbose_name=_("subcontractor of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subcontractors",
    )
    is_active = models.BooleanField(_("active"), default=True)
    external_id = models.CharField(
        _("external id"),
        max_length=64,
        blank=True,
        help_text=_("The identifier in the agency's own registry; imports match on it."),
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [
            models.CheckConstraint(
                condition=~Q(main_contractor=models.F("id")), name="company_not_own_contractor"
            ),
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="company_external_id_unique"
            ),
        ]

    def clean(self) -> None:
        # Refuse cycles: A subcontracts for B which subcontracts for A.
        seen = {self.pk}
        parent = self.main_contractor
        while parent is not None:
            if parent.pk in seen:
                raise ValidationError({"main_contractor": _("This would make the contracting chain a loop.")})
            seen.add(parent.pk)
            parent = parent.main_contractor

    def chain(self) -> list[Company]:
        """This company and every contractor above it, nearest first."""
        out: list[Company] = [self]
        parent = self.main_contractor
        while parent is not None and parent not in out:
            out.append(parent)
            parent = parent.main_contractor
        return out


class LicenceStatus(models.TextChoices):
    NONE = "none", _("no licence")
    VALID = "valid", _("valid")
    EXPIRED = "expired", _("expired")
    SUSPENDED = "suspended", _("suspended")
    CANCELLED = "cancelled", _("cancelled")


def validate_in_service_area(latitude: Decimal | float | None, longitude: Decimal | float | None) -> None:
    if latitude is None or longitude is None:
        return
    area = settings.SERVICE_AREA
    if not area.contains(float(latitude), float(longitude)):
        raise ValidationError(
            {
                "latitude": _(
                    "The point (%(lat)s, %(lon)s) lies outside the service area "
                    "(%(south)s–%(north)s N, %(west)s–%(east)s E)."
                )
                % {
                    "lat": latitude,
                    "lon": longitude,
                    "south": area.south,
                    "north": area.north,
                    "west": area.west,
                    "east": area.east,
                }
            },
            code="outside_service_area",
        )


class Site(TranslatedName):
    """A place inspected: a construction site, an employment agency's premises, or a venue."""

    class Kind(models.TextChoices):
        CONSTRUCTION_SITE = "construction_site", _("construction site")
        EMPLOYMENT_AGENCY = "employment_agency", _("employment agency")
        VENUE = "venue", _("venue")

    class VenueType(models.TextChoices):
        SAUNA = "sauna", _("sauna")
        MASSAGE = "massage", _("massage parlour")
        NIGHTCLUB = "nightclub", _("nightclub")
        KARAOKE = "karaoke", _("karaoke")
        BAR = "bar", _("bar")
        HOTEL = "hotel", _("hotel")
        OTHER = "other", _("other")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    venue_type = models.CharField(_("venue type"), max_length=20, choices=VenueType.choices, blank=True)
    # As registered, usually in Portuguese; the Chinese form beside it where the registry has one.
    address = models.CharField(_("address"), max_length=300)
    address_zh_hant = models.CharField(
        _("address (Traditional Chinese)"),
        max_length=300,
        blank=True,
        help_text=_("The address as Chinese writes it; Chinese readers see it instead of the address."),
    )
    parish = models.CharField(_("parish"), max_length=20, choices=Parish.choices, db_index=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    licence_number = models.CharField(_("licence number"), max_length=40, blank=True)
    licence_status = models.CharField(
        _("licence status"), max_length=10, choices=LicenceStatus.choices, default=LicenceStatus.NONE
    )
    licence_expiry = models.DateField(_("licence expiry"), null=True, blank=True)
    operator = models.ForeignKey(
        Company,
        verbose_name=_("operator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operated_sites",
    )
    # Who a team asks for on arrival: a person, not the company (that is the operator). Empty when
    # the registry does not know one; the briefing then says so rather than naming the company.
    contact_name = models.CharField(
        _("on-site contact person"),
        max_length=200,
        blank=True,
        help_text=_("The person a team asks for on site: the manager, foreman or licence holder."),
    )
    contact_phone = models.CharField(_("on-site contact phone"), max_length=40, blank=True)
    # Construction sites only.
    contractor = models.ForeignKey(
        Company,
        verbose_name=_("contractor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracted_sites",
    )
    declared_workforce = models.PositiveIntegerField(_("declared workforce"), null=True, blank=True)
    expected_end = models.DateField(_("expected end of works"), null=True, blank=True)
    # Filled by compliance and planning; the factors say why, so targeting can be audited.
    risk_score = models.DecimalField(_("risk score"), max_digits=5, decimal_places=2, default=Decimal("0"))
    risk_factors = models.JSONField(_("risk factors"), default=dict, blank=True)
    last_inspected_on = models.DateField(_("last inspected on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    external_id = models.CharField(
        _("external id"),
        max_length=64,
        blank=True,
        help_text=_("The identifier in the agency's own registry; imports match on it."),
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="venue") | Q(venue_type=""), name="site_venue_type_only_for_venues"
            ),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="site_coordinates_on_earth",
            ),
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="site_external_id_unique"
            ),
        ]
        indexes = [models.Index(fields=["kind", "parish"])]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.kind == self.Kind.VENUE and not self.venue_type:
            errors.setdefault("venue_type", []).append(_("A venue needs a venue type."))
        if self.kind != self.Kind.VENUE and self.venue_type:
            errors.setdefault("venue_type", []).append(_("Only venues have a venue type."))
        if self.kind != self.Kind.CONSTRUCTION_SITE and (self.contractor_id or self.declared_workforce):
            errors.setdefault("contractor", []).append(
                _("Only construction sites have a contractor and workforce.")
            )
        if errors:
            raise ValidationError(errors)
        validate_in_service_area(self.latitude, self.longitude)

    @property
    def address_shown(self) -> str:
        """The address in the reader's language: a Chinese reader gets the Chinese form where the
        registry has one; everyone else, and a Chinese reader where it has none, the address as
        registered."""
        return pick(en=self.address, zh_hant=self.address_zh_hant, pt=self.address)

    def is_open_at(self, moment: dt.datetime) -> bool:
        """Whether the site is open at ``moment`` (aware). Opening hours are local wall-clock
        times; a period that closes at or before it opens runs past midnight into the next day."""
        local = timezone.localtime(moment)
        periods = list(self.opening_hours.all())
        if not periods:
            return True  # no hours recorded: assume always accessible (e.g. a construction site by day)
        t = local.time()
        today, yesterday = local.weekday(), (local.weekday() - 1) % 7
        for p in periods:
            if p.opens < p.closes:
                if p.weekday == today and p.opens <= t < p.closes:
                    return True
            else:  # crosses midnight
                if p.weekday == today and t >= p.opens:
                    return True
                if p.weekday == yesterday and t < p.closes:
                    return True
        return False


class OpeningHours(models.Model):
    """One opening period on one weekday (0 = Monday). ``closes`` at or before ``opens`` means the
    period ends the next morning: a venue open 20:00–04:00 on Friday is (4, 20:00, 04:00)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["site", "weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="opening_weekday_0_to_6"
            ),
            models.UniqueConstraint(fields=["site", "weekday", "opens"], name="opening_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    @property
    def crosses_midnight(self) -> bool:
        return self.closes <= self.opens


class ConflictOfInterest(models.Model):
    """A tie an officer declares to a site or a company. The scheduler never sends the officer
    there (for a company: to any site it operates or contracts) while it stands: a tie that has
    ended is withdrawn (``withdrawn_at``), never deleted, so who was kept away from where, and
    until when, can still be read."""

    # Made by the phone when the officer declares, offline as online: a declaration sent again
    # (a dropped connection, a replayed queue) is recognised and stored once.
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="conflicts"
    )
    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(
        _("withdrawn at"),
        null=True,
        blank=True,
        help_text=_("When the officer said the tie had ended; the scheduler no longer honours it."),
    )

    class Meta:
        ordering = ["-declared_at"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.CheckConstraint(
                condition=(Q(site__isnull=False) & Q(company__isnull=True))
                | (Q(site__isnull=True) & Q(company__isnull=False)),
                name="conflict_site_xor_company",
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer} ↔ {self.site or self.company}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
