"""
Hostile input, property-based: whatever the body, content type or charset, every answer is JSON,
never a 5xx, and an answer other than 200 created nothing.
"""
import json
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

User = get_user_model()
FIELDS = ["username", "email", "name", "password", "send_activation_email"]
PATH = "/tahoe/api/v2/registrations/"
ACCEPTED = {200, 400, 409, 413, 415}
HYPOTHESIS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

any_text = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["", " ", "\x00", "null", "true", "a" * 300, "ünïcødé", "名前", "\ud800", "x@example.com", "%%%%"]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(any_text, children, max_size=4),
    max_leaves=12,
)
# Mostly the API's own fields, with wrong types and values, plus strangers.
json_objects = st.dictionaries(st.sampled_from(FIELDS) | any_text, json_values, max_size=8)
content_types = st.sampled_from([
    "application/json", "application/json; charset=utf-8", "application/json; charset=latin-1",
    "application/json; charset=no-such-charset", "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=utf-16", "multipart/form-data",
    "multipart/form-data; boundary=xyz", "text/plain", "application/xml", "", "*/*",
])


@pytest.fixture
def post(caller, settings):  # pylint: disable=redefined-outer-name
    settings.TAHOE_REGISTRATION_RATE = "100000/minute"

    def post_raw(body, content_type):
        before = User.objects.count()
        response = caller.client.generic(
            "POST", PATH, body, content_type=content_type,
            HTTP_HOST=caller.host, HTTP_AUTHORIZATION=f"Token {caller.secret}",
        )
        assert response.status_code in ACCEPTED, (response.status_code, body[:200], content_type)
        assert response["Content-Type"] == "application/json"
        json.loads(response.content)
        if response.status_code != 200:
            assert User.objects.count() == before, "a refused request created an account"
        return response

    return post_raw


@pytest.mark.slow
@HYPOTHESIS
@given(body=json_objects | json_values)
def test_any_json_body(post, body):
    post(json.dumps(body).encode("utf-8"), "application/json")


@pytest.mark.slow
@HYPOTHESIS
@given(pairs=st.lists(st.tuples(st.sampled_from(FIELDS) | any_text, any_text), max_size=10))
def test_any_form_body_with_duplicate_keys(post, pairs):
    post(urlencode(pairs, errors="surrogatepass").encode("ascii"), "application/x-www-form-urlencoded")


@pytest.mark.slow
@HYPOTHESIS
@given(body=st.binary(max_size=300), content_type=content_types)
def test_any_bytes_with_any_content_type(post, body, content_type):
    post(body, content_type)


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=xyz"])
def test_a_megabyte_body_is_refused_without_reading_it(post, content_type):
    response = post(b'{"name": "' + b"x" * (1024 * 1024) + b'"}', content_type)

    assert response.status_code == 413


def test_duplicate_json_keys_take_the_last_value(post):
    response = post(b'{"username": "first", "username": "auserton", "email": "a@example.com", "name": "A"}',
                    "application/json")

    assert response.status_code == 200
    assert User.objects.get().username == "auserton"


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_a_json_body_nested_deeper_than_the_decoder_goes_is_a_json_400(post, depth, settings):
    # Python 3.11's decoder gives up at about 1,000 levels, 3.12's further down.
    settings.TAHOE_REGISTRATION_MAX_BODY_BYTES = 1024 * 1024
    response = post(b"[" * depth + b"]" * depth, "application/json")

    assert response.status_code == 400
    if depth == 100_000:
        assert "nested too deeply" in response.json()["user_message"]


def test_more_form_fields_than_django_allows_is_a_json_400(post, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20

    response = post(urlencode([(f"field{n}", "x") for n in range(21)]).encode("ascii"),
                    "application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert response.json()["user_message"].startswith("Malformed request:")


def test_more_uploaded_files_than_django_allows_is_a_json_400(caller, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    files = {f"file{n}": SimpleUploadedFile(f"f{n}.txt", b"x") for n in range(4)}

    response = caller.post({"username": "auserton", "email": "a@example.com", "name": "A", **files},
                           version="v2", fmt="multipart")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert not User.objects.exists()
