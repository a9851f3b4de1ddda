"""A paginator that stops at a bound, for searches that can match a good part of a nation."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


class BoundedPaginator(Paginator):
    """Page through at most ``bound`` matches: the first ``bound`` + 1 found, then shown in the list's order.

    One query takes the first ``bound`` + 1 matches the database finds, in no order
    (``SELECT pk, <order fields> … LIMIT bound + 1``), so an index stops there; they are sorted
    here by the queryset's order (plain field names, '-' for descending, NULLs last), and a
    page is its rows fetched by key from ``rows`` (the unfiltered list, with its relations)
    when given, so the search is not run twice. Sorting every match in the database instead
    read all of them: 2 M rows for "Nguyễn" over the nation, to show 50; and sorting even the
    1,001 there joined each to its organization, which the planner did by hashing every
    organization of the nation. Counting every match of a common name ("Nguyễn Thị Uyên",
    about 15,000) took 190 ms for a number nobody reads beyond "many".

    Up to the bound the count and the pages are exact. Past it ``count`` is the bound,
    ``over_bound`` is True and the pages run to the bound, the page saying "more than 1,000"
    and asking for a narrower search; which 1,000 of the matches those pages hold is the
    database's choice. The order compares text by code point, as a C collation does.
    Exports do not paginate and so are never cut.
    """

    bound = 1000

    def __init__(self, object_list, per_page, *args, rows=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.rows = object_list if rows is None else rows

    @cached_property
    def _first(self):
        """The keys of the first bound + 1 matches, in the queryset's order; None for a list."""
        if not isinstance(self.object_list, QuerySet):
            return None
        query = self.object_list.query
        order = list(query.order_by or (query.default_ordering and query.get_meta().ordering) or ["pk"])
        if not all(isinstance(f, str) for f in order):
            raise TypeError("BoundedPaginator orders by field names only.")
        fields = [f.lstrip("-") for f in order]
        found = list(self.object_list.order_by().values_list("pk", *fields)[: self.bound + 1])
        # Sorted field by field, last first (sorts are stable), so each field keeps its direction.
        for at in reversed(range(len(fields))):
            found.sort(key=lambda r, at=at: (r[at + 1] is None, r[at + 1]), reverse=order[at].startswith("-"))
        return [r[0] for r in found]

    @property
    def count(self):
        if self._first is None:
            return super().count
        return min(len(self._first), self.bound)

    @property
    def over_bound(self):
        return self._first is not None and len(self._first) > self.bound

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if self._first is None:
            return self._get_page(self.object_list[bottom:top], number, self)
        keys = self._first[bottom:top]
        found = {row.pk: row for row in self.rows.filter(pk__in=keys)}
        return self._get_page([found[k] for k in keys if k in found], number, self)
