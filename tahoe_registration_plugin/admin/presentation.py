"""
How the app's admin pages look: the app's stylesheet on each of them, and list columns that wrap
rather than widen the table past the page.

Django's admin keeps a date's or a related object's cell on one line ("Dec. 7, 2026, 7:56 a.m.",
a 50-character domain, "prefix… (name, domain)" of a key); with a few such columns a list page is
wider than a desktop's window. The columns here show the same values, formatted to wrap: times to
the minute, date and time on two lines if need be (the full instant in the title); domains,
usernames, emails and course ids with a break allowed after their dots, @s, underscores and pluses.
"""
import re

from django.contrib import admin
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

# Under the app's static/ folder, where the staticfiles finders find it (and collectstatic copies it).
STYLESHEET = "tahoe_registration_plugin/admin/admin.css"
# Where a long value may break (after these), besides its spaces and hyphens.
BREAK_AFTER = re.compile(r"([.@_+:/])")


class AppModelAdmin(admin.ModelAdmin):
    """The app's model admins: their list, add and change pages load the app's stylesheet."""

    class Media:
        css = {"all": (STYLESHEET,)}


def with_breaks(text):
    """``text``, escaped, with a line break allowed (``<wbr>``) after each of ``BREAK_AFTER``; copied, the same text."""
    return mark_safe(BREAK_AFTER.sub(r"\1<wbr>", escape(text)))


def wrappable(text):
    """``with_breaks(text)`` in a ``span.wrappable``: the stylesheet lets it wrap anywhere, a few words wide."""
    return format_html('<span class="wrappable">{}</span>', with_breaks(text))


def _follow(obj, path):
    """The value at ``path`` (``"site.domain"``) from ``obj``; None where a link on the way is None."""
    for name in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


def text_column(name, path, description, short=False):
    """
    A list column named ``name`` (its cells' class is ``field-<name>``) of the text at ``path``
    (``"user.email"``), sorted by it: ``wrappable``, or if ``short`` (``already_enrolled``), only
    ``with_breaks``.
    """
    def column(obj):
        value = _follow(obj, path)
        if value is None:
            return None
        return with_breaks(str(value)) if short else wrappable(str(value))

    column.__name__ = name
    return admin.display(description=description, ordering=path.replace(".", "__"))(column)


def timestamp_column(field_name, description):
    """
    A list column of the date and time in ``field_name``, in the current time zone, to the minute:
    "2026-12-07 07:56", which wraps between date and time only; its title has the seconds and zone.
    """
    def column(obj):
        value = getattr(obj, field_name)
        if value is None:
            return None
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return format_html(
            '<time datetime="{}" title="{}"><span class="nowrap">{}</span> <span class="nowrap">{}</span></time>',
            value.isoformat(), f"{local:%Y-%m-%d %H:%M:%S %Z}".strip(), f"{local:%Y-%m-%d}", f"{local:%H:%M}",
        )

    column.__name__ = field_name
    return admin.display(description=description, ordering=field_name)(column)


def key_label(api_key):
    """
    A key as the list pages name it: "a24718ab… (Acme CRM)", its prefix whole and its name
    wrappable (its site is in a column of its own).
    """
    return format_html('<span class="nowrap">{}…</span> {}', api_key.prefix, wrappable(f"({api_key.name})"))


@admin.display(description=_("API key"), ordering="api_key__name")
def api_key(record):
    """A record's key, by ``key_label``; none once the key is deleted."""
    return None if record.api_key is None else key_label(record.api_key)
