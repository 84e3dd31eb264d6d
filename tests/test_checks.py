"""``manage.py check`` names each platform module or name the configured backend cannot load."""
import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from tests.conftest import OPENEDX_BACKEND
from tests.openedx_stand_ins import lms as platform_modules


@pytest.mark.parametrize("platform", ["openedx"], indirect=True)
def test_manage_py_check_names_each_platform_name_that_is_missing(monkeypatch, platform):
    # pylint: disable=unused-argument
    helpers = platform_modules.STAND_IN_MODULES["common.djangoapps.student.helpers"]
    monkeypatch.delattr(helpers, "do_create_account")

    with pytest.raises(SystemCheckError) as raised:
        call_command("check")

    assert "tahoe_registration.E002" in str(raised.value)
    assert "common.djangoapps.student.helpers.do_create_account" in str(raised.value)


@pytest.mark.django_db
def test_manage_py_check_names_the_platform_modules_that_cannot_be_imported(settings):
    settings.TAHOE_REGISTRATION_PLATFORM_BACKEND = OPENEDX_BACKEND

    with pytest.raises(SystemCheckError) as raised:
        call_command("check")

    assert "No module named 'common'" in str(raised.value)
