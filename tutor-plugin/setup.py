"""tutor-contrib-tahoe-registration: the Tutor plugin that installs and operates tahoe-registration-plugin."""
from setuptools import setup

setup(
    name="tutor-contrib-tahoe-registration",
    version="0.1.0",
    description="Tutor plugin: the Tahoe Registration API in the LMS, with its settings, migrations and key commands.",
    license="AGPL-3.0-or-later",
    url="https://github.com/tahoe-registration/tahoe-registration-plugin/tree/main/tutor-plugin",
    packages=["tutor_tahoe_registration"],
    package_dir={"": "."},
    python_requires=">=3.11",
    install_requires=["tutor>=22,<23"],
    entry_points={"tutor.plugin.v1": ["tahoe-registration = tutor_tahoe_registration.plugin"]},
)
