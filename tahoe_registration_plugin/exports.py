"""
Audit records as CSV, streamed: the registration records (an admin action and a management command
write the same rows) and the enrollment records (an admin action).

Every cell a spreadsheet would take for a formula (OWASP's CSV injection: a leading ``=``, ``+``,
``-``, ``@``, tab or carriage return) is written with a single quote before it, so that a key name,
username or email chosen by whoever called the API is shown as text, never run.
"""
import csv

from django.http import StreamingHttpResponse

HEADER = ["created", "site", "user_id", "username", "email", "api_key_prefix", "api_key_name", "api_version",
          "enrollments"]
# Rows are read from the database this many at a time, however many records there are.
CHUNK_SIZE = 2000


# What makes a spreadsheet read a cell as a formula (OWASP, CSV Injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """``value`` as a CSV cell: text that starts as a formula would gets a single quote before it."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


class _Echo:
    """A file-like object whose ``write`` hands back what it is given (for streaming csv rows)."""

    def write(self, value):
        return value


# What a row is made of, read as plain values (no model instances), with the keyset last.
COLUMNS = ("created", "site__domain", "user_id", "user__username", "user__email", "api_key__prefix",
           "api_key__name", "api_version", "enrollments", "pk")
ENROLLMENT_HEADER = ["created", "site", "api_key_prefix", "api_key_name", "action", "learner", "user_id",
                     "course_id", "status", "mode"]
ENROLLMENT_COLUMNS = ("created", "site__domain", "api_key__prefix", "api_key__name", "action", "learner", "user_id",
                      "course_id", "status", "mode", "pk")


def _records(queryset, columns=COLUMNS):
    """
    The records' ``columns`` (``created`` first, ``pk`` last), by (created, pk), ``CHUNK_SIZE`` at a
    time: each chunk is a query of its own that starts after the last row of the one before (keyset
    pagination), so that memory stays bounded however many records there are.
    (``QuerySet.iterator()`` does not bound it on MySQL: its driver's default cursor loads the whole
    result first.)
    """
    records = queryset.order_by("created", "pk").values_list(*columns)
    chunk = records
    while True:
        rows = list(chunk[:CHUNK_SIZE])
        yield from rows
        if len(rows) < CHUNK_SIZE:
            return
        created, pk = rows[-1][0], rows[-1][-1]
        chunk = records.filter(created__gte=created).exclude(created=created, pk__lte=pk)


def registration_record_rows(queryset):
    """The header, then one row per record, each cell safe to open in a spreadsheet."""
    yield HEADER
    for created, domain, user_id, username, email, prefix, key_name, version, enrollments, _pk in _records(queryset):
        yield [spreadsheet_safe(cell) for cell in (
            created.isoformat(), domain, user_id, username, email, prefix or "", key_name or "", version,
            " ".join(item["course_id"] for item in enrollments or ()),
        )]


def enrollment_record_rows(queryset):
    """The header, then one row per enrollment record, each cell safe to open in a spreadsheet."""
    yield ENROLLMENT_HEADER
    for created, *cells, _pk in _records(queryset, ENROLLMENT_COLUMNS):
        yield [spreadsheet_safe(cell) for cell in (
            created.isoformat(), *("" if cell is None else cell for cell in cells),
        )]


def write_registration_records_csv(queryset, stream):
    """Write the records as CSV to ``stream`` (a text file)."""
    writer = csv.writer(stream)
    for row in registration_record_rows(queryset):
        writer.writerow(row)


def csv_response(rows, filename):
    """``rows`` as a streamed CSV download."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse((writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def registration_records_csv_response(queryset, filename="registration-records.csv"):
    return csv_response(registration_record_rows(queryset), filename)


def enrollment_records_csv_response(queryset, filename="enrollment-records.csv"):
    return csv_response(enrollment_record_rows(queryset), filename)
