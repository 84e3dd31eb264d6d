"""
The standalone platform's tables, with unique, case-insensitive indexes on ``auth_user``'s username
and email, as the LMS has them.

The LMS adds a unique index on ``auth_user.email`` (student migration 0011) and runs MySQL with
case-insensitive collations, so its database refuses a second account with the same username or
email in any case. The standalone project gets the same guarantee, and indexes its
case-insensitive lookups (``backends.base.taken_fields``) can use.
"""
import django.db.models.deletion
import django.utils.timezone
import opaque_keys.edx.django.models
import tahoe_registration_plugin.standalone.models
from django.conf import settings
from django.db import migrations, models


INDEXES = {"tahoe_standalone_user_username_ci": "username", "tahoe_standalone_user_email_ci": "email"}


def create_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for name, column in INDEXES.items():
        if schema_editor.connection.vendor == "mysql":
            if column == "username":
                continue  # already unique, and compared case-insensitively by the collation
            expression = quote(column)
        else:
            expression = f"LOWER({quote(column)})"
        schema_editor.execute(f"CREATE UNIQUE INDEX {quote(name)} ON {quote('auth_user')} ({expression})")


def drop_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for name, column in INDEXES.items():
        if schema_editor.connection.vendor == "mysql":
            if column != "username":
                schema_editor.execute(f"DROP INDEX {quote(name)} ON {quote('auth_user')}")
        else:
            schema_editor.execute(f"DROP INDEX {quote(name)}")


class Migration(migrations.Migration):

    # MySQL cannot run DDL inside a transaction.
    atomic = False

    initial = True

    dependencies = [
        # The standalone project's users are auth.User, whose table the indexes are on.
        ('auth', '0012_alter_user_first_name_max_length'),
        ('sites', '0002_alter_domain_unique'),
    ]

    operations = [
        migrations.CreateModel(
            name='Course',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_id', opaque_keys.edx.django.models.CourseKeyField(max_length=255, unique=True)),
                ('display_name', models.CharField(blank=True, max_length=255)),
                ('modes', models.JSONField(blank=True, default=list)),
            ],
        ),
        migrations.CreateModel(
            name='Profile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(db_index=True, max_length=255)),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='profile', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='Registration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('activation_key', models.CharField(default=tahoe_registration_plugin.standalone.models._new_activation_key, max_length=32, unique=True)),
                ('activation_timestamp', models.DateTimeField(blank=True, null=True)),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='registration', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='SiteConfiguration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('enabled', models.BooleanField(default=False)),
                ('site_values', models.JSONField(blank=True, default=dict)),
                ('site', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='configuration', to='sites.site')),
            ],
        ),
        migrations.CreateModel(
            name='CourseEnrollment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course_id', opaque_keys.edx.django.models.CourseKeyField(db_index=True, max_length=255)),
                ('mode', models.CharField(max_length=100)),
                ('is_active', models.BooleanField(default=True)),
                ('created', models.DateTimeField(default=django.utils.timezone.now)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('user', 'course_id'), name='tahoe_standalone_one_enrollment')],
            },
        ),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
