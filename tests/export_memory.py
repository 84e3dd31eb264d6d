"""
How much memory an export of every registration record takes: run as a process of its own
(``python -m tests.export_memory command|admin``) on the database its environment names, it prints
``{"records": N, "rows": N, "baseline_kib": ..., "peak_kib": ...}``: its resident memory before the
export and the highest it reached during it (``VmHWM``, reset first where Linux allows).
"""
import json
import os
import sys
from pathlib import Path

STATUS = Path("/proc/self/status")


def memory_kib(field):
    """``VmRSS`` or ``VmHWM`` of this process, in KiB."""
    for line in STATUS.read_text(encoding="ascii").splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def reset_peak():
    """Make ``VmHWM`` start again from the current resident memory (Linux 4.0+)."""
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    except OSError:
        pass


class CountingSink:
    """A text stream that keeps nothing: it counts the lines written to it."""

    def __init__(self):
        self.lines = 0

    def write(self, text):
        self.lines += text.count("\n")
        return len(text)

    def flush(self):
        pass


def main(how):
    # pylint: disable=import-outside-toplevel
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "test_settings")
    django.setup()
    from django.contrib import admin
    from django.core.management import call_command
    from django.test import RequestFactory

    from tahoe_registration_plugin.models import RegistrationRecord

    records = RegistrationRecord.objects.count()  # connected, and the models loaded
    sink = CountingSink()
    reset_peak()
    baseline = memory_kib("VmRSS")
    if how == "command":
        call_command("tahoe_export_registration_records", stdout=sink)
    else:
        # The admin action, as "select all" gives it every record.
        model_admin = admin.site._registry[RegistrationRecord]  # pylint: disable=protected-access
        response = model_admin.export_csv(RequestFactory().post("/"), RegistrationRecord.objects.all())
        for chunk in response.streaming_content:
            sink.write(chunk.decode() if isinstance(chunk, bytes) else chunk)
    peak = memory_kib("VmHWM")
    print(json.dumps({"records": records, "rows": sink.lines - 1, "baseline_kib": baseline, "peak_kib": peak}))


if __name__ == "__main__":
    main(sys.argv[1])
