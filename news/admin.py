"""Back office for news and notices: every write goes through ``news.services``."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import ServiceActionAdminMixin, ServiceSavedAdminMixin
from core.forms import error_text

from . import services
from .models import Article


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = list(services.ARTICLE_EDITABLE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Leave blank to make one from the date and title.")

    def _post_clean(self):
        super()._post_clean()
        try:
            services.article_check_rules(self.instance)
        except ValidationError as error:
            self._update_errors(error)


@admin.register(Article)
class ArticleAdmin(ServiceActionAdminMixin, ServiceSavedAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "category", "status", "published_at", "is_pinned", "audience"]
    list_filter = ["category", "status", "is_pinned", "audience"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "published_at"
    filter_horizontal = ["related_events", "related_alliances", "related_streets"]
    readonly_fields = ["status", "notified_at", "created_by", "created_at"]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["category", "title", "slug", "summary", "body", "cover_image"]}),
        (gettext_lazy("publication"), {"fields": ["published_at", "is_pinned", "status"]}),
        (
            gettext_lazy("notice addressed to"),
            {"fields": ["audience", "audience_alliance", "audience_street", "notified_at"]},
        ),
        (
            gettext_lazy("related"),
            {"fields": ["related_events", "related_alliances", "related_streets"]},
        ),
        (gettext_lazy("history"), {"fields": ["created_by", "created_at"]}),
    ]

    def _allowed(self, request) -> bool:
        return request.user.has_perm("news.manage_article")

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        # A published item is history: withdraw it instead.
        return self._allowed(request) and obj is not None and obj.status == Article.Status.DRAFT

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name]
            for name in services.ARTICLE_EDITABLE_FIELDS
            if name in form.cleaned_data
        }
        try:
            if change:
                saved = services.article_update(article=obj, acting_user=request.user, **fields)
            else:
                saved = services.article_create(acting_user=request.user, **fields)
        except ValidationError as error:
            self.message_user(request, error_text(error), messages.ERROR)
            return
        obj.pk, obj.slug, obj.status = saved.pk, saved.slug, saved.status

    def save_related(self, request, form, formsets, change):
        """The service has set the relations already."""

    @admin.action(description=gettext_lazy("Publish selected items (notices are e-mailed)"))
    def publish(self, request, queryset):
        self.each_row(
            request,
            queryset,
            lambda article: services.article_publish(article=article, acting_user=request.user),
            _("%(count)s items published."),
        )

    @admin.action(description=gettext_lazy("Withdraw selected items from the site"))
    def unpublish(self, request, queryset):
        self.each_row(
            request,
            queryset,
            lambda article: services.article_unpublish(article=article, acting_user=request.user),
            _("%(count)s items withdrawn."),
        )
