"""Package metadata for tahoe-registration-plugin."""
import os
import re

from setuptools import find_namespace_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))


def read(*parts):
    with open(os.path.join(HERE, *parts), encoding="utf-8") as handle:
        return handle.read()


def load_requirements(path, constraints_path="requirements/constraints.txt"):
    """
    The requirement lines of a requirements/*.in file, without comments and includes, each with
    the limits constraints.txt sets for its package (so that pip honours them outside this checkout).
    """
    def lines(file_path):
        stripped = (line.split("#", 1)[0].strip() for line in read(file_path).splitlines())
        return [line for line in stripped if line and not line.startswith(("-r", "-c"))]

    def name_of(requirement):
        return re.match(r"[A-Za-z0-9._-]+", requirement).group(0).lower().replace("_", "-")

    limits = {name_of(line): line[len(name_of(line)):] for line in lines(constraints_path)}
    requirements = []
    for line in lines(path):
        limit = limits.get(name_of(line))
        if limit:
            line = f"{line},{limit}" if line[len(name_of(line)):] else f"{line}{limit}"
        requirements.append(line)
    return requirements


VERSION = re.search(r'^__version__ = "([^"]+)"', read("tahoe_registration_plugin", "__init__.py"), re.M).group(1)

setup(
    name="tahoe-registration-plugin",
    version=VERSION,
    description="Open edX plugin serving the Tahoe Registration API: register learners from another system.",
    # The README alone: CHANGELOG.rst is reStructuredText, which a markdown description cannot hold.
    long_description=read("README.md"),
    long_description_content_type="text/markdown",
    # The repository's address is where the project expects to be published (not yet confirmed).
    url="https://github.com/tahoe-registration/tahoe-registration-plugin",
    project_urls={
        "Source": "https://github.com/tahoe-registration/tahoe-registration-plugin",
        "Issues": "https://github.com/tahoe-registration/tahoe-registration-plugin/issues",
        "Changelog": "https://github.com/tahoe-registration/tahoe-registration-plugin/blob/main/CHANGELOG.rst",
        "Documentation": "https://github.com/tahoe-registration/tahoe-registration-plugin/blob/main/docs/installing.md",
    },
    license="AGPL-3.0-or-later",
    license_files=["LICENSE"],
    # Namespace packages: the template and static folders are package data of their own, found like the code.
    packages=find_namespace_packages(include=["tahoe_registration_plugin", "tahoe_registration_plugin.*"]),
    # A flat layout, said so: an editable install is then a plain path entry, without setuptools' notice.
    package_dir={"": "."},
    include_package_data=True,
    package_data={"": ["*.html", "*.css", "*.txt", "*.po", "*.mo"]},
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
