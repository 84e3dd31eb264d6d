"""The plugin's log lines never hold a learner's email address, tracebacks included."""
import logging
import smtplib
from unittest import mock

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.db import DatabaseError

from tahoe_registration_plugin.logs import get_logger
from tahoe_registration_plugin.models import RegistrationRecord

ADDRESS = "alex.userton@example.com"


def plugin_log_lines(caplog):
    return [caplog.handler.format(record) for record in caplog.records
            if record.name.startswith("tahoe_registration_plugin")]


@pytest.mark.django_db(transaction=True)
def test_an_smtp_refusal_naming_the_address_is_logged_without_it(caller, learner, caplog, platform):
    refusal = smtplib.SMTPRecipientsRefused({ADDRESS: (550, f"5.1.1 <{ADDRESS}>: unknown".encode())})
    with mock.patch.object(EmailBackend, "send_messages", side_effect=refusal), caplog.at_level(logging.INFO):
        response = caller.post(learner)

    assert response.status_code == 200
    lines = plugin_log_lines(caplog)
    assert lines
    assert not [line for line in lines if ADDRESS in line]
    if platform == "standalone":  # the platform's ACE swallows it before the plugin sees it
        assert any("Traceback" in line and "SMTPRecipientsRefused" in line and "[email]" in line for line in lines)


def test_a_database_error_naming_the_address_is_logged_without_it(caller, learner, caplog):
    duplicate = DatabaseError(f"(1062, \"Duplicate entry '{ADDRESS}' for key 'auth_user_email'\")")
    with mock.patch.object(RegistrationRecord.objects, "record", side_effect=duplicate), caplog.at_level(logging.INFO):
        response = caller.post(learner)

    assert response.status_code == 503
    lines = plugin_log_lines(caplog)
    assert any("Duplicate entry '[email]'" in line for line in lines)
    assert not [line for line in lines if ADDRESS in line]


# Every form of address the API accepts (and stores as given but for the domain, or unquoted)...
ACCEPTED_FORMS = [
    "alex.userton@example.com", "Alex.Userton+crm@Example.COM", "o'brien@example.com",
    "a!#$%&*+/=?^_`{|}~-z@example.com", "alex@xn--bcher-kva.de", "alex@bücher.de", '"q53608f"@example.com',
]
# ...and those it refuses, which still reach a log in a refusal or a traceback.
REFUSED_FORMS = ['"m53608f,x"@example.com', '"m53608f x"@example.com', "m53608f@[127.0.0.1]",
                 "m53608f@[IPv6:2001:db8::1]"]


@pytest.mark.parametrize("address", ACCEPTED_FORMS + REFUSED_FORMS)
@pytest.mark.parametrize("where", ["message", "traceback"])
def test_every_form_of_address_is_redacted(address, where, caplog):
    log = get_logger("tahoe_registration_plugin.tests")
    with caplog.at_level(logging.INFO):
        if where == "message":
            log.info("Refused <%s>, then 'x %s', then (%s).", address, address, address)
        else:
            try:
                raise DatabaseError(f"(1062, \"Duplicate entry '{address}' for key 'auth_user_email'\")")
            except DatabaseError:
                log.exception("Registration failed.")

    [line] = plugin_log_lines(caplog)
    local_part = address.rpartition("@")[0].strip('"')
    assert local_part not in line
    assert "[email]" in line
