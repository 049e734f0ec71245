"""List pages of every app page the same forgiving way."""

from django.core.paginator import Page, Paginator


class LenientPaginationMixin:
    """For a ``ListView``: a bad or stale ``?page=`` (``abc``, ``0``, or past the end
    after a filter narrowed the list) shows the first or the last page, never a 404."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


class _UncountedPage(Page):
    def has_next(self) -> bool:
        return self.paginator.more

    def has_previous(self) -> bool:
        return self.number > 1


class UncountedPaginator(Paginator):
    """Pages without a COUNT (of every row ever, on each visit: 200 ms for 400k donations):
    each page reads one row more than it shows, to know whether there is a next one. No
    page total (``uncounted`` tells the pagination template so)."""

    more = False
    uncounted = True

    def validate_number(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError):
            return 1
        return max(number, 1)

    def get_page(self, number):
        return self.page(number)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        self.more = len(rows) > self.per_page
        return _UncountedPage(rows[: self.per_page], number, self)


class UncountedPaginationMixin:
    """For a ``ListView`` of a list that only grows (gifts, donations): pages by
    ``UncountedPaginator``; a bad ``?page=`` shows the first page, one past the end an
    empty page with a link back."""

    paginator_class = UncountedPaginator

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()
