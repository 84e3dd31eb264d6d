"""
Unique, case-insensitive indexes on ``auth_user``'s username and email, as the LMS has them.

The LMS adds a unique index on ``auth_user.email`` (student migration 0011) and runs MySQL with
case-insensitive collations, so its database refuses a second account with the same username or
email in any case. The standalone project gets the same guarantee, and indexes its
case-insensitive lookups (``backends.base.taken_fields``) can use.
"""
from django.db import migrations

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

    dependencies = [
        ("tahoe_registration_standalone", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
