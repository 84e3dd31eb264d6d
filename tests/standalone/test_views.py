"""
The standalone project's pages: its front page and the newest email, as make run serves them, and
its forgot-password page.
"""
import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.conftest import LMS_HOST

User = get_user_model()


@pytest.fixture
def emails_as_files(settings, tmp_path):
    """As make run writes emails: as files in a folder."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    return tmp_path


@pytest.mark.usefixtures("emails_as_files", "site")
def test_the_front_page_links_the_admin_the_docs_and_says_there_is_no_email_yet(client):
    page = client.get("/", HTTP_HOST=LMS_HOST)

    assert page.status_code == 200
    content = page.content.decode()
    assert 'href="/admin/"' in content and 'href="/tahoe/api/api-docs/"' in content
    assert "No email yet" in content
    assert client.get("/emails/newest/", HTTP_HOST=LMS_HOST).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_newest_email_is_shown_and_linked_from_the_front_page(client, emails_as_files, caller, learner):
    assert caller.post(learner).status_code == 200
    assert caller.post({**learner, "username": "second", "email": "second@example.com"}).status_code == 200
    newest = max(emails_as_files.glob("*.log"), key=lambda path: path.stat().st_mtime)

    page = client.get("/emails/newest/", HTTP_HOST=LMS_HOST)

    assert page.status_code == 200
    assert page["X-Email-File"] == newest.name
    assert "second@example.com" in page.content.decode()
    assert newest.name in client.get("/", HTTP_HOST=LMS_HOST).content.decode()
    assert not mail.outbox  # written as files, not kept in memory


@pytest.mark.usefixtures("site")
def test_forgot_password_refuses_an_unusable_password_and_says_the_same(client):
    user = User.objects.create_user("someone", "someone@example.com")
    user.set_unusable_password()
    user.save()

    refused = client.post("/password/reset/", {"email": "someone@example.com"}, HTTP_HOST=LMS_HOST)
    unknown = client.post("/password/reset/", {"email": "nobody@example.com"}, HTTP_HOST=LMS_HOST)

    assert refused.status_code == unknown.status_code == 200
    assert refused.content == unknown.content
    assert not mail.outbox
