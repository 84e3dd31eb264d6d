"""A key works on its own site only, however the host is spelled."""
import pytest
from django.contrib.auth import get_user_model

from tests.conftest import OTHER_HOST, Caller

User = get_user_model()


def assert_refused(response, status, message):
    assert response.status_code == status
    assert response.json() == {"user_message": message}
    assert not User.objects.exists()


@pytest.mark.parametrize("version", ["v1", "v2"])
@pytest.mark.usefixtures("other_site")
def test_a_key_of_another_site_is_a_403(client, api_key, learner, version):
    response = Caller(client, api_key.secret, host=OTHER_HOST).post(learner, version=version)

    assert_refused(response, 403, "This API key does not belong to this site.")


def test_the_key_works_on_its_own_site_host_in_any_case_and_with_a_port(client, api_key, learner):
    response = Caller(client, api_key.secret, host="LMS.Example.com:8000").post(learner)

    assert response.status_code == 200
