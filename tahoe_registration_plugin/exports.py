"""Registration records as CSV, streamed: an admin action and a management command write the same rows."""
import csv

from django.http import StreamingHttpResponse

HEADER = ["created", "site", "user_id", "username", "email", "api_key_prefix", "api_key_name", "api_version",
          "enrollments"]
# Rows are read from the database this many at a time, however many records there are.
CHUNK_SIZE = 2000


class _Echo:
    """A file-like object whose ``write`` hands back what it is given (for streaming csv rows)."""

    def write(self, value):
        return value


def registration_record_rows(queryset):
    """The header, then one row per record, reading the records in chunks."""
    yield HEADER
    records = queryset.select_related("site", "user", "api_key").order_by("created", "pk")
    for record in records.iterator(chunk_size=CHUNK_SIZE):
        yield [
            record.created.isoformat(), record.site.domain, record.user_id, record.user.username, record.user.email,
            record.api_key.prefix if record.api_key else "", record.api_key.name if record.api_key else "",
            record.api_version, " ".join(item["course_id"] for item in record.enrollments),
        ]


def write_registration_records_csv(queryset, stream):
    """Write the records as CSV to ``stream`` (a text file)."""
    writer = csv.writer(stream)
    for row in registration_record_rows(queryset):
        writer.writerow(row)


def registration_records_csv_response(queryset, filename="registration-records.csv"):
    """The records as a streamed CSV download."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in registration_record_rows(queryset)), content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


ENROLLMENT_HEADER = ["created", "site", "api_key_prefix", "api_key_name", "action", "learner", "user_id",
                     "course_id", "status", "mode"]


def enrollment_record_rows(queryset):
    """The header, then one row per enrollment record, reading the records in chunks."""
    yield ENROLLMENT_HEADER
    records = queryset.select_related("site", "api_key").order_by("created", "pk")
    for record in records.iterator(chunk_size=CHUNK_SIZE):
        yield [
            record.created.isoformat(), record.site.domain, record.api_key.prefix if record.api_key else "",
            record.api_key.name if record.api_key else "", record.action, record.learner, record.user_id or "",
            record.course_id, record.status, record.mode,
        ]


def enrollment_records_csv_response(queryset, filename="enrollment-records.csv"):
    """The enrollment records as a streamed CSV download."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in enrollment_record_rows(queryset)), content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
