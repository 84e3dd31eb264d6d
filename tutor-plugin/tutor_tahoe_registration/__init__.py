"""The Tutor plugin of tahoe-registration-plugin."""
