"""
The Tutor plugin, with the real ``tutor`` package: enabled in a temporary Tutor root, ``config
save`` renders the LMS image (from the configured requirement or a mounted checkout), settings,
purge service and purge CronJob expected (no Docker needed); ``do`` has every operator command.
"""
import ast
import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tahoe_registration_plugin import __version__
from tutor_tahoe_registration import plugin  # pylint: disable=wrong-import-order

# The console script installed beside this Python.
TUTOR = [str(Path(sys.executable).parent / "tutor")]


@pytest.fixture(name="tutor_root")
def fixture_tutor_root(tmp_path):
    """A Tutor root with the plugin enabled; ``tutor(*args)`` runs Tutor there."""
    env = {**os.environ, "TUTOR_ROOT": str(tmp_path / "root"), "TUTOR_PLUGINS_ROOT": str(tmp_path / "plugins")}

    def tutor(*args):
        return subprocess.run([*TUTOR, *args], env=env, capture_output=True, text=True, check=True, timeout=120)

    tutor("plugins", "enable", "tahoe-registration")
    tutor.root = tmp_path / "root"
    return tutor


def rendered(tutor_root, path):
    return (tutor_root.root / "env" / path).read_text(encoding="utf-8")


def test_enabling_installs_the_configured_requirement_with_tutors_pip_and_build_constraints(tutor_root):
    requirement = "tahoe-registration-plugin @ git+https://git.example.com/tahoe-registration-plugin.git@v0.1.0"
    tutor_root("config", "save", "--set", f"TAHOE_REGISTRATION_PIP_REQUIREMENT={requirement}")

    dockerfile = rendered(tutor_root, "build/openedx/Dockerfile")
    assert (
        "# Tahoe Registration API (tutor-contrib-tahoe-registration)\n"
        "RUN --mount=type=cache,target=/openedx/.cache/pip,sharing=shared \\\n"
        f"    $PIP_COMMAND install -c /etc/openedx-build-constraints.txt '{requirement}'\n"
    ) in dockerfile
    # In the python requirements stage, after Tutor's own requirements.
    assert dockerfile.index("FROM minimal AS python") < dockerfile.index(requirement) < dockerfile.index(
        "FROM python AS nodejs-requirements")


def test_a_mounted_checkout_is_installed_by_tutor_instead(tutor_root, tmp_path):
    checkout = tmp_path / "tahoe-registration-plugin"
    checkout.mkdir()
    tutor_root("mounts", "add", str(checkout))
    tutor_root("config", "save")

    dockerfile = rendered(tutor_root, "build/openedx/Dockerfile")
    assert "TAHOE_REGISTRATION_PIP_REQUIREMENT" not in dockerfile and "tahoe-registration-plugin==" not in dockerfile
    assert "# Tahoe Registration API" not in dockerfile
    # Tutor's own lines, in the production and development stages alike.
    assert dockerfile.count('RUN $PIP_COMMAND install -e "/mnt/tahoe-registration-plugin"') == 2
    compose = yaml.safe_load(rendered(tutor_root, "local/docker-compose.yml"))
    mount = f"{checkout}:/mnt/tahoe-registration-plugin:z"
    for service in ("lms", "cms", "tahoe-registration-purge"):
        assert mount in compose["services"][service]["volumes"], service


def test_a_wheel_url_is_a_requirement_like_any_other(tutor_root):
    wheel = "https://files.example.com/tahoe_registration_plugin-0.1.0-py3-none-any.whl"
    tutor_root("config", "save", "--set", f"TAHOE_REGISTRATION_PIP_REQUIREMENT={wheel}")

    assert f"install -c /etc/openedx-build-constraints.txt '{wheel}'" in rendered(
        tutor_root, "build/openedx/Dockerfile")


def test_the_default_is_the_commit_the_tutor_plugin_came_from(monkeypatch):
    direct_url = {"url": "https://github.com/acme/tahoe-registration-plugin.git", "subdirectory": "tutor-plugin",
                  "vcs_info": {"vcs": "git", "requested_revision": "main", "commit_id": "0123abcd" * 5}}

    class Distribution:
        @staticmethod
        def read_text(name):
            return json.dumps(direct_url) if name == "direct_url.json" else None

    monkeypatch.setattr(importlib.metadata, "distribution", lambda name: Distribution)
    assert plugin.default_pip_requirement() == (
        "tahoe-registration-plugin @ git+https://github.com/acme/tahoe-registration-plugin.git@" + "0123abcd" * 5)
    # Installed from an index, an archive or a local folder: this release, from the index.
    direct_url = {"url": "file:///src/tahoe-registration-plugin/tutor-plugin", "dir_info": {"editable": True}}
    assert plugin.default_pip_requirement() == f"tahoe-registration-plugin=={__version__}"
    monkeypatch.setattr(importlib.metadata, "distribution", lambda name: (_ for _ in ()).throw(
        importlib.metadata.PackageNotFoundError(name)))
    assert plugin.default_pip_requirement() == f"tahoe-registration-plugin=={__version__}"


@pytest.mark.parametrize("settings_file", ["lms/production.py", "lms/development.py"])
def test_the_lms_settings_come_from_tutors_configuration(tutor_root, settings_file):
    tutor_root("config", "save", "--set", "TAHOE_REGISTRATION_RATE=10/minute",
               "--set", "TAHOE_REGISTRATION_V1_SUNSET_DATE=2027-06-30")

    settings = rendered(tutor_root, f"apps/openedx/settings/{settings_file}")
    assert (
        "# Tahoe Registration API (tutor-contrib-tahoe-registration)\n"
        'TAHOE_REGISTRATION_RATE = "10/minute"\n'
        'TAHOE_REGISTRATION_V1_DEPRECATION_DATE = "2021-07-01T00:00:00+00:00"\n'
        'TAHOE_REGISTRATION_V1_SUNSET_DATE = "2027-06-30"\n'
        "TAHOE_REGISTRATION_V1_SUCCESSOR_PATH = None\n"
    ) in settings
    compile(settings, settings_file, "exec")  # the whole file is still Python


def test_the_expired_idempotency_records_are_purged_on_a_schedule(tutor_root):
    tutor_root("config", "save", "--set", "TAHOE_REGISTRATION_PURGE_SCHEDULE=5 4 * * *")

    compose = yaml.safe_load(rendered(tutor_root, "local/docker-compose.yml"))
    purge = compose["services"]["tahoe-registration-purge"]
    assert purge["image"] == compose["services"]["lms"]["image"]
    assert purge["command"] == ["sh", "-c", "while true; do ./manage.py lms tahoe_purge_idempotency_records; "
                                            "sleep 86400; done"]
    assert purge["environment"]["DJANGO_SETTINGS_MODULE"] == "lms.envs.tutor.production"
    # Mounted as Tutor mounts the LMS's settings: read-only, relabelled for SELinux.
    settings_mounts = [volume for volume in compose["services"]["lms"]["volumes"] if "/apps/openedx/" in volume
                       and not volume.endswith("uwsgi.ini:roz")]
    assert all(volume.endswith(":roz") for volume in settings_mounts)
    assert purge["volumes"] == settings_mounts
    cronjobs = [document for document in yaml.safe_load_all(rendered(tutor_root, "k8s/deployments.yml"))
                if document and document["kind"] == "CronJob"]
    assert [cronjob["metadata"]["name"] for cronjob in cronjobs] == ["tahoe-registration-purge"]
    assert cronjobs[0]["spec"]["schedule"] == "5 4 * * *"
    container = cronjobs[0]["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    assert container["args"] == ["sh", "-c", "./manage.py lms tahoe_purge_idempotency_records"]


def test_tutor_dev_does_not_start_the_purge_service(tutor_root):
    tutor_root("config", "save")

    local = yaml.safe_load(rendered(tutor_root, "local/docker-compose.yml"))["services"]["tahoe-registration-purge"]
    dev = yaml.safe_load(rendered(tutor_root, "dev/docker-compose.yml"))["services"]["tahoe-registration-purge"]
    assert "profiles" not in local
    # Merged over the local one by tutor dev: in a profile nothing enables, and the development
    # image and settings should someone start it by name.
    assert dev["profiles"] == ["tahoe-registration-purge"]
    assert dev["environment"]["DJANGO_SETTINGS_MODULE"] == "lms.envs.tutor.development"
    assert dev["image"] == yaml.safe_load(rendered(tutor_root, "dev/docker-compose.yml"))["services"]["lms"]["image"]


def test_launch_migrates_the_app_and_do_has_every_operator_command():
    # In a process of its own: the plugin's hooks, as Tutor loads them.
    script = """
from tutor import hooks, plugins
hooks.Actions.CORE_READY.do()  # discovers the installed plugins, as the tutor command does
plugins.load("tahoe-registration")
print(repr(list(hooks.Filters.CLI_DO_INIT_TASKS.iterate())))
commands = {command.name: command for command in hooks.Filters.CLI_DO_COMMANDS.iterate()}
for name, args in [
    ("tahoe-create-api-key", ["--site", "courses.example.com", "--name", "Acme CRM", "--expires-in-days", "30",
                              "--scopes", "register,enroll"]),
    ("tahoe-create-api-key", ["--site", "a.example.com", "--name", "HR", "--description", "it's HR's",
                              "--created-by", "jane"]),
    ("tahoe-list-api-keys", ["--site", "courses.example.com"]),
    ("tahoe-list-api-keys", []),
    ("tahoe-revoke-api-key", ["ab12cd34"]),
    ("tahoe-revoke-api-key", ["--id", "7"]),
    ("tahoe-rotate-api-key", ["ab12cd34", "--grace-days", "2"]),
    ("tahoe-site-admins", ["grant", "--user", "jane", "--site", "a.example.com"]),
    ("tahoe-site-admins", ["list"]),
    ("tahoe-export-registration-records", ["--site", "a.example.com", "--since", "2026-01-01"]),
    ("tahoe-export-registration-records", ["--output", "records.csv"]),
    ("tahoe-purge-idempotency-records", []),
]:
    context = commands[name].make_context(name, args)
    print(list(commands[name].callback(**context.params)))
"""
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            timeout=120).stdout.splitlines()

    assert "('lms', './manage.py lms migrate tahoe_registration_plugin')" in output[0]
    assert [ast.literal_eval(line)[0][1] for line in output[1:]] == [
        "./manage.py lms tahoe_create_api_key --site courses.example.com --name 'Acme CRM' --expires-in-days 30 "
        "--scopes register,enroll",
        "./manage.py lms tahoe_create_api_key --site a.example.com --name HR --description 'it'\"'\"'s HR'\"'\"'s' "
        "--created-by jane",
        "./manage.py lms tahoe_list_api_keys --site courses.example.com",
        "./manage.py lms tahoe_list_api_keys",
        "./manage.py lms tahoe_revoke_api_key ab12cd34",
        "./manage.py lms tahoe_revoke_api_key --id 7",
        "./manage.py lms tahoe_rotate_api_key ab12cd34 --grace-days 2.0",
        "./manage.py lms tahoe_site_admins grant --user jane --site a.example.com",
        "./manage.py lms tahoe_site_admins list",
        "./manage.py lms tahoe_export_registration_records --site a.example.com --since 2026-01-01",
        "./manage.py lms tahoe_export_registration_records > /openedx/data/records.csv",
        "./manage.py lms tahoe_purge_idempotency_records",
    ]


def test_the_plugin_declares_the_package_version_it_installs():
    assert plugin.VERSION == __version__
