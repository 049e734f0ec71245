from django.urls import path

from .views import manage, my, partners, public

app_name = "funds"

M = "fund/manage/<str:fund>/"

urlpatterns = [
    path("fund/", public.FundPublicView.as_view(), name="public"),
    path("fund/gifts/", public.GiftListView.as_view(), name="gifts"),
    path("fund/grants/", public.GrantListPublicView.as_view(), name="grants"),
    path("fund/partners/", partners.PartnerListView.as_view(), name="partners"),
    # Staff: fund managers post, auditors read.
    path("fund/manage/", manage.ManageIndexView.as_view(), name="manage-index"),
    path(M, manage.DashboardView.as_view(), name="manage-dashboard"),
    path(M + "ledger/", manage.EntryListView.as_view(), name="entry-list"),
    path(M + "ledger/new/", manage.EntryCreateView.as_view(), name="entry-create"),
    path(M + "ledger/<str:number>/", manage.EntryDetailView.as_view(), name="entry-detail"),
    path(
        M + "ledger/<str:number>/reverse/",
        manage.EntryReverseView.as_view(),
        name="entry-reverse",
    ),
    path(M + "trial-balance/", manage.TrialBalanceView.as_view(), name="trial-balance"),
    path(M + "periods/", manage.PeriodCloseView.as_view(), name="periods"),
    path(M + "donations/", manage.DonationListView.as_view(), name="donation-list"),
    path(M + "donations/new/", manage.DonationCreateView.as_view(), name="donation-create"),
    path(
        M + "donations/<int:pk>/receipt/",
        manage.DonationReceiptView.as_view(),
        name="donation-receipt",
    ),
    path(
        M + "letters/<str:kind>/<int:pk>/",
        manage.LetterIssueView.as_view(),
        name="letter-issue",
    ),
    path(M + "letters/<str:number>.pdf", manage.LetterPdfView.as_view(), name="letter-pdf"),
    path(M + "charity-sales/", manage.CharitySaleListView.as_view(), name="charity-sale-list"),
    path(
        M + "charity-sales/new/",
        manage.CharitySaleCreateView.as_view(),
        name="charity-sale-create",
    ),
    path(
        M + "performances/new/",
        manage.PerformanceCreateView.as_view(),
        name="performance-create",
    ),
    path(M + "pledges/", manage.PledgeListView.as_view(), name="pledge-list"),
    path(M + "pledges/new/", manage.PledgeCreateView.as_view(), name="pledge-create"),
    path(M + "pledges/<int:pk>/", manage.PledgeDetailView.as_view(), name="pledge-detail"),
    path(
        M + "instalments/<int:pk>/receive/",
        manage.InstalmentReceiveView.as_view(),
        name="instalment-receive",
    ),
    path(M + "grants/", manage.GrantListView.as_view(), name="grant-list"),
    path(M + "grants/new/", manage.GrantEnterView.as_view(), name="grant-enter"),
    path(M + "grants/<int:pk>/", manage.GrantDetailView.as_view(), name="grant-detail"),
    path(
        M + "grants/<int:pk>/<str:action>/",
        manage.GrantActionView.as_view(),
        name="grant-action",
    ),
    path(M + "files/<int:pk>/", manage.AttachmentView.as_view(), name="attachment"),
    path(M + "exports/<str:report>.xlsx", manage.ExportView.as_view(), name="export"),
    path(M + "bank-import/", manage.BankImportView.as_view(), name="bank-import"),
    # Organisations: their own grant applications.
    path("my/grants/", my.MyGrantListView.as_view(), name="my-grant-list"),
    path("my/grants/new/", my.MyGrantApplyView.as_view(), name="my-grant-apply"),
    path("my/grants/<int:pk>/", my.MyGrantDetailView.as_view(), name="my-grant-detail"),
    path(
        "my/grants/<int:pk>/withdraw/",
        my.MyGrantActionView.as_view(),
        {"action": "withdraw"},
        name="my-grant-withdraw",
    ),
    path(
        "my/grants/<int:pk>/report/",
        my.MyGrantActionView.as_view(),
        {"action": "report"},
        name="my-grant-report",
    ),
    path(
        "my/grants/<int:pk>/progress/",
        my.MyGrantActionView.as_view(),
        {"action": "progress"},
        name="my-grant-progress",
    ),
    path("my/grants/files/<int:pk>/", my.MyAttachmentView.as_view(), name="my-attachment"),
]
