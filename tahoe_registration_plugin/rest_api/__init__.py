"""The REST API, one package per version."""

# Where the LMS mounts it (fixed by the Tahoe API); other modules ``reverse`` names instead.
API_ROOT = "tahoe/api/"
