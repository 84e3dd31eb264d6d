"""Case-insensitive equality that a database index can serve."""
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.functions import Lower


def taken_fields(queryset, **values):
    """
    The names among ``values`` (``field=value``) that some row of ``queryset`` holds, whatever the
    case, found with one query that indexes can serve.

    Django's ``iexact`` becomes ``LIKE`` or ``UPPER()``, which plain indexes cannot always serve.
    MySQL's default ``*_ci`` collations (the LMS's) compare case-insensitively with ``=``, which
    uses the column's index; elsewhere ``LOWER(field) = lower(value)`` meets an index on
    ``LOWER(field)`` (the standalone app creates those). The database, not Python, decides which
    field matched, so its collation rules hold.
    """
    if connection.vendor == "mysql":
        matches = {field: Q(**{field: value}) for field, value in values.items()}
    else:
        queryset = queryset.annotate(**{f"{field}_lower": Lower(field) for field in values})
        matches = {field: Q(**{f"{field}_lower": value.lower()}) for field, value in values.items()}
    flags = {
        f"{field}_taken": ExpressionWrapper(match, output_field=BooleanField()) for field, match in matches.items()
    }
    rows = queryset.filter(reduce(or_, matches.values())).annotate(**flags).values_list(*flags)[:len(values)]
    return sorted({field for row in rows for field, taken in zip(values, row) if taken})
