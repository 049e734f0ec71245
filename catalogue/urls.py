from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("services/", views.OfferingListView.as_view(), name="offering-list"),
    path("services/<int:pk>/", views.OfferingDetailView.as_view(), name="offering-detail"),
    path("services/review/", views.ReviewListView.as_view(), name="review-list"),
    path("services/review/<int:pk>/", views.ReviewDetailView.as_view(), name="review-detail"),
    path("services/handbook.pdf", views.HandbookPdfView.as_view(), name="handbook-pdf"),
    path("services/handbook.xlsx", views.HandbookXlsxView.as_view(), name="handbook-xlsx"),
    path("my/services/", views.MyOfferingListView.as_view(), name="my-offering-list"),
    path("my/services/new/", views.MyOfferingCreateView.as_view(), name="my-offering-create"),
    path("my/services/<int:pk>/", views.MyOfferingUpdateView.as_view(), name="my-offering-update"),
    path(
        "my/services/<int:pk>/submit/",
        views.MyOfferingSubmitView.as_view(),
        name="my-offering-submit",
    ),
    path(
        "my/services/<int:pk>/withdraw/",
        views.MyOfferingWithdrawView.as_view(),
        name="my-offering-withdraw",
    ),
    path("my/services/<int:pk>/photos/", views.MyPhotoAddView.as_view(), name="my-photo-add"),
    path(
        "my/services/photos/<int:pk>/remove/",
        views.MyPhotoRemoveView.as_view(),
        name="my-photo-remove",
    ),
]
