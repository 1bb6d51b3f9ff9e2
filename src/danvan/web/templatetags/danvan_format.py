"""Template filters for Vietnamese number formatting.

Django's "vi" locale sets the thousand separator (".") but no grouping, so ``intcomma``
prints 3321 instead of the 3.321 every Vietnamese document uses.
"""

from __future__ import annotations

from django import template
from django.utils import numberformat

register = template.Library()


@register.filter
def number(value: object) -> str:
    """3321 → "3.321", 1234567.5 → "1.234.567,5" (Vietnamese separators)."""
    if value is None or value == "":
        return ""
    text = str(value)
    try:
        float(text)
    except ValueError:
        return text
    return numberformat.format(text, decimal_sep=",", grouping=3, thousand_sep=".", force_grouping=True)
