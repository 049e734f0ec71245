"""The double-entry ledger: funds, their accounts, journal entries and postings.

Nothing but ``funds.services`` writes here. On PostgreSQL, migration
``0002_ledger_triggers`` adds what the database itself refuses: an entry whose
postings do not balance (a deferred constraint trigger, checked at commit),
any UPDATE or DELETE of an entry or a posting, and an entry dated in a
closed period.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..fields import MoneyField

ZERO = Decimal("0.00")


def _in_language(zh: str, en: str) -> str:
    language = (get_language() or settings.LANGUAGE_CODE).lower()
    return en if language.startswith("en") and en else zh


class Fund(models.Model):
    """A fund with its own chart of accounts (the Spring Bud Fund is one)."""

    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        help_text=_("Capital letters; prefixes entry numbers, e.g. SBF-2024-0001."),
    )
    name_zh = models.CharField(_("Chinese name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=150)
    story_zh = models.TextField(_("story (Chinese)"), blank=True)
    story_en = models.TextField(_("story (English)"), blank=True)
    custodian = models.CharField(
        _("custodian"),
        max_length=200,
        blank=True,
        help_text=_("The foundation that holds the money and issues official receipts."),
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    is_public = models.BooleanField(_("shown on the public pages"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2,8}$"), name="funds_fund_code_capitals"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_zh, self.name_en)

    @property
    def story(self) -> str:
        return _in_language(self.story_zh, self.story_en)


class Account(models.Model):
    """One line of a fund's chart of accounts."""

    class Kind(models.TextChoices):
        ASSET = "asset", _("asset")
        LIABILITY = "liability", _("liability")
        EQUITY = "equity", _("equity")
        INCOME = "income", _("income")
        EXPENSE = "expense", _("expense")

    class Role(models.TextChoices):
        """What the business forms post to; each role at most once per fund."""

        CASH = "cash", _("cash at the custodian")
        PLEDGES_RECEIVABLE = "pledges_receivable", _("pledges receivable")
        IN_KIND_GOODS = "in_kind_goods", _("in-kind goods")
        GRANTS_PAYABLE = "grants_payable", _("grants payable")
        OPENING_BALANCE = "opening_balance", _("opening balance")
        DONATION_INCOME = "donation_income", _("donation income")
        CHARITY_SALE_INCOME = "charity_sale_income", _("charity sale income")
        PERFORMANCE_INCOME = "performance_income", _("charity performance income")
        TALENT_GRANT_EXPENSE = "talent_grant_expense", _("talent grants")
        PROJECT_GRANT_EXPENSE = "project_grant_expense", _("project grants")
        FEE_EXPENSE = "fee_expense", _("fees")

    # Assets and expenses grow on the debit side; the others on the credit side.
    DEBIT_NORMAL = frozenset({Kind.ASSET, Kind.EXPENSE})

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("fund")
    )
    code = models.CharField(_("code"), max_length=10)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["fund", "code"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "code"], name="funds_account_unique_code"),
            models.UniqueConstraint(
                fields=["fund", "role"], condition=~Q(role=""), name="funds_account_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return _in_language(self.name_zh, self.name_en)

    @property
    def is_debit_normal(self) -> bool:
        return self.kind in self.DEBIT_NORMAL


class NumberSeries(models.Model):
    """The last number used in a gapless series (entries, letters, grants) per fund and year.

    Services lock the row (``select_for_update``) and increment it inside the
    transaction that uses the number, so a rollback gives the number back.
    """

    class Series(models.TextChoices):
        ENTRY = "entry", _("journal entries")
        LETTER = "letter", _("acknowledgement letters")
        GRANT = "grant", _("grants")
        PLEDGE = "pledge", _("pledges")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    series = models.CharField(_("series"), max_length=10, choices=Series.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "series", "year"], name="funds_numberseries_unique_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last_number}"


class ClosedPeriod(models.Model):
    """A closed year: no entry may be dated in it any more, and its seal must still match.

    The seal (counts, debit total, digest chained to the previous closed year's)
    is taken at closing by ``period_close``; see ``funds.seal``.
    """

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="closed_periods", verbose_name=_("fund")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    closed_at = models.DateTimeField(_("closed at"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("closed by"),
    )
    entry_count = models.PositiveIntegerField(_("entries at closing"), default=0)
    posting_count = models.PositiveIntegerField(_("postings at closing"), default=0)
    debit_total = MoneyField(_("debits at closing (yuan)"), default=ZERO)
    digest = models.CharField(_("seal (SHA-256)"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("closed period")
        verbose_name_plural = _("closed periods")
        ordering = ["fund", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "year"], name="funds_closedperiod_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.fund.code} {self.year}"


class ClosedYearTotal(models.Model):
    """One account's debit and credit totals over a closed year, stored when the year closes.

    Written by ``period_close`` in the closing transaction, one row per account with
    postings in that year; never changed afterwards (append-only like the ledger; on
    PostgreSQL migration 0010 refuses UPDATE, DELETE and TRUNCATE). Reports add these
    to a live sum of the open years instead of re-adding every posting, and the
    nightly integrity check compares them with a recomputation from the postings.
    Income accounts are the channels, so this is also the income by channel.
    """

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="+", verbose_name=_("fund")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("account")
    )
    debit = MoneyField(_("debits (yuan)"), default=ZERO)
    credit = MoneyField(_("credits (yuan)"), default=ZERO)

    class Meta:
        verbose_name = _("closed-year total")
        verbose_name_plural = _("closed-year totals")
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "year", "account"], name="funds_closedyeartotal_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.account_id}: {self.debit} / {self.credit}"


class JournalEntryQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)

    def unbalanced(self):
        """Entries whose debits differ from their credits, or with fewer than two postings."""
        return (
            self.annotate(
                debit_total=Coalesce(
                    Sum("postings__amount", filter=Q(postings__side=Posting.Side.DEBIT)), ZERO
                ),
                credit_total=Coalesce(
                    Sum("postings__amount", filter=Q(postings__side=Posting.Side.CREDIT)), ZERO
                ),
                posting_count=models.Count("postings"),
            )
            .filter(~Q(debit_total=models.F("credit_total")) | Q(posting_count__lt=2))
            .order_by("pk")
        )


class JournalEntry(models.Model):
    """A dated, numbered, balanced set of postings. Append-only: corrected by reversal."""

    class Kind(models.TextChoices):
        MANUAL = "manual", _("manual entry")
        DONATION = "donation", _("donation")
        CHARITY_SALE = "charity_sale", _("charity sale")
        PERFORMANCE = "performance", _("charity performance")
        PLEDGE_RECEIPT = "pledge_receipt", _("pledge instalment received")
        GRANT_COMMITMENT = "grant_commitment", _("grant approved (commitment)")
        GRANT_PAYMENT = "grant_payment", _("grant paid (disbursement)")
        GRANT_CANCELLATION = "grant_cancellation", _("grant cancelled")
        REVERSAL = "reversal", _("reversal")

    # Entries that bring money into the fund; the public gift list is made of these.
    GIFT_KINDS = (Kind.DONATION, Kind.CHARITY_SALE, Kind.PERFORMANCE, Kind.PLEDGE_RECEIPT)
    GRANT_KINDS = (Kind.GRANT_COMMITMENT, Kind.GRANT_PAYMENT, Kind.GRANT_CANCELLATION)

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="entries", verbose_name=_("fund")
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence in the year"))
    entry_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300)
    source_reference = models.CharField(
        _("source document"),
        max_length=100,
        blank=True,
        help_text=_("Receipt number, bank reference, grant number …"),
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("posted by"),
    )
    posted_at = models.DateTimeField(_("posted at"), default=timezone.now)
    # Minted when a staff form is shown: a second request with the same key is refused.
    submission_key = models.UUIDField(
        _("submission key"), null=True, blank=True, unique=True, editable=False
    )

    objects = JournalEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["fund", "year", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "year", "sequence"], name="funds_journalentry_unique_sequence"
            ),
            models.CheckConstraint(
                condition=Q(sequence__gte=1), name="funds_journalentry_sequence_positive"
            ),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | Q(kind="reversal"),
                name="funds_journalentry_reversal_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["fund", "entry_on"], name="funds_entry_fund_date"),
            models.Index(fields=["fund", "kind", "entry_on"], name="funds_entry_fund_kind_date"),
            # The public gift list: newest first; "last updated" on /fund/.
            models.Index(fields=["fund", "-posted_at"], name="funds_entry_fund_posted"),
            models.Index(fields=["fund", "-entry_on", "-id"], name="funds_entry_fund_list"),
        ]

    def __str__(self) -> str:
        return self.number


class PostingQuerySet(models.QuerySet):
    def totals(self) -> dict[str, Decimal]:
        """``{"debit": …, "credit": …}`` over the postings, each 0.00 when there are none."""
        return self.order_by().aggregate(
            debit=Coalesce(Sum("amount", filter=Q(side=Posting.Side.DEBIT)), ZERO),
            credit=Coalesce(Sum("amount", filter=Q(side=Posting.Side.CREDIT)), ZERO),
        )

    def debit_minus_credit(self) -> Decimal:
        totals = self.totals()
        return totals["debit"] - totals["credit"]


class Posting(models.Model):
    """One side of an entry: an amount (> 0) debited or credited to one account."""

    class Side(models.TextChoices):
        DEBIT = "debit", _("debit")
        CREDIT = "credit", _("credit")

    entry = models.ForeignKey(
        JournalEntry, on_delete=models.PROTECT, related_name="postings", verbose_name=_("entry")
    )
    account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        related_name="postings",
        verbose_name=_("account"),
        db_index=False,  # funds_posting_account_date starts with the account
    )
    side = models.CharField(_("side"), max_length=6, choices=Side.choices)
    amount = MoneyField(_("amount (yuan)"))
    # A copy of the entry's date so a year's report reads one index (checked by the trigger).
    entry_on = models.DateField(_("date"))

    objects = PostingQuerySet.as_manager()

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        # No default ordering: it joined the entry and fund tables into every grouped sum.
        # Lists order explicitly (``order_by("pk")``).
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_posting_amount_positive"),
            models.CheckConstraint(
                condition=Q(side__in=["debit", "credit"]), name="funds_posting_side_valid"
            ),
        ]
        indexes = [
            # Balances (by account) and year reports (by account and date) use this index.
            # On PostgreSQL migration 0004 rebuilds it as a covering index (INCLUDE side,
            # amount) for index-only scans; SQLite has no covering indexes.
            models.Index(fields=["account", "entry_on"], name="funds_posting_account_date"),
        ]

    def __str__(self) -> str:
        return f"{self.entry} {self.side} {self.account.code} {self.amount}"
