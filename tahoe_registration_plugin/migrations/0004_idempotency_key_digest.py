"""Idempotency-Keys compared exactly on every database: kept as a SHA-256 digest instead of the text."""
import hashlib

from django.db import migrations, models


def digest_keys(apps, schema_editor):
    records = apps.get_model("tahoe_registration_plugin", "IdempotencyRecord").objects
    for record in records.all().only("pk", "key"):
        records.filter(pk=record.pk).update(key_digest=hashlib.sha256(record.key.encode("utf-8")).hexdigest())


class Migration(migrations.Migration):

    dependencies = [
        ("tahoe_registration_plugin", "0003_registration_identities_and_idempotency"),
    ]

    operations = [
        migrations.AddField(
            model_name="idempotencyrecord",
            name="key_digest",
            field=models.CharField(max_length=64, null=True, help_text="SHA-256 of the Idempotency-Key."),
        ),
        migrations.RunPython(digest_keys, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="idempotencyrecord", name="tahoe_registration_idempotency_key"),
        migrations.RemoveField(model_name="idempotencyrecord", name="key"),
        migrations.AlterField(
            model_name="idempotencyrecord",
            name="key_digest",
            field=models.CharField(max_length=64, help_text="SHA-256 of the Idempotency-Key."),
        ),
        migrations.AddConstraint(
            model_name="idempotencyrecord",
            constraint=models.UniqueConstraint(
                fields=("api_key", "key_digest"), name="tahoe_registration_idempotency_key_digest"
            ),
        ),
    ]
