"""Back office views of the fund: read-only. Every write goes through the fund pages
(/fund/manage/), which call the services; the ledger is append-only."""

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin, ServiceOwnedAdminMixin

from .models import (
    Account,
    AcknowledgementLetter,
    BankImport,
    BankTransaction,
    CharityPerformance,
    CharitySale,
    ClosedPeriod,
    Donation,
    Donor,
    Fund,
    Grant,
    GrantApproval,
    GrantProgress,
    JournalEntry,
    Pledge,
    PledgeInstalment,
    Posting,
)


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        # Shown, never edited: a non-editable field (auto_now_add) in a form is a FieldError.
        return self.fields or []


@admin.register(Fund)
class FundAdmin(ServiceOwnedAdminMixin, admin.ModelAdmin):
    """Only the public texts of a fund may be edited here; its code and chart never."""

    list_display = ["code", "name_zh", "name_en", "custodian", "is_public"]
    fields = [
        "code",
        "name_zh",
        "name_en",
        "custodian",
        "established_on",
        "story_zh",
        "story_en",
        "is_public",
        "position",
    ]
    readonly_fields = ["code", "established_on"]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "kind", "role", "fund", "is_active"]
    list_filter = ["fund", "kind"]


class PostingInline(ReadOnlyInline):
    model = Posting
    fields = ["account", "side", "amount"]
    ordering = ["pk"]


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["number", "entry_on", "kind", "description", "posted_by", "posted_at"]
    list_filter = ["fund", "kind", "year"]
    search_fields = ["number", "description", "source_reference"]
    date_hierarchy = "entry_on"
    list_select_related = ["posted_by"]
    inlines = [PostingInline]


@admin.register(ClosedPeriod)
class ClosedPeriodAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["fund", "year", "closed_by", "closed_at"]


@admin.register(Donor)
class DonorAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "public_display", "created_at"]
    list_filter = ["kind", "public_display"]
    search_fields = ["name"]


@admin.register(Donation)
class DonationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["entry", "received_on", "donor", "form", "amount", "channel", "receipt_status"]
    list_filter = ["form", "channel", "receipt_status"]
    list_select_related = ["entry", "donor"]
    search_fields = ["donor__name", "receipt_number"]


@admin.register(CharitySale)
class CharitySaleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["entry", "company", "title", "turnover", "share_percent", "proceeds"]
    list_select_related = ["entry", "company"]


@admin.register(CharityPerformance)
class CharityPerformanceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["entry", "title", "performed_on", "net_proceeds"]
    list_select_related = ["entry"]


class PledgeInstalmentInline(ReadOnlyInline):
    model = PledgeInstalment
    fields = ["sequence", "due_on", "status", "received_amount", "received_on", "entry"]


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "donor", "description", "starts_on", "instalment_count", "status"]
    list_select_related = ["donor"]
    inlines = [PledgeInstalmentInline]


class GrantApprovalInline(ReadOnlyInline):
    model = GrantApproval
    fields = ["approver", "approved_at"]


class GrantProgressInline(ReadOnlyInline):
    model = GrantProgress
    fields = ["quarter_ends_on", "summary", "spent_amount", "submitted_at"]


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "organisation",
        "title",
        "amount_requested",
        "amount_approved",
        "status",
    ]
    list_filter = ["status", "kind", "purpose"]
    list_select_related = ["organisation"]
    search_fields = ["number", "title", "organisation__name"]
    inlines = [GrantApprovalInline, GrantProgressInline]


@admin.register(AcknowledgementLetter)
class AcknowledgementLetterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["number", "recipient_name", "amount", "issued_on"]


class BankTransactionInline(ReadOnlyInline):
    model = BankTransaction
    fields = ["reference", "booked_on", "amount", "payer", "entry"]


@admin.register(BankImport)
class BankImportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "file_name",
        "imported_at",
        "row_count",
        "posted_count",
        "matched_count",
        "skipped_count",
    ]
    inlines = [BankTransactionInline]


@admin.register(BankTransaction)
class BankTransactionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "booked_on", "amount", "payer", "entry"]
    search_fields = ["reference", "payer"]
    list_select_related = ["entry"]


from . import admin_partners  # noqa: E402, F401  (the partners page, edited by fund managers)
