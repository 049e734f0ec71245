"""Many organisations checked like ``save_organisation`` and written together (imports).

A spreadsheet import of 2,000 rows must not run a dozen queries per row: the
registry's names, credit codes and slugs the rows could collide with are
loaded once, each row is validated in Python against them (and against the
rows added before it, as if those were saved already), and ``write`` then
sends the UPDATEs, one INSERT per 1,000 new organisations and the service
field links. The database constraints remain the last guard.
"""

from collections.abc import Iterable

from django.db.models import Q

from core.constraints import full_clean_batched

from ..models import Organisation, ServiceField, Street
from ..pinyin import pinyin_full, pinyin_name_keys
from ._common import assert_in_transaction, credit_code_taken_error, slug_base

UNIQUE_FIELDS = ("name", "credit_code", "slug")


class OrganisationBatch:
    """Organisations validated on ``add`` (a ``ValidationError`` as ``save_organisation``
    raises it) and saved by ``write`` in a fixed number of queries."""

    def __init__(self, *, names: Iterable[str], codes: Iterable[str]):
        assert_in_transaction()
        names = {(name or "").strip() for name in names} - {""}
        codes = set(codes) - {""}
        # Unique values the registry holds (value -> owner: a pk, or a new row's token).
        self.taken: dict[str, dict] = {field: {} for field in UNIQUE_FIELDS}
        self._owned: dict[tuple[str, object], object] = {}
        rows = Organisation.objects.filter(Q(name__in=names) | Q(credit_code__in=codes))
        for pk, name, code in rows.values_list("pk", "name", "credit_code"):
            self._claim(pk, "name", name)
            self._claim(pk, "credit_code", code)
        # The slugs new rows would get: those the registry has are loaded, not each asked for.
        bases = {slug_base(pinyin_full(name)) for name in names}
        for pk, slug in Organisation.objects.filter(slug__in=bases).values_list("pk", "slug"):
            self._claim(pk, "slug", slug)
        self._searched_bases: set[str] = set()
        self.street_ids = set(Street.objects.values_list("pk", flat=True))
        self._created: list[Organisation] = []
        self._updated: list[Organisation] = []
        self._links: list[tuple[Organisation, list[ServiceField]]] = []

    def _claim(self, owner, field: str, value) -> None:
        """``owner`` holds ``value`` now (and no longer the value it held before)."""
        before = self._owned.get((field, owner))
        if before is not None and before != value and self.taken[field].get(before) == owner:
            del self.taken[field][before]
        if value:
            self.taken[field][value] = owner
            self._owned[(field, owner)] = value

    def _is_taken(self, organisation: Organisation, field: str, value) -> bool:
        owner = self.taken[field].get(value)
        return owner is not None and (organisation.pk is None or owner != organisation.pk)

    def _unique_slug(self, organisation: Organisation) -> str:
        base = slug_base(organisation.name_pinyin)
        if self._is_taken(organisation, "slug", base) and base not in self._searched_bases:
            # Rare (another name with the same pinyin): load the numbered slugs once.
            self._searched_bases.add(base)
            for pk, slug in Organisation.objects.filter(slug__startswith=base).values_list(
                "pk", "slug"
            ):
                self.taken["slug"].setdefault(slug, pk)
        candidate, number = base, 2
        while self._is_taken(organisation, "slug", candidate):
            candidate = f"{base}-{number}"
            number += 1
        return candidate

    def add(
        self, organisation: Organisation, *, service_fields: Iterable[ServiceField] | None = None
    ) -> None:
        """Check ``organisation`` with fresh pinyin keys; ``write`` saves it (and its fields)."""
        organisation.name_pinyin, organisation.pinyin_search = pinyin_name_keys(
            organisation.name, organisation.short_name
        )
        if not organisation.slug:
            organisation.slug = self._unique_slug(organisation)
        code = organisation.credit_code
        if code and self._is_taken(organisation, "credit_code", code):
            raise credit_code_taken_error()
        # The street came from the streets loaded above: no query to check it exists.
        exclude = ["street"] if organisation.street_id in self.street_ids else []
        full_clean_batched(organisation, exclude=exclude, taken=self.taken)
        owner = organisation.pk if organisation.pk else object()
        for field in UNIQUE_FIELDS:
            self._claim(owner, field, getattr(organisation, field))
        (self._updated if organisation.pk else self._created).append(organisation)
        if service_fields is not None:
            self._links.append((organisation, list(service_fields)))

    @property
    def created(self) -> list[Organisation]:
        return list(self._created)

    def write(self) -> None:
        """Save every organisation added: UPDATEs, then the new ones in bulk, then their links."""
        assert_in_transaction()
        for organisation in self._updated:
            organisation.save()
        relinked = [organisation.pk for organisation, _fields in self._links if organisation.pk]
        Organisation.objects.bulk_create(self._created, batch_size=1000)
        link = Organisation.service_fields.through
        if relinked:
            link.objects.filter(organisation_id__in=relinked).delete()
        link.objects.bulk_create(
            [
                link(organisation_id=organisation.pk, servicefield_id=service_field.pk)
                for organisation, service_fields in self._links
                for service_field in service_fields
            ],
            batch_size=1000,
        )
        for organisation, _fields in self._links:
            getattr(organisation, "_prefetched_objects_cache", {}).pop("service_fields", None)
