"""Input shapes for the fund pages. Rules live in the services."""

import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import BlankRowMixin
from core.widgets import IsoDateInput

from .models import Account, Donation, Donor, Grant, Pledge, Posting, validate_attachment
from .services import NewDonor

MONEY = {
    "max_digits": 14,
    "decimal_places": 2,
    "min_value": Decimal("0.01"),
    # Plain words for a money field (the same as the services say), not Django's generic ones.
    "error_messages": {
        "invalid": _("Enter an amount in yuan."),
        "min_value": _("The amount must be more than zero."),
        "max_decimal_places": _("An amount has at most two decimal places (fen)."),
        "max_digits": _("The amount is too large."),
        "max_whole_digits": _("The amount is too large."),
    },
}
DATE = {"widget": IsoDateInput}


class SubmissionKeyMixin(forms.Form):
    """A key minted when the form is shown; the service posts one entry per key.

    Re-rendered with errors (or as the sale preview) the form keeps its key, so a
    second click, a retried POST or a second tab with the same page is refused.
    """

    submission_key = forms.UUIDField(
        widget=forms.HiddenInput,
        initial=uuid.uuid4,
        error_messages={
            "required": _("This form is out of date and was renewed: check it and send it again."),
            "invalid": _("This form is out of date and was renewed: check it and send it again."),
        },
    )

    def clean(self):
        data = super().clean()
        if "submission_key" in self.errors:
            # A page from before the key existed, or a tampered one: the next send gets a key.
            self.data = self.data.copy()
            self.data[self.add_prefix("submission_key")] = str(uuid.uuid4())
        return data


class DonorFieldsMixin(forms.Form):
    """Pick a donor on file, or describe a new one (or, where allowed, none: anonymous)."""

    ANONYMOUS = "anonymous"
    allow_anonymous = True
    donor_kinds = Donor.Kind.choices

    donor_type = forms.ChoiceField(label=_("donor"))
    donor = forms.ModelChoiceField(
        label=_("donor on file"),
        queryset=Donor.objects.none(),
        required=False,
        help_text=_("Or leave empty and enter a new donor below."),
    )
    donor_name = forms.CharField(label=_("new donor's name"), max_length=200, required=False)
    public_display = forms.ChoiceField(
        label=_("shown publicly as"),
        choices=Donor.PublicDisplay.choices,
        initial=Donor.PublicDisplay.NAMED,
        required=False,
    )
    donor_email = forms.EmailField(label=_("e-mail address"), required=False)
    donor_phone = forms.CharField(label=_("phone"), max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = list(self.donor_kinds)
        if self.allow_anonymous:
            choices.append((self.ANONYMOUS, _("anonymous (donor unknown)")))
        self.fields["donor_type"].choices = choices
        kinds = [kind for kind, _label in self.donor_kinds]
        self.fields["donor"].queryset = Donor.objects.filter(kind__in=kinds).order_by("name")

    def clean(self):
        data = super().clean()
        donor_type = data.get("donor_type")
        data["new_donor"] = None
        if donor_type == self.ANONYMOUS:
            data["donor"] = None
            return data
        if data.get("donor"):
            if data["donor"].kind != donor_type:
                self.add_error("donor", _("This donor is of another kind."))
            return data
        if not data.get("donor_name", "").strip():
            self.add_error("donor_name", _("Choose a donor on file or enter a new donor's name."))
            return data
        data["new_donor"] = NewDonor(
            kind=donor_type,
            name=data["donor_name"],
            public_display=data.get("public_display") or Donor.PublicDisplay.NAMED,
            email=data.get("donor_email", ""),
            phone=data.get("donor_phone", ""),
        )
        return data


class DonationForm(SubmissionKeyMixin, DonorFieldsMixin):
    form = forms.ChoiceField(label=_("form"), choices=Donation.Form.choices)
    amount = forms.DecimalField(label=_("amount or estimated value (yuan)"), **MONEY)
    goods_description = forms.CharField(label=_("goods"), max_length=300, required=False)
    channel = forms.ChoiceField(label=_("channel"), choices=Donation.Channel.choices)
    received_on = forms.DateField(label=_("received on"), initial=timezone.localdate, **DATE)
    restricted_purpose = forms.CharField(
        label=_("restricted purpose"), max_length=300, required=False
    )
    receipt_status = forms.ChoiceField(
        label=_("receipt"),
        choices=[
            (value, label)
            for value, label in Donation.ReceiptStatus.choices
            if value != Donation.ReceiptStatus.ANONYMOUS
        ],
        help_text=_("An anonymous gift is recorded as such automatically."),
    )
    receipt_number = forms.CharField(
        label=_("official receipt number"), max_length=50, required=False
    )
    receipt_issued_on = forms.DateField(
        label=_("official receipt issued on"), required=False, **DATE
    )
    bank_reference = forms.CharField(label=_("bank reference"), max_length=64, required=False)


class DonationReceiptForm(forms.Form):
    receipt_status = forms.ChoiceField(
        label=_("receipt"),
        choices=[
            (value, label)
            for value, label in Donation.ReceiptStatus.choices
            if value != Donation.ReceiptStatus.ANONYMOUS
        ],
    )
    receipt_number = forms.CharField(
        label=_("official receipt number"), max_length=50, required=False
    )
    receipt_issued_on = forms.DateField(
        label=_("official receipt issued on"), required=False, **DATE
    )


class CharitySaleForm(SubmissionKeyMixin, DonorFieldsMixin):
    allow_anonymous = False
    donor_kinds = [(Donor.Kind.COMPANY, Donor.Kind.COMPANY.label)]

    title = forms.CharField(label=_("title"), max_length=200)
    starts_on = forms.DateField(label=_("sale from"), **DATE)
    ends_on = forms.DateField(label=_("sale until"), **DATE)
    turnover = forms.DecimalField(label=_("gross turnover (yuan)"), **MONEY)
    share_percent = forms.DecimalField(
        label=_("share for the fund (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
    )
    received_on = forms.DateField(label=_("received on"), initial=timezone.localdate, **DATE)
    event = forms.ModelChoiceField(label=_("event"), queryset=None, required=False)
    bank_reference = forms.CharField(label=_("bank reference"), max_length=64, required=False)
    expected_proceeds = forms.DecimalField(
        max_digits=14, decimal_places=2, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from events.models import Event

        self.fields["event"].queryset = Event.objects.exclude(status="draft").order_by("-starts_at")


class CharityPerformanceForm(SubmissionKeyMixin):
    title = forms.CharField(label=_("title"), max_length=200)
    performed_on = forms.DateField(label=_("performed on"), **DATE)
    ticket_income = forms.DecimalField(
        label=_("ticket income (yuan)"), max_digits=14, decimal_places=2, min_value=0, initial=0
    )
    gift_income = forms.DecimalField(
        label=_("gifts at the performance (yuan)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        initial=0,
    )
    costs = forms.DecimalField(
        label=_("costs paid from the takings (yuan)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        initial=0,
    )
    received_on = forms.DateField(label=_("received on"), initial=timezone.localdate, **DATE)
    event = forms.ModelChoiceField(label=_("event"), queryset=None, required=False)
    bank_reference = forms.CharField(label=_("bank reference"), max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from events.models import Event

        self.fields["event"].queryset = Event.objects.exclude(status="draft").order_by("-starts_at")


class PledgeForm(DonorFieldsMixin):
    allow_anonymous = False

    description = forms.CharField(label=_("what is promised"), max_length=300)
    income_kind = forms.ChoiceField(label=_("income"), choices=Pledge.IncomeKind.choices)
    share_percent = forms.DecimalField(
        label=_("share for the fund (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        initial=Decimal("100"),
    )
    expected_amount = forms.DecimalField(
        label=_("expected per instalment (yuan)"), required=False, **MONEY
    )
    starts_on = forms.DateField(label=_("first instalment due on"), **DATE)
    instalment_count = forms.IntegerField(
        label=_("number of monthly instalments"), min_value=1, max_value=120, initial=12
    )


class InstalmentReceiveForm(forms.Form):
    amount = forms.DecimalField(label=_("amount received (yuan)"), **MONEY)
    received_on = forms.DateField(label=_("received on"), initial=timezone.localdate, **DATE)
    bank_reference = forms.CharField(label=_("bank reference"), max_length=64, required=False)


class EntryForm(SubmissionKeyMixin):
    entry_on = forms.DateField(label=_("date"), initial=timezone.localdate, **DATE)
    description = forms.CharField(label=_("description"), max_length=300)
    source_reference = forms.CharField(label=_("source document"), max_length=100, required=False)


class PostingLineForm(BlankRowMixin, forms.Form):
    # The side select always sends "debit": only an account or an amount fills a row in.
    significant_fields = ("account", "amount")

    account = forms.ModelChoiceField(label=_("account"), queryset=Account.objects.none())
    side = forms.ChoiceField(label=_("side"), choices=Posting.Side.choices)
    amount = forms.DecimalField(label=_("amount (yuan)"), **MONEY)

    def __init__(self, *args, fund=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.filter(fund=fund, is_active=True)


PostingLineFormSet = forms.formset_factory(
    PostingLineForm, extra=4, min_num=2, validate_min=True, max_num=20
)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300, widget=forms.Textarea({"rows": 2}))


class PeriodCloseForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    confirm = forms.BooleanField(
        label=_("I understand that closing cannot be undone."),
        error_messages={"required": _("Tick the box to confirm that the year is to be closed.")},
    )


class GrantApplicationForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Grant.Kind.choices)
    purpose = forms.ChoiceField(label=_("purpose"), choices=Grant.Purpose.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(label=_("what the grant is for"), widget=forms.Textarea)
    beneficiary_name = forms.CharField(
        label=_("staff member"),
        max_length=100,
        required=False,
        help_text=_("For a staff member's development: their name (masked on public pages)."),
    )
    beneficiary_role = forms.CharField(label=_("their post"), max_length=100, required=False)
    amount_requested = forms.DecimalField(label=_("amount requested (yuan)"), **MONEY)
    project_starts_on = forms.DateField(label=_("starts on"), **DATE)
    project_ends_on = forms.DateField(label=_("ends on"), **DATE)
    attachment = forms.FileField(
        label=_("attachment"),
        required=False,
        help_text=_("PDF, JPG, PNG, DOCX or XLSX, at most 10 MB."),
        validators=[validate_attachment],
    )

    def clean(self):
        # The service refuses these too; here the message lands on the field to fix.
        data = super().clean()
        if data.get("kind") == Grant.Kind.TALENT and not data.get("beneficiary_name", "").strip():
            self.add_error("beneficiary_name", _("Name the staff member the grant is for."))
        starts, ends = data.get("project_starts_on"), data.get("project_ends_on")
        if starts and ends and ends < starts:
            self.add_error("project_ends_on", _("The end is before the start."))
        return data


class StaffGrantForm(GrantApplicationForm):
    organisation = forms.ModelChoiceField(label=_("organisation"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from federation.models import Organisation

        self.fields["organisation"].queryset = Organisation.objects.active().order_by("name")


class GrantReviewForm(forms.Form):
    amount_approved = forms.DecimalField(label=_("amount to approve (yuan)"), **MONEY)
    report_due_on = forms.DateField(label=_("final report due on"), **DATE)
    note = forms.CharField(
        label=_("review note"), required=False, widget=forms.Textarea({"rows": 2})
    )


class GrantPayForm(forms.Form):
    paid_on = forms.DateField(label=_("paid on"), initial=timezone.localdate, **DATE)
    bank_reference = forms.CharField(label=_("bank reference"), max_length=64, required=False)


class GrantReportForm(forms.Form):
    text = forms.CharField(label=_("final report"), widget=forms.Textarea)
    attachment = forms.FileField(
        label=_("attachment"),
        required=False,
        help_text=_("PDF, JPG, PNG, DOCX or XLSX, at most 10 MB."),
        validators=[validate_attachment],
    )


class GrantProgressForm(forms.Form):
    quarter_ends_on = forms.TypedChoiceField(label=_("quarter ending"), coerce=str)
    summary = forms.CharField(label=_("progress"), widget=forms.Textarea({"rows": 3}))
    spent_amount = forms.DecimalField(
        label=_("spent so far (yuan)"), max_digits=14, decimal_places=2, min_value=0
    )

    def __init__(self, *args, quarters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter_ends_on"].choices = [(day.isoformat(), day) for day in quarters]


class BankImportForm(forms.Form):
    statement = forms.FileField(
        label=_("bank statement"),
        help_text=_(
            "CSV or XLSX with the columns date, reference, amount, payer, memo "
            "(or 日期, 流水号, 金额, 付款人, 摘要)."
        ),
    )


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)


def error_messages(form: forms.Form) -> list[str]:
    """Each error as one line naming its field (for pages that show errors as messages)."""
    lines = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        for error in errors:
            if field is None or name == NON_FIELD_ERRORS:
                lines.append(str(error))
            else:
                lines.append(
                    gettext("%(field)s: %(error)s") % {"field": field.label, "error": error}
                )
    return lines
