"""List pages of every app page the same forgiving way."""


class LenientPaginationMixin:
    """For a ``ListView``: a bad or stale ``?page=`` (``abc``, ``0``, or past the end
    after a filter narrowed the list) shows the first or the last page, never a 404."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()
