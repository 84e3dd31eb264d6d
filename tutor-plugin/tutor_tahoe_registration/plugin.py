"""
``tutor plugins enable tahoe-registration``: the Tahoe Registration API in the LMS image (from a
mounted checkout, a VCS or wheel URL, or an index), its settings from Tutor's configuration, its
migrations at launch, a daily purge of expired Idempotency-Key records, and ``tutor local|dev|k8s
do`` commands for every operator task (keys, site administrators, the records' export, the purge).
"""
import importlib.metadata
import json
import re
import shlex

import click
from tutor import hooks

PACKAGE = "tahoe-registration-plugin"
VERSION = "0.1.0"
# A checkout of the plugin in a directory of this name, added with ``tutor mounts add``, is
# installed in the LMS image (editable, by Tutor itself) and bind-mounted in its containers.
MOUNTED_DIRECTORY = PACKAGE


def default_pip_requirement(distribution_name="tutor-contrib-tahoe-registration"):
    """
    What the LMS image installs unless ``TAHOE_REGISTRATION_PIP_REQUIREMENT`` says otherwise: the
    commit this Tutor plugin was itself installed from when it came from a git repository (pip
    records it, PEP 610), so the default is reachable wherever the Tutor plugin was; else this
    release from the package index.
    """
    try:
        direct_url = json.loads(importlib.metadata.distribution(distribution_name).read_text("direct_url.json") or "{}")
    except (importlib.metadata.PackageNotFoundError, ValueError):
        direct_url = {}
    vcs_info = direct_url.get("vcs_info") or {}
    if vcs_info.get("vcs") == "git" and vcs_info.get("commit_id") and direct_url.get("url"):
        return f"{PACKAGE} @ git+{direct_url['url']}@{vcs_info['commit_id']}"
    return f"{PACKAGE}=={VERSION}"


# Tutor configuration, each settable with ``tutor config save --set NAME=value``. The Django
# settings of the same names are rendered from them (see the settings patch below).
CONFIG_DEFAULTS = {
    # What pip installs in the LMS image: a version from an index, a VCS URL
    # (``tahoe-registration-plugin @ git+https://…@v0.1.0``) or a wheel's URL. Ignored when a
    # checkout is mounted (``tutor mounts add /path/to/tahoe-registration-plugin``).
    "TAHOE_REGISTRATION_PIP_REQUIREMENT": default_pip_requirement(),
    "TAHOE_REGISTRATION_RATE": "60/minute",
    "TAHOE_REGISTRATION_V1_DEPRECATION_DATE": "2021-07-01T00:00:00+00:00",
    "TAHOE_REGISTRATION_V1_SUNSET_DATE": None,
    "TAHOE_REGISTRATION_V1_SUCCESSOR_PATH": None,
    # How often the expired Idempotency-Key records are deleted: a cron schedule on Kubernetes,
    # an interval in seconds in the local deployment's purge service.
    "TAHOE_REGISTRATION_PURGE_SCHEDULE": "17 3 * * *",
    "TAHOE_REGISTRATION_PURGE_INTERVAL_SECONDS": 86400,
}
SETTINGS_RENDERED = (
    "TAHOE_REGISTRATION_RATE", "TAHOE_REGISTRATION_V1_DEPRECATION_DATE",
    "TAHOE_REGISTRATION_V1_SUNSET_DATE", "TAHOE_REGISTRATION_V1_SUCCESSOR_PATH",
)
MANAGE = "./manage.py lms"
PURGE = f"{MANAGE} tahoe_purge_idempotency_records"

# Each setting as a Python literal: the quoted value, or None where it is unset.
SETTINGS_PATCH = "# Tahoe Registration API (tutor-contrib-tahoe-registration)\n" + "\n".join(
    f'{name} = {{% if {name} %}}"{{{{ {name} }}}}"{{% else %}}None{{% endif %}}' for name in SETTINGS_RENDERED
)

# With Tutor's own pip command (uv's, unless the build sets PIP_COMMAND) and its build constraints
# (the setuptools that builds a VCS checkout or an sdist). A mounted checkout is installed by
# Tutor's own Dockerfile instead (``pip install -e /mnt/tahoe-registration-plugin``).
DOCKERFILE_PATCH = """{%% if "%s" not in iter_mounted_directories(MOUNTS, "openedx") %%}
# Tahoe Registration API (tutor-contrib-tahoe-registration)
RUN --mount=type=cache,target=/openedx/.cache/pip,sharing=shared \\
    $PIP_COMMAND install -c /etc/openedx-build-constraints.txt '{{ TAHOE_REGISTRATION_PIP_REQUIREMENT }}'
{%% endif %%}""" % MOUNTED_DIRECTORY

# Mounted as Tutor mounts the LMS's own settings (``:roz``), with the user's mounts of the LMS.
LOCAL_PURGE_SERVICE = """# Deletes the expired Idempotency-Key records (tutor-contrib-tahoe-registration).
tahoe-registration-purge:
  image: {{ DOCKER_IMAGE_OPENEDX }}
  environment:
    SERVICE_VARIANT: lms
    DJANGO_SETTINGS_MODULE: lms.envs.tutor.production
  command: ["sh", "-c", "while true; do %s; sleep {{ TAHOE_REGISTRATION_PURGE_INTERVAL_SECONDS }}; done"]
  restart: unless-stopped
  volumes:
    - ../apps/openedx/settings/lms:/openedx/edx-platform/lms/envs/tutor:roz
    - ../apps/openedx/settings/cms:/openedx/edx-platform/cms/envs/tutor:roz
    - ../apps/openedx/config:/openedx/config:roz
    {%%- for mount in iter_mounts(MOUNTS, "openedx", "lms") %%}
    - {{ mount }}:z
    {%%- endfor %%}
  depends_on:
    - lms""" % PURGE

# ``tutor dev`` reads the local services too: there the purge service does not start (a developer
# runs ``tutor dev do tahoe-purge-idempotency-records``), and if started by name it runs as the
# development LMS does.
DEV_PURGE_SERVICE = """# The purge service is not started by tutor dev (tutor-contrib-tahoe-registration).
tahoe-registration-purge:
  image: {{ DOCKER_IMAGE_OPENEDX_DEV }}
  environment:
    DJANGO_SETTINGS_MODULE: lms.envs.tutor.development
  profiles: ["tahoe-registration-purge"]"""
K8S_PURGE_CRONJOB = """---
# Deletes the expired Idempotency-Key records (tutor-contrib-tahoe-registration).
apiVersion: batch/v1
kind: CronJob
metadata:
  name: tahoe-registration-purge
  labels:
    app.kubernetes.io/name: tahoe-registration-purge
spec:
  schedule: "{{ TAHOE_REGISTRATION_PURGE_SCHEDULE }}"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          securityContext:
            runAsUser: 1000
            runAsGroup: 1000
          containers:
            - name: tahoe-registration-purge
              image: {{ DOCKER_IMAGE_OPENEDX }}
              args: ["sh", "-c", "%s"]
              env:
                - name: SERVICE_VARIANT
                  value: lms
                - name: DJANGO_SETTINGS_MODULE
                  value: lms.envs.tutor.production
              volumeMounts:
                - mountPath: /openedx/edx-platform/lms/envs/tutor/
                  name: settings-lms
                - mountPath: /openedx/edx-platform/cms/envs/tutor/
                  name: settings-cms
                - mountPath: /openedx/config
                  name: config
          volumes:
            - name: settings-lms
              configMap:
                name: openedx-settings-lms
            - name: settings-cms
              configMap:
                name: openedx-settings-cms
            - name: config
              configMap:
                name: openedx-config""" % PURGE

hooks.Filters.CONFIG_DEFAULTS.add_items(list(CONFIG_DEFAULTS.items()))
hooks.Filters.ENV_PATCHES.add_items([
    ("openedx-dockerfile-post-python-requirements", DOCKERFILE_PATCH),
    ("openedx-lms-common-settings", SETTINGS_PATCH),
    ("local-docker-compose-services", LOCAL_PURGE_SERVICE),
    ("local-docker-compose-dev-services", DEV_PURGE_SERVICE),
    ("k8s-deployments", K8S_PURGE_CRONJOB),
])
# ``tutor mounts add /path/to/tahoe-registration-plugin``: installed in the openedx image (and,
# through Tutor, in openedx-dev), bind-mounted at /mnt/tahoe-registration-plugin in the containers.
hooks.Filters.MOUNTED_DIRECTORIES.add_item(("openedx", f"^{re.escape(MOUNTED_DIRECTORY)}$"))
# The LMS's own init migrates every app; this one also runs with ``do init --limit=tahoe-registration``.
hooks.Filters.CLI_DO_INIT_TASKS.add_item(("lms", f"{MANAGE} migrate tahoe_registration_plugin"))


def command(*words):
    """A manage.py command line, each word quoted for the shell."""
    return " ".join([MANAGE, *(shlex.quote(str(word)) for word in words)])


def options(**values):
    """``--name value`` for each value given (``--name`` alone for True), in order."""
    words = []
    for name, value in values.items():
        if value is None or value is False:
            continue
        words.append("--" + name.replace("_", "-"))
        if value is not True:
            words.append(value)
    return words


@click.command(name="tahoe-create-api-key", help="Create a site's API key; its secret is printed once.")
@click.option("--site", required=True, help="The site's domain, e.g. courses.example.com.")
@click.option("--name", required=True, help="Who holds the key, e.g. 'Acme CRM'.")
@click.option("--description", help="What the key is for.")
@click.option("--expires-in-days", type=int, help="Make the key expire after this many days.")
@click.option("--created-by", help="Username recorded as the key's creator.")
@click.option("--scopes", help="What the key may do, comma-separated: register, enroll, read (default: register).")
def create_api_key(site, name, description, expires_in_days, created_by, scopes):
    yield ("lms", command("tahoe_create_api_key", "--site", site, "--name", name, *options(
        description=description, expires_in_days=expires_in_days, created_by=created_by, scopes=scopes)))


@click.command(name="tahoe-list-api-keys", help="List API keys (never their secrets).")
@click.option("--site", help="Only the keys of the site with this domain.")
def list_api_keys(site):
    yield ("lms", command("tahoe_list_api_keys", *options(site=site)))


@click.command(name="tahoe-revoke-api-key", help="Revoke an API key, by its prefix (or --id).")
@click.argument("prefix", required=False)
@click.option("--id", "key_id", type=int, help="The key's id, from tahoe-list-api-keys.")
def revoke_api_key(prefix, key_id):
    if (prefix is None) == (key_id is None):
        raise click.UsageError("Give the key's prefix, or --id.")
    yield ("lms", command("tahoe_revoke_api_key", *([prefix] if prefix else ["--id", key_id])))


@click.command(name="tahoe-rotate-api-key",
               help="Create a key's replacement (its secret printed once); the old key works a few more days.")
@click.argument("prefix")
@click.option("--grace-days", type=float, help="Days the old key keeps working (default 7).")
def rotate_api_key(prefix, grace_days):
    yield ("lms", command("tahoe_rotate_api_key", prefix, *options(grace_days=grace_days)))


@click.command(name="tahoe-site-admins", help="Grant or revoke a user's administration of a site's keys, or list.")
@click.argument("action", type=click.Choice(["grant", "revoke", "list"]))
@click.option("--user", help="The username (grant, revoke; filters list).")
@click.option("--site", help="The site's domain (grant, revoke; filters list).")
def site_admins(action, user, site):
    yield ("lms", command("tahoe_site_admins", action, *options(user=user, site=site)))


@click.command(name="tahoe-export-registration-records",
               help="Export the registration records as CSV: printed, or written to the LMS job's data folder.")
@click.option("--site", help="Only this site's records (its domain).")
@click.option("--since", help="Only records created on or after this date (YYYY-MM-DD).")
@click.option("--output", help="A file name: the CSV goes to /openedx/data/NAME in the job's container "
                               "(with tutor local: $(tutor config printroot)/data/lms-job/NAME).")
def export_registration_records(site, since, output):
    if output is not None and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", output):
        raise click.BadParameter("a file name, without a folder", param_hint="--output")
    line = command("tahoe_export_registration_records", *options(site=site, since=since))
    yield ("lms", f"{line} > {shlex.quote('/openedx/data/' + output)}" if output else line)


@click.command(name="tahoe-purge-idempotency-records", help="Delete the expired Idempotency-Key records now.")
def purge_idempotency_records():
    yield ("lms", PURGE)


hooks.Filters.CLI_DO_COMMANDS.add_items([
    create_api_key, list_api_keys, revoke_api_key, rotate_api_key, site_admins, export_registration_records,
    purge_idempotency_records,
])
