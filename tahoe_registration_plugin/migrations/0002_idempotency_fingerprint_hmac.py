"""
Idempotency-Key records kept a bare SHA-256 of the request body, password included: whoever read
the database could test password guesses against it offline. They are deleted (a retry of a
registration made before the upgrade is answered 409 instead of being replayed); new records keep
an HMAC keyed with SECRET_KEY.
"""
from django.db import migrations, models


def forget_bare_fingerprints(apps, schema_editor):  # pylint: disable=unused-argument
    apps.get_model("tahoe_registration_plugin", "IdempotencyRecord").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('tahoe_registration_plugin', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='idempotencyrecord',
            name='fingerprint',
            field=models.CharField(help_text='HMAC-SHA256 of the request body, keyed with SECRET_KEY.', max_length=64),
        ),
        migrations.RunPython(forget_bare_fingerprints, migrations.RunPython.noop),
    ]
