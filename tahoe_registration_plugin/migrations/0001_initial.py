"""
The plugin's tables as released in 0.1.0, and the operator's waffle switches, created off so that
they appear in the admin.
"""
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


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

    initial = True

    dependencies = [
        ('sites', '0002_alter_domain_unique'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('waffle', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(create_switches, delete_switches),
        migrations.CreateModel(
            name='ApiKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='Who holds this key, e.g. the name of the CRM.', max_length=100)),
                ('description', models.TextField(blank=True)),
                ('prefix', models.CharField(editable=False, help_text="The key's first characters.", max_length=8)),
                ('key_hash', models.CharField(editable=False, max_length=64, unique=True)),
                ('is_legacy', models.BooleanField(default=False, editable=False, help_text='Imported Tahoe token.')),
                ('created', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('expires_at', models.DateTimeField(blank=True, help_text='Leave empty for a key that does not expire.', null=True)),
                ('revoked_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('last_used_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('creation_token', models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True)),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('site', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tahoe_registration_api_keys', to='sites.site')),
            ],
            options={
                'verbose_name': 'API key',
                'ordering': ['-created'],
            },
        ),
        migrations.CreateModel(
            name='RegistrationRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('api_version', models.CharField(max_length=8)),
                ('created', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('username_digest', models.CharField(editable=False, max_length=64, null=True, unique=True)),
                ('email_digest', models.CharField(editable=False, max_length=64, null=True, unique=True)),
                ('enrollments', models.JSONField(blank=True, default=list, editable=False)),
                ('api_key', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='registrations', to='tahoe_registration_plugin.apikey')),
                ('site', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='sites.site')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created'],
            },
        ),
        migrations.CreateModel(
            name='IdempotencyRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key_digest', models.CharField(help_text='SHA-256 of the Idempotency-Key.', max_length=64)),
                ('fingerprint', models.CharField(help_text='SHA-256 of the request body.', max_length=64)),
                ('created', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('api_key', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tahoe_registration_plugin.apikey')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('api_key', 'key_digest'), name='tahoe_registration_idempotency_key_digest')],
            },
        ),
        migrations.CreateModel(
            name='SiteAdministrator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('granted_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('granted_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('site', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='sites.site')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tahoe_registration_administered_sites', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('user', 'site'), name='tahoe_registration_one_grant')],
            },
        ),
    ]
