"""The partners block on the fund page: ``{% load partners %}{% fund_partners fund %}``."""

from django import template

from ..selectors_partners import partner_list_public

register = template.Library()


@register.inclusion_tag("funds/_partner_block.html")
def fund_partners(fund, limit: int = 8):
    return {"fund": fund, "partner_rows": partner_list_public(fund=fund, limit=limit)}
