"""What comes in: donors, donations, charity sales and performances, pledges, letters."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import MoneyField, StrictDecimalField
from ..masking import mask_person_name
from .ledger import Fund, JournalEntry


class Donor(models.Model):
    """A company or a person who gives. Anonymous gifts have no donor at all."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("company or organisation")
        INDIVIDUAL = "individual", _("individual")

    class PublicDisplay(models.TextChoices):
        NAMED = "named", _("named (a person's name is always masked)")
        ANONYMOUS = "anonymous", _("anonymous (爱心企业 / 爱心人士)")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    public_display = models.CharField(
        _("shown publicly as"),
        max_length=10,
        choices=PublicDisplay.choices,
        default=PublicDisplay.NAMED,
        help_text=_("The donor's own choice for the public gift list."),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"], name="funds_donor_kind_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def public_name(self) -> str:
        """The name for public pages: masked for a person, a label when anonymous."""
        from ..masking import anonymous_label

        if self.public_display == self.PublicDisplay.ANONYMOUS:
            return anonymous_label(self.kind)
        if self.kind == self.Kind.INDIVIDUAL:
            return mask_person_name(self.name)
        return self.name


class Donation(models.Model):
    """A gift of money or goods; posts one entry (cash or goods / donation income)."""

    class Form(models.TextChoices):
        MONEY = "money", _("money")
        IN_KIND = "in_kind", _("in-kind goods")

    class Channel(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("bank transfer to the custodian")
        ONLINE = "online", _("online (via the custodian's platform)")
        CASH = "cash", _("cash")
        DONATION_BOX = "donation_box", _("donation box")
        CARAVAN = "caravan", _("at the monthly caravan")
        GOODS = "goods", _("goods delivered")
        OTHER = "other", _("other")

    class ReceiptStatus(models.TextChoices):
        PENDING = "pending", _("official receipt pending")
        ISSUED = "issued", _("official receipt issued by the custodian")
        DECLINED = "declined", _("receipt declined by the donor")
        ANONYMOUS = "anonymous", _("anonymous gift (recorded, no receipt)")

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="donations", verbose_name=_("fund")
    )
    donor = models.ForeignKey(
        Donor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
        verbose_name=_("donor"),
        help_text=_("Empty for an anonymous gift."),
    )
    form = models.CharField(_("form"), max_length=10, choices=Form.choices, default=Form.MONEY)
    amount = MoneyField(
        _("amount (yuan)"), help_text=_("For goods: their estimated value in yuan.")
    )
    goods_description = models.CharField(_("goods"), max_length=300, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(_("received on"))
    restricted_purpose = models.CharField(
        _("restricted purpose"),
        max_length=300,
        blank=True,
        help_text=_("Leave empty when the donor set no restriction."),
    )
    receipt_status = models.CharField(
        _("receipt"), max_length=10, choices=ReceiptStatus.choices, default=ReceiptStatus.PENDING
    )
    receipt_number = models.CharField(_("official receipt number"), max_length=50, blank=True)
    receipt_issued_on = models.DateField(_("official receipt issued on"), null=True, blank=True)
    entry = models.OneToOneField(
        JournalEntry,
        on_delete=models.PROTECT,
        related_name="donation",
        verbose_name=_("journal entry"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="funds_donation_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(form="money") | ~Q(goods_description=""),
                name="funds_donation_goods_described",
            ),
            models.CheckConstraint(
                condition=~Q(receipt_status="issued")
                | (~Q(receipt_number="") & Q(receipt_issued_on__isnull=False)),
                name="funds_donation_receipt_complete",
            ),
            models.CheckConstraint(
                condition=(Q(donor__isnull=True) & Q(receipt_status="anonymous"))
                | (Q(donor__isnull=False) & ~Q(receipt_status="anonymous")),
                name="funds_donation_anonymous_has_no_donor",
            ),
        ]
        indexes = [
            # The list's sort (issue 17: a seq scan and an on-disk sort without it).
            models.Index(fields=["fund", "-received_on", "-id"], name="funds_donation_fund_list"),
        ]

    def __str__(self) -> str:
        return f"{self.entry.number} {self.amount}"


class CharitySale(models.Model):
    """A company's charity sale (义卖): turnover × share % goes to the fund."""

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="charity_sales", verbose_name=_("fund")
    )
    company = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="charity_sales", verbose_name=_("company")
    )
    title = models.CharField(_("title"), max_length=200)
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="charity_sales",
        verbose_name=_("event"),
        help_text=_("The caravan or festival where the sale took place, if any."),
    )
    starts_on = models.DateField(_("sale from"))
    ends_on = models.DateField(_("sale until"))
    turnover = MoneyField(_("gross turnover (yuan)"))
    share_percent = StrictDecimalField(_("share for the fund (%)"), max_digits=5, decimal_places=2)
    proceeds = MoneyField(_("proceeds for the fund (yuan)"))
    received_on = models.DateField(_("received on"))
    entry = models.OneToOneField(
        JournalEntry,
        on_delete=models.PROTECT,
        related_name="charity_sale",
        verbose_name=_("journal entry"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("charity sale")
        verbose_name_plural = _("charity sales")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="funds_charitysale_period_order"
            ),
            models.CheckConstraint(
                condition=Q(share_percent__gt=0) & Q(share_percent__lte=100),
                name="funds_charitysale_share_range",
            ),
            models.CheckConstraint(
                condition=Q(turnover__gt=0) & Q(proceeds__gt=0),
                name="funds_charitysale_amounts_positive",
            ),
        ]
        indexes = [
            # The list's sort (issue 17: a seq scan and an on-disk sort without it).
            models.Index(
                fields=["fund", "-received_on", "-id"], name="funds_charitysale_fund_list"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class CharityPerformance(models.Model):
    """A charity performance (义演): tickets and gifts, less costs, go to the fund."""

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="performances", verbose_name=_("fund")
    )
    title = models.CharField(_("title"), max_length=200)
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="charity_performances",
        verbose_name=_("event"),
    )
    performed_on = models.DateField(_("performed on"))
    ticket_income = MoneyField(_("ticket income (yuan)"), default=0)
    gift_income = MoneyField(_("gifts at the performance (yuan)"), default=0)
    costs = MoneyField(_("costs paid from the takings (yuan)"), default=0)
    net_proceeds = MoneyField(_("net proceeds (yuan)"))
    received_on = models.DateField(_("received on"))
    entry = models.OneToOneField(
        JournalEntry,
        on_delete=models.PROTECT,
        related_name="performance",
        verbose_name=_("journal entry"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("charity performance")
        verbose_name_plural = _("charity performances")
        ordering = ["-performed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(net_proceeds=F("ticket_income") + F("gift_income") - F("costs")),
                name="funds_charityperformance_net_is_sum",
            ),
            models.CheckConstraint(
                condition=Q(net_proceeds__gt=0) & Q(costs__gte=0),
                name="funds_charityperformance_net_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Pledge(models.Model):
    """A recurring promise, e.g. 20 baskets of vegetables every month, sold for the fund."""

    class IncomeKind(models.TextChoices):
        DONATION = "donation", _("money donated")
        CHARITY_SALE = "charity_sale", _("goods sold for the fund")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("fund")
    )
    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        help_text=_("Quote it in bank transfers so the statement import can match them."),
    )
    donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("donor")
    )
    description = models.CharField(_("what is promised"), max_length=300)
    income_kind = models.CharField(
        _("income"), max_length=20, choices=IncomeKind.choices, default=IncomeKind.DONATION
    )
    share_percent = StrictDecimalField(
        _("share for the fund (%)"), max_digits=5, decimal_places=2, default=100
    )
    expected_amount = MoneyField(
        _("expected per instalment (yuan)"),
        null=True,
        blank=True,
        help_text=_("Leave empty when it depends on sales."),
    )
    starts_on = models.DateField(_("first instalment due on"))
    instalment_count = models.PositiveSmallIntegerField(_("number of monthly instalments"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(instalment_count__gte=1) & Q(instalment_count__lte=120),
                name="funds_pledge_instalment_count_range",
            ),
            models.CheckConstraint(
                condition=Q(share_percent__gt=0) & Q(share_percent__lte=100),
                name="funds_pledge_share_range",
            ),
            models.CheckConstraint(
                condition=Q(expected_amount__isnull=True) | Q(expected_amount__gt=0),
                name="funds_pledge_expected_positive",
            ),
        ]
        indexes = [
            # The list's sort (issue 17: a seq scan and an on-disk sort without it).
            models.Index(fields=["fund", "-starts_on", "-id"], name="funds_pledge_fund_list"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.donor}"


class PledgeInstalmentQuerySet(models.QuerySet):
    def overdue(self, today=None):
        return self.filter(
            status=PledgeInstalment.Status.DUE,
            due_on__lt=today or timezone.localdate(),
            pledge__status=Pledge.Status.ACTIVE,
        )


class PledgeInstalment(models.Model):
    """One month of a pledge; matched to the receipt that fulfilled it."""

    class Status(models.TextChoices):
        DUE = "due", _("due")
        RECEIVED = "received", _("received")
        WAIVED = "waived", _("waived")

    pledge = models.ForeignKey(
        Pledge, on_delete=models.PROTECT, related_name="instalments", verbose_name=_("pledge")
    )
    sequence = models.PositiveSmallIntegerField(_("instalment"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="due")
    received_amount = MoneyField(_("received (yuan)"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    entry = models.OneToOneField(
        JournalEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledge_instalment",
        verbose_name=_("journal entry"),
    )

    objects = PledgeInstalmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("pledge instalment")
        verbose_name_plural = _("pledge instalments")
        ordering = ["pledge", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "sequence"], name="funds_pledgeinstalment_unique_sequence"
            ),
            models.CheckConstraint(
                condition=~Q(status="received")
                | (
                    Q(entry__isnull=False) & Q(received_amount__gt=0) & Q(received_on__isnull=False)
                ),
                name="funds_pledgeinstalment_received_has_entry",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="funds_instalment_status_due")]

    def __str__(self) -> str:
        return f"{self.pledge.code} #{self.sequence}"


class AcknowledgementLetter(models.Model):
    """A numbered thank-you letter (感谢信) to a donor; never an official tax receipt."""

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="letters", verbose_name=_("fund")
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    donation = models.OneToOneField(
        Donation, on_delete=models.PROTECT, null=True, blank=True, related_name="letter"
    )
    charity_sale = models.OneToOneField(
        CharitySale, on_delete=models.PROTECT, null=True, blank=True, related_name="letter"
    )
    recipient_name = models.CharField(_("to"), max_length=200)
    gift_description = models.CharField(_("gift"), max_length=300)
    amount = MoneyField(_("amount (yuan)"))
    gift_on = models.DateField(_("gift received on"))
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("acknowledgement letter")
        verbose_name_plural = _("acknowledgement letters")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(donation__isnull=False, charity_sale__isnull=True)
                | Q(donation__isnull=True, charity_sale__isnull=False),
                name="funds_acknowledgementletter_one_gift",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class BankImport(models.Model):
    """One uploaded statement of the custodian's account."""

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="bank_imports", verbose_name=_("fund")
    )
    file_name = models.CharField(_("file"), max_length=200)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    posted_count = models.PositiveIntegerField(_("entries posted"), default=0)
    matched_count = models.PositiveIntegerField(_("matched to recorded gifts"), default=0)
    skipped_count = models.PositiveIntegerField(_("already imported"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("bank statement import")
        verbose_name_plural = _("bank statement imports")
        ordering = ["-imported_at"]
        indexes = [
            # The list's sort (issue 17: a seq scan and an on-disk sort without it).
            models.Index(fields=["fund", "-imported_at", "-id"], name="funds_bankimport_fund_list"),
        ]

    def __str__(self) -> str:
        return self.file_name


class BankTransaction(models.Model):
    """A line of the custodian's statement, known by its bank reference (once per fund)."""

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="bank_transactions", verbose_name=_("fund")
    )
    reference = models.CharField(_("bank reference"), max_length=64)
    booked_on = models.DateField(_("booked on"))
    amount = MoneyField(_("amount (yuan)"))
    payer = models.CharField(_("payer"), max_length=200, blank=True)
    memo = models.CharField(_("memo"), max_length=300, blank=True)
    entry = models.OneToOneField(
        JournalEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_transaction",
        verbose_name=_("journal entry"),
    )
    bank_import = models.ForeignKey(
        BankImport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transactions",
        verbose_name=_("import"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("bank transaction")
        verbose_name_plural = _("bank transactions")
        ordering = ["-booked_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "reference"], name="funds_banktransaction_unique_reference"
            ),
        ]

    def __str__(self) -> str:
        return self.reference
