"""
When the admin's "key created" page showed a new key's secret: one conditional UPDATE of this
column decides which of several simultaneous loads of the page shows it (the secret itself is not
stored). Existing keys keep it empty: their seeds, if any wait in a session still, are shown once.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tahoe_registration_plugin', '0004_admin_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='apikey',
            name='secret_shown_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
