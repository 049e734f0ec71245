"""Names for public pages: 张* / 张*明 for people, 爱心企业 / 爱心人士 for anonymous donors."""

from django.utils.translation import gettext as _

from core.masking import mask_person_name

__all__ = ["anonymous_label", "mask_person_name"]


def anonymous_label(kind: str) -> str:
    """爱心企业 for a company, 爱心人士 for a person (or an unknown giver)."""
    if kind == "company":
        return _("Caring company")
    return _("Caring person")
