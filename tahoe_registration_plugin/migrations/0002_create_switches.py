"""Create the operator's waffle switches, off, so they appear in the admin."""
from django.db import migrations

SWITCHES = {
    "tahoe_registration.api_disabled": "Tahoe Registration API: answer 503 on every version.",
    "tahoe_registration.v1_disabled": "Tahoe Registration API: answer 410 Gone on v1 (after its sunset).",
}


def create_switches(apps, schema_editor):
    switch_model = apps.get_model("waffle", "Switch")
    for name, note in SWITCHES.items():
        switch_model.objects.get_or_create(name=name, defaults={"active": False, "note": note})


def delete_switches(apps, schema_editor):
    apps.get_model("waffle", "Switch").objects.filter(name__in=SWITCHES).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("tahoe_registration_plugin", "0001_initial"),
        ("waffle", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_switches, delete_switches)]
