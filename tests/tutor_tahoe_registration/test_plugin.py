"""
The Tutor plugin, with the real ``tutor`` package: enabled in a temporary Tutor root, ``config
save`` renders the LMS image, settings, purge service and purge CronJob expected (no Docker needed).
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tahoe_registration_plugin import __version__

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


def test_enabling_installs_the_released_package_in_the_lms_image(tutor_root):
    tutor_root("config", "save")

    assert (
        "# Tahoe Registration API (tutor-contrib-tahoe-registration)\n"
        "RUN --mount=type=cache,target=/openedx/.cache/pip,sharing=shared \\\n"
        f"    pip install 'tahoe-registration-plugin=={__version__}'\n"
    ) in rendered(tutor_root, "build/openedx/Dockerfile")


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
    cronjobs = [document for document in yaml.safe_load_all(rendered(tutor_root, "k8s/deployments.yml"))
                if document and document["kind"] == "CronJob"]
    assert [cronjob["metadata"]["name"] for cronjob in cronjobs] == ["tahoe-registration-purge"]
    assert cronjobs[0]["spec"]["schedule"] == "5 4 * * *"
    container = cronjobs[0]["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    assert container["args"] == ["sh", "-c", "./manage.py lms tahoe_purge_idempotency_records"]


def test_launch_migrates_the_app_and_do_has_the_key_commands():
    # In a process of its own: the plugin's hooks, as Tutor loads them.
    script = """
from tutor import hooks, plugins
hooks.Actions.CORE_READY.do()  # discovers the installed plugins, as the tutor command does
plugins.load("tahoe-registration")
print(repr(list(hooks.Filters.CLI_DO_INIT_TASKS.iterate())))
commands = {command.name: command for command in hooks.Filters.CLI_DO_COMMANDS.iterate()}
for name, args in [
    ("tahoe-create-api-key", ["--site", "courses.example.com", "--name", "Acme CRM", "--expires-in-days", "30"]),
    ("tahoe-list-api-keys", ["--site", "courses.example.com"]),
    ("tahoe-revoke-api-key", ["ab12cd34"]),
]:
    context = commands[name].make_context(name, args)
    print(list(commands[name].callback(**context.params)))
"""
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            timeout=120).stdout.splitlines()

    assert "('lms', './manage.py lms migrate tahoe_registration_plugin')" in output[0]
    assert output[1:] == [
        "[('lms', \"./manage.py lms tahoe_create_api_key --site courses.example.com --name 'Acme CRM' "
        "--expires-in-days 30\")]",
        "[('lms', './manage.py lms tahoe_list_api_keys --site courses.example.com')]",
        "[('lms', './manage.py lms tahoe_revoke_api_key ab12cd34')]",
    ]


def test_the_plugin_declares_the_package_version_it_installs():
    plugin = Path(__file__).resolve().parents[2] / "tutor-plugin" / "tutor_tahoe_registration" / "plugin.py"
    assert f'"tahoe-registration-plugin=={__version__}"' in plugin.read_text(encoding="utf-8")
