"""
Scopes on keys (existing keys keep what they could do: register and enroll), Idempotency-Key
records of enrollments calls, and the enrollments audit trail.
"""

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sites', '0002_alter_domain_unique'),
        ('tahoe_registration_plugin', '0002_idempotency_fingerprint_hmac'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Added with what every existing key could do, then given a new key's default.
        migrations.AddField(
            model_name='apikey',
            name='scopes',
            field=models.CharField(default='register,enroll', max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='apikey',
            name='scopes',
            field=models.CharField(default='register', help_text='What the key may do, comma-separated: register, enroll, read.', max_length=64),
        ),
        migrations.AddField(
            model_name='idempotencyrecord',
            name='enrollment_call',
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name='idempotencyrecord',
            name='user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.CreateModel(
            name='EnrollmentRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('call_id', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                ('learner', models.CharField(help_text='The learner as the caller named them.', max_length=255)),
                ('action', models.CharField(max_length=16)),
                ('course_id', models.CharField(help_text='The course, as the platform stores its id.', max_length=255)),
                ('status', models.CharField(max_length=32)),
                ('mode', models.CharField(blank=True, max_length=100)),
                ('created', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('api_key', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='enrollment_records', to='tahoe_registration_plugin.apikey')),
                ('site', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='sites.site')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'enrollment record',
                'ordering': ['-created', '-pk'],
            },
        ),
    ]
