"""The plugin's ``settings_config`` modules, applied by edx-django-utils' ``add_plugins``."""
