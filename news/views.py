"""Public news pages: ``/news/`` and ``/news/<slug>/``."""

from django.views.generic import DetailView, ListView

from core.pagecache import PublicPageCacheMixin
from core.pagination import LenientPaginationMixin

from . import selectors
from .forms import ArticleFilterForm


class ArticleListView(PublicPageCacheMixin, LenientPaginationMixin, ListView):
    """``/news/[?category=news|notice]``: published items, pinned first, 10 a page."""

    page_cache_namespaces = ("news", "alliances", "streets", "organisations")

    template_name = "news/article_list.html"
    context_object_name = "articles"
    paginate_by = 10

    def get_queryset(self):
        self.filter_form = ArticleFilterForm(self.request.GET or None)
        return selectors.article_list_public(**self.filter_form.filters())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            nav_current="news",
            filter_form=self.filter_form,
            category=self.filter_form.filters().get("category", ""),
            query_string=query.urlencode(),
        )
        return context


class ArticleDetailView(PublicPageCacheMixin, DetailView):
    page_cache_namespaces = ("news", "alliances", "streets", "organisations")

    template_name = "news/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        return selectors.article_get_public(slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_current", "news")
        return super().get_context_data(**kwargs)
