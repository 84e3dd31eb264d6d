"""
``tutor plugins enable tahoe-registration``: the Tahoe Registration API in the LMS image, its
settings from Tutor's configuration, its migrations at launch, a daily purge of expired
Idempotency-Key records, and ``tutor local|k8s do`` commands to create, list and revoke keys.
"""
import shlex

import click
from tutor import hooks

# Tutor configuration, each settable with ``tutor config save --set NAME=value``. The Django
# settings of the same names are rendered from them (see the settings patch below).
CONFIG_DEFAULTS = {
    # What pip installs in the LMS image: a version from the index, or a git URL.
    "TAHOE_REGISTRATION_PIP_REQUIREMENT": "tahoe-registration-plugin==0.1.0",
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

DOCKERFILE_PATCH = """# Tahoe Registration API (tutor-contrib-tahoe-registration)
RUN --mount=type=cache,target=/openedx/.cache/pip,sharing=shared \\
    pip install '{{ TAHOE_REGISTRATION_PIP_REQUIREMENT }}'"""

LOCAL_PURGE_SERVICE = """# Deletes the expired Idempotency-Key records (tutor-contrib-tahoe-registration).
tahoe-registration-purge:
  image: {{ DOCKER_IMAGE_OPENEDX }}
  environment:
    SERVICE_VARIANT: lms
    DJANGO_SETTINGS_MODULE: lms.envs.tutor.production
  command: ["sh", "-c", "while true; do %s; sleep {{ TAHOE_REGISTRATION_PURGE_INTERVAL_SECONDS }}; done"]
  restart: unless-stopped
  volumes:
    - ../apps/openedx/settings/lms:/openedx/edx-platform/lms/envs/tutor:ro
    - ../apps/openedx/settings/cms:/openedx/edx-platform/cms/envs/tutor:ro
    - ../apps/openedx/config:/openedx/config:ro
  depends_on:
    - lms""" % PURGE

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
    ("k8s-deployments", K8S_PURGE_CRONJOB),
])
# The LMS's own init migrates every app; this one also runs with ``do init --limit=tahoe-registration``.
hooks.Filters.CLI_DO_INIT_TASKS.add_item(("lms", f"{MANAGE} migrate tahoe_registration_plugin"))


def command(*words):
    """A manage.py command line, each word quoted for the shell."""
    return " ".join([MANAGE, *(shlex.quote(str(word)) for word in words)])


@click.command(name="tahoe-create-api-key", help="Create a site's API key; its secret is printed once.")
@click.option("--site", required=True, help="The site's domain, e.g. courses.example.com.")
@click.option("--name", required=True, help="Who holds the key, e.g. 'Acme CRM'.")
@click.option("--expires-in-days", type=int, help="Make the key expire after this many days.")
def create_api_key(site, name, expires_in_days):
    words = ["tahoe_create_api_key", "--site", site, "--name", name]
    if expires_in_days is not None:
        words += ["--expires-in-days", expires_in_days]
    yield ("lms", command(*words))


@click.command(name="tahoe-list-api-keys", help="List API keys (never their secrets).")
@click.option("--site", help="Only the keys of the site with this domain.")
def list_api_keys(site):
    yield ("lms", command("tahoe_list_api_keys", *(["--site", site] if site else [])))


@click.command(name="tahoe-revoke-api-key", help="Revoke an API key, by its prefix (or --id).")
@click.argument("prefix", required=False)
@click.option("--id", "key_id", type=int, help="The key's id, from tahoe-list-api-keys.")
def revoke_api_key(prefix, key_id):
    if (prefix is None) == (key_id is None):
        raise click.UsageError("Give the key's prefix, or --id.")
    yield ("lms", command("tahoe_revoke_api_key", *([prefix] if prefix else ["--id", key_id])))


hooks.Filters.CLI_DO_COMMANDS.add_items([create_api_key, list_api_keys, revoke_api_key])
