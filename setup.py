"""Package metadata for tahoe-registration-plugin."""
import os
import re

from setuptools import find_namespace_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))


def read(*parts):
    with open(os.path.join(HERE, *parts), encoding="utf-8") as handle:
        return handle.read()


def load_requirements(path):
    """Requirement lines of a requirements/*.in file, without comments and includes."""
    lines = (line.split("#", 1)[0].strip() for line in read(path).splitlines())
    return [line for line in lines if line and not line.startswith(("-r", "-c"))]


VERSION = re.search(r'^__version__ = "([^"]+)"', read("tahoe_registration_plugin", "__init__.py"), re.M).group(1)

setup(
    name="tahoe-registration-plugin",
    version=VERSION,
    description="Open edX plugin serving the Tahoe Registration API: register learners from another system.",
    long_description=read("README.md") + "\n\n" + read("CHANGELOG.rst"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    license_files=["LICENSE"],
    # Namespace packages: the template folders are package data of their own, found like the code.
    packages=find_namespace_packages(include=["tahoe_registration_plugin", "tahoe_registration_plugin.*"]),
    # A flat layout, said so: an editable install is then a plain path entry, without setuptools' notice.
    package_dir={"": "."},
    include_package_data=True,
    package_data={"": ["*.html", "*.txt"]},
    python_requires=">=3.11",
    install_requires=load_requirements("requirements/base.in"),
    entry_points={
        "lms.djangoapp": [
            "tahoe_registration_plugin = tahoe_registration_plugin.apps:TahoeRegistrationConfig",
        ],
    },
    zip_safe=False,
    classifiers=[
        "Framework :: Django",
        "Framework :: Django :: 4.2",
        "Framework :: Django :: 5.2",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
    ],
)
