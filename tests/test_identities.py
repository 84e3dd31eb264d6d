"""
One mailbox, one account: the identities a mail server or a reader takes for one are one account,
or are refused, with the same answer on SQLite and MariaDB (``make test-services`` runs these there).
"""
import pytest
from django.contrib.auth import get_user_model
from hypothesis import given
from hypothesis import strategies as st

from tahoe_registration_plugin import identities

User = get_user_model()

SAME_MAILBOX = [
    ("alex@example.com", "alex@ｅｘａｍｐｌｅ.com"),              # fullwidth domain
    ("alex@bücher.de", "alex@xn--bcher-kva.de"),                 # an IDN domain and its punycode
    ("alex@straße.de", "alex@strasse.de"),                       # ß and ss
    ("a@ÄBC.de", "a@äbc.de"),                                    # a non-ASCII capital in the domain
    ("alex@example.com", "ALEX@EXAMPLE.COM"),
    ('"q53608f"@example.com', "q53608f@example.com"),            # a quoted local part that needs no quotes
    ("q53608f@example.com", '"q53608f"@example.com'),
    ('"a.b\\c"@example.com', "a.bc@example.com"),                 # a quoted pair is the character itself
]
REFUSED_EMAILS = [
    ("alex@exam\u200bple.com", identities.INVISIBLE_OR_CONTROL_MSG),  # zero-width space
    ("alex@exam\u00adple.com", identities.INVISIBLE_OR_CONTROL_MSG),  # soft hyphen
    ("alex\u202e@example.com", identities.INVISIBLE_OR_CONTROL_MSG),  # right-to-left override
    ("\u017fam@example.com", identities.NON_ASCII_LOCAL_PART_MSG),     # long s, which MySQL folds to s
    ("\u0131an@example.com", identities.NON_ASCII_LOCAL_PART_MSG),     # dotless i, which MySQL folds to i
    ('"a,b"@example.com', identities.QUOTED_LOCAL_PART_MSG),          # a mailbox only quotes can name
    ('"a..b"@example.com', identities.QUOTED_LOCAL_PART_MSG),
    ("x@[127.0.0.1]", identities.ADDRESS_LITERAL_MSG),               # an address literal, no domain
]
REFUSED_USERNAMES = [
    ("ａｌｅｘ", identities.COMPATIBILITY_MSG),
    ("al\u200bex", identities.INVISIBLE_OR_CONTROL_MSG),
    ("al\u200dex", identities.INVISIBLE_OR_CONTROL_MSG),
]
REFUSED_NAMES = ["Alex\r\nBcc: everyone@example.com", "Alex\nUserton", "Alex\x1bUserton", "Alex\x85Userton",
                 "Alex\x07"]


@pytest.mark.parametrize("first, second", SAME_MAILBOX)
def test_two_spellings_of_one_mailbox_make_one_account(caller, learner, first, second):
    created = caller.post({**learner, "email": first}, version="v2")
    again = caller.post({**learner, "username": "second", "email": second}, version="v2")

    assert created.status_code == 200, created.content
    assert again.status_code == 409, again.content
    assert again.json()["invalid-params"] == ["email"]
    assert User.objects.get().email.isascii()


@pytest.mark.parametrize("email, message", REFUSED_EMAILS)
def test_invisible_characters_and_non_ascii_before_the_at_are_refused(caller, learner, email, message):
    response = caller.post({**learner, "email": email}, version="v2")

    assert response.status_code == 400
    assert response.json()["field_errors"] == {"email": [message]}
    assert not User.objects.exists()


@pytest.mark.parametrize("username, message", REFUSED_USERNAMES)
def test_usernames_with_invisible_or_fullwidth_characters_are_refused(caller, learner, username, message):
    response = caller.post({**learner, "username": username}, version="v2")

    assert response.status_code == 400
    assert message in response.json()["field_errors"]["username"]
    assert not User.objects.exists()


@pytest.mark.parametrize("name", REFUSED_NAMES)
def test_names_with_control_characters_are_refused(caller, learner, name):
    response = caller.post({**learner, "name": name}, version="v2")

    assert response.status_code == 400
    assert response.json()["field_errors"] == {"name": [identities.CONTROL_MSG]}
    assert not User.objects.exists()


@pytest.mark.slow
@given(local=st.from_regex(r"[a-z0-9._+-]{1,20}", fullmatch=True),
       domain=st.sampled_from(["example.com", "ｅｘａｍｐｌｅ.com", "bücher.de", "xn--bcher-kva.de", "straße.de",
                               "ÄBC.de", "EXAMPLE.org"]))
def test_the_stored_form_of_an_address_is_ascii_and_stable(local, domain):
    stored = identities.normalize_email(f"{local}@{domain}")

    assert stored.isascii()
    assert identities.normalize_email(stored) == stored
    assert stored.split("@")[1] == stored.split("@")[1].lower()
