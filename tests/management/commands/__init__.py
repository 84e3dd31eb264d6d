"""Tests of the operator's management commands."""
import io

from django.core.management import call_command


def run(*args, stdin=None):
    """Run a management command as an operator does (``stdin`` typed in); return what it printed."""
    out = io.StringIO()
    if stdin is not None:
        import sys  # pylint: disable=import-outside-toplevel
        sys_stdin, sys.stdin = sys.stdin, io.StringIO(stdin)
        try:
            call_command(*args, stdout=out)
        finally:
            sys.stdin = sys_stdin
    else:
        call_command(*args, stdout=out)
    return out.getvalue()
