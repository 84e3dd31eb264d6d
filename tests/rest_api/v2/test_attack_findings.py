"""
Findings of the attack on the enrollments, users and courses endpoints (issue 26): each test
failed on the code it was written against (commit a84fcc8) and passes since its fix.

The ``services`` ones need ``.ci/services start`` and ``TEST_DB=mysql`` (``make test-services``).
"""
import http.client
import json
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.sites.models import Site
from django.core import mail
from django.db import DatabaseError, connection
from opaque_keys.edx.keys import CourseKey

from tahoe_registration_plugin.models import EnrollmentRecord, IdempotencyRecord
from tahoe_registration_plugin.standalone.models import CourseEnrollment, CourseEnrollmentAllowed
from tests.conftest import LMS_HOST, Caller
from tests.factories import ApiKeyFactory, CourseFactory, LearnerFactory, UserFactory
from tests.live import worker
from tests.rest_api.v2.conftest import ADVANCED, INTRO, register

pytestmark = pytest.mark.usefixtures("courses")
UNCLAIMED = "course-v1:FreeX+Open+2026"


@pytest.fixture
def default_site_caller(client, platform, transactional_db):  # pylint: disable=unused-argument
    """A key of the ``SITE_ID`` site, whose learners (standalone) are the users no other site claims."""
    site, _created = Site.objects.get_or_create(pk=django_settings.SITE_ID,
                                                defaults={"domain": "example.com", "name": "example.com"})
    # A course of an organization no site's course_org_filter names: the default site's.
    CourseFactory(course_id=CourseKey.from_string(UNCLAIMED), display_name="Open")
    return Caller(client, ApiKeyFactory(site=site, scopes=["register", "enroll", "read"]).secret, host=site.domain)


# --- Finding 1: text that is no email address is pre-enrolled --------------------------------------

@pytest.mark.parametrize("learner", ["@", "a@", "a@b@c.org", "a b@example.com", "a<b>@example.com",
                                     "a@example.com,b@example.org"])
def test_text_that_is_no_email_address_is_not_pre_enrolled(caller, learner):
    """
    ``learners: ["a<b>@example.com"]`` answered ``pre_enrolled`` and left a CourseEnrollmentAllowed
    row for an address no registration accepts (and with ``email_learners``, an email to it):
    ``stored_email`` normalizes but never validates. It should be a 400 or ``unknown_learner``,
    with nothing kept and nothing sent.
    """
    response = caller.enroll({"action": "enroll", "courses": [INTRO], "learners": [learner], "email_learners": True})

    assert response.status_code in (200, 400), response.content
    if response.status_code == 200:
        assert [item["status"] for item in response.json()["results"]] == ["unknown_learner"]
    assert not CourseEnrollmentAllowed.objects.exists()
    assert not mail.outbox


# --- Finding 2: an empty ?email= lists every learner -----------------------------------------------

def test_an_empty_email_filter_is_not_the_whole_listing(caller):
    """
    ``GET users/?email=`` answered the paginated list of every learner of the site (``or``
    treats ``""`` as absent), where ``?username=`` answers ``{"results": []}``: a filter that
    was sent, even empty, is a lookup (at most one item), or a 400.
    """
    register(caller, "alex")
    register(caller, "sam")

    response = caller.get("users", {"email": ""})

    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.json() == {"results": [], "next": None}


# --- Finding 3: the next link follows the Host header off the site ---------------------------------

@pytest.mark.parametrize("host", ["evil.test", "attacker.example:8080"])
def test_the_next_link_stays_on_the_keys_site_whatever_the_host_header(
        default_site_caller, host, monkeypatch):
    """
    For a key of the ``SITE_ID`` site every unknown host falls back to its site, and ``next``
    is built from the request's Host: ``Host: evil.test`` gave
    ``next: http://evil.test/tahoe/api/v2/users/?page=2``. A client that follows ``next`` (as
    it is meant to) sends its key to that host. ``next`` should be on the site's own domain
    (or relative), or the request refused.
    """
    LearnerFactory(username="learner1", email="learner1@example.com")
    LearnerFactory(username="learner2", email="learner2@example.com")
    monkeypatch.setattr("tahoe_registration_plugin.rest_api.pagination.NextLinkPagination.page_size", 1)

    response = default_site_caller.get("users", HTTP_HOST=host)

    if response.status_code == 200:
        assert urlsplit(response.json()["next"]).netloc == "example.com", response.json()["next"]


# --- Finding 4: a learner with a non-ASCII username is not found on SQLite -------------------------

def test_a_learner_with_a_non_ascii_username_is_found_by_it_on_every_database(default_site_caller):
    """
    A site learner named ``Émile`` (the platform allows Unicode usernames) was not found by
    ``?username=Émile``, ``émile`` or ``ÉMILE`` on SQLite (its ``LOWER()`` folds ASCII only,
    the lookup compares with Python's ``lower()``), and ``learners: ["Émile"]`` answered
    ``unknown_learner``; on MariaDB all three find him. §3/§9: compared the same way on every
    database.
    """
    emile = LearnerFactory(username="Émile", email="emile@example.com")

    found = [[item["user_id"] for item in default_site_caller.get("users", {"username": name}).json()["results"]]
             for name in ("Émile", "émile", "ÉMILE")]
    enrolled = default_site_caller.enroll({"action": "enroll", "courses": [UNCLAIMED], "learners": ["Émile"]})

    assert found == [[emile.pk]] * 3
    assert [item["status"] for item in enrolled.json()["results"]] == ["enrolled"]


# --- Finding 5: a learner whose address has an internationalized domain is never found -------------

@pytest.mark.parametrize("sent", ["unal@bücher.de", "unal@xn--bcher-kva.de"])
def test_a_learner_whose_stored_address_has_an_internationalized_domain_is_found(default_site_caller, sent):
    """
    A site learner whose address the platform stored as typed, ``unal@bücher.de`` (Django's
    validator accepts IDN domains; the LMS form stores them as given), was found by neither
    spelling: the lookup compares the IDNA form with the stored Unicode one. ``enroll`` then
    answered ``pre_enrolled`` (user_id null) and kept a pre-enrollment for
    ``unal@xn--bcher-kva.de`` instead of enrolling the learner. §3: the domain is compared in
    its IDNA form, on both sides.
    """
    unal = LearnerFactory(username="unal", email="unal@bücher.de")

    found = default_site_caller.get("users", {"email": sent}).json()["results"]
    enrolled = default_site_caller.enroll({"action": "enroll", "courses": [UNCLAIMED], "learners": [sent]})

    assert [item["user_id"] for item in found] == [unal.pk]
    assert [(item["status"], item["user_id"]) for item in enrolled.json()["results"]] == [("enrolled", unal.pk)]
    assert not CourseEnrollmentAllowed.objects.exists()


# --- Finding 8: an account without a profile (a service user) is enrolled, and the platform fails ---

def test_an_account_without_a_profile_is_nobodys_learner(default_site_caller):
    """
    A default-site account the platform's registration did not make (``manage_user``'s service
    users have no profile) counted as a learner; enrolling it raised inside the platform's
    enrollment, which reads ``user.profile.name`` (a 500 on the Open edX backend). It is no
    learner: not listed, not found, and an enroll call answers ``unknown_learner``.
    """
    service = UserFactory(username="ecommerce_worker", email="ecommerce_worker@example.com")
    learner = LearnerFactory(username="alex", email="alex@example.com")

    listed = [item["user_id"] for item in default_site_caller.get("users").json()["results"]]
    found = default_site_caller.get("users", {"username": "ecommerce_worker"}).json()["results"]
    enrolled = default_site_caller.enroll({"action": "enroll", "courses": [UNCLAIMED],
                                           "learners": ["ecommerce_worker", "alex"]})

    assert listed == [learner.pk] and found == []
    assert enrolled.status_code == 200
    assert [(item["status"], item["user_id"]) for item in enrolled.json()["results"]] == [
        ("unknown_learner", None), ("enrolled", learner.pk),
    ]
    assert not CourseEnrollment.objects.filter(user=service).exists()


# --- Finding 6: an enrollments call that fails says "registration" ---------------------------------

def test_a_failed_enrollments_call_does_not_speak_of_a_registration(caller, monkeypatch):
    """
    A database failure during ``POST enrollments/`` (what a MariaDB race gives, finding 7)
    answered ``503 "The registration could not be completed and nothing was created."`` and logged
    ``Registration failed on a database error`` — for an unenroll call too. Rollback itself held:
    nothing was kept and no email went out.
    """
    register(caller, "alex")
    mail.outbox.clear()

    def fail(*args, **kwargs):
        raise DatabaseError("lost the connection")

    monkeypatch.setattr(IdempotencyRecord.objects, "record", fail)

    response = caller.enroll({"action": "enroll", "courses": [INTRO], "learners": ["alex", "new@example.com"],
                              "email_learners": True}, HTTP_IDEMPOTENCY_KEY="call-1")

    assert response.status_code == 503
    assert not CourseEnrollment.objects.exists() and not CourseEnrollmentAllowed.objects.exists()
    assert not EnrollmentRecord.objects.exists() and not mail.outbox
    assert "registration" not in response.json()["user_message"].lower()


# --- Finding 7 (services, MariaDB): simultaneous pre-enrollments of one address give 503s -----------

def _post_at_once(urls, body, secret, count):
    """``count`` identical enrollments calls, spread over the workers, released together."""
    start = threading.Barrier(count)

    def post(position):
        address = urlsplit(urls[position % len(urls)])
        conn = http.client.HTTPConnection(address.hostname, address.port, timeout=120)
        start.wait()
        try:
            conn.request("POST", "/tahoe/api/v2/enrollments/", json.dumps(body), {
                "Host": LMS_HOST, "Authorization": f"Token {secret}", "Content-Type": "application/json",
            })
            response = conn.getresponse()
            return response.status, json.loads(response.read() or b"null")
        finally:
            conn.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(post, range(count)))


@pytest.mark.services
def test_simultaneous_pre_enrollments_of_the_same_addresses_all_succeed(api_key, cache_server):
    """
    20 identical calls pre-enrolling the same new addresses at once, over 3 worker processes on
    MariaDB: some answered ``503`` (``IntegrityError 1062 Duplicate entry ... for key
    'tahoe_standalone_one_allowed'``: two transactions both read "no pre-enrollment" and both
    insert one; an IntegrityError is never retried). Enrolling existing accounts the same way
    gave 20 × 200. Each call should answer 200 ``pre_enrolled`` (the state it asked for), as a
    retry after the 503 does.
    """
    if connection.vendor != "mysql":
        pytest.skip("SQLite serializes the transactions (IMMEDIATE): the race needs MariaDB")
    prefix = uuid.uuid4().hex
    statuses = Counter()
    with ExitStack() as stack:
        urls = [stack.enter_context(worker(cache_server, prefix, "10000/minute")) for _ in range(3)]
        for round_number in range(4):
            learners = [f"new{round_number}-{n}@example.com" for n in range(10)]
            body = {"action": "enroll", "courses": [INTRO, ADVANCED], "learners": learners}
            statuses.update(status for status, _body in _post_at_once(urls, body, api_key.secret, 20))

    assert statuses == {200: 80}, statuses
    assert CourseEnrollmentAllowed.objects.count() == 4 * 10 * 2
