"""The standalone backend behaves like the platform: the emails' links activate the account."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction

User = get_user_model()


@pytest.fixture
def platform():
    """These pages are the standalone backend's own: its tests run on it alone."""
    return "standalone"


def link_in(message):
    return re.search(r"http://\S+", message.body).group(0)


@pytest.mark.django_db(transaction=True)
def test_the_activation_link_activates_the_account(caller, learner):
    caller.post({**learner, "password": "correct-horse-battery"})
    message = mail.outbox[0]
    assert message.subject == "Activate your account on lms.example.com"
    assert "Alex Userton" in message.body

    page = caller.client.get(link_in(message))

    assert page.status_code == 200
    assert b"Account activated" in page.content
    assert User.objects.get().is_active


def test_an_unknown_activation_key_is_a_404(client, site):  # pylint: disable=unused-argument
    page = client.get("/activate/0123456789abcdef0123456789abcdef/", HTTP_HOST="lms.example.com")

    assert page.status_code == 404
    assert b"not valid" in page.content


@pytest.mark.django_db(transaction=True)
def test_the_set_password_link_sets_the_password_and_activates(caller, learner):
    caller.post(learner)
    message = mail.outbox[0]
    assert message.subject == "Set your password on lms.example.com"
    assert "auserton" in message.body
    browser = caller.client

    form_page = browser.get(link_in(message), follow=True)
    assert form_page.status_code == 200
    assert b"Set your password" in form_page.content
    done = browser.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-fresh-passphrase", "new_password2": "a-fresh-passphrase"},
        follow=True, HTTP_HOST="lms.example.com",
    )

    assert b"Your password is set and your account is active." in done.content
    user = User.objects.get()
    assert user.is_active
    assert user.check_password("a-fresh-passphrase")
    # The link works once.
    again = browser.get(link_in(message), follow=True)
    assert b"Invalid link" in again.content


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("password", ["short", "auserton1"])
def test_the_set_password_page_applies_the_password_policy(caller, learner, password):
    caller.post(learner)
    form_page = caller.client.get(link_in(mail.outbox[0]), follow=True)

    caller.client.post(form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password},
                       HTTP_HOST="lms.example.com")

    user = User.objects.get()
    assert not user.is_active
    assert not user.check_password(password)


@pytest.mark.parametrize("field, first, second", [
    ("username", "Auserton", "aUSERton"),
    ("email", "alex@example.com", "ALEX@Example.COM"),
])
@pytest.mark.usefixtures("site")
def test_the_database_refuses_a_second_account_differing_only_in_case(field, first, second):
    """As the LMS's unique email index and case-insensitive collation do."""
    User.objects.create(**{"username": "one", "email": "one@example.com", field: first})

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(**{"username": "two", "email": "two@example.com", field: second})


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("flag", ["SKIP_EMAIL_VALIDATION", "AUTOMATIC_AUTH_FOR_TESTING"])
def test_a_site_that_skips_email_validation_activates_without_an_activation_email(caller, learner, settings, flag):
    # As the Open edX backend does (tests/backends/test_openedx.py): the platform's two flags.
    settings.TAHOE_REGISTRATION_PLATFORM_BACKEND = "tahoe_registration_plugin.backends.standalone.StandaloneBackend"
    setattr(settings, flag, True)

    with_password = caller.post({**learner, "password": "correct-horse-battery"})
    without = caller.post({**learner, "username": "other", "email": "other@example.com"})

    assert with_password.status_code == without.status_code == 200
    assert User.objects.get(username="auserton").is_active
    assert User.objects.get(username="other").is_active
    # Without a password the set-password email still goes out (its link is how the learner gets one).
    assert [message.to for message in mail.outbox] == [["other@example.com"]]
