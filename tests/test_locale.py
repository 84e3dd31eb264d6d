"""The committed catalogs are the code's: every message marked for translation is in them, compiled."""
import ast
import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.live import PROJECT

LOCALE = PROJECT / "tahoe_registration_plugin" / "locale"


def msgids(po_file):
    """The messages of a .po file (the header's empty msgid left out)."""
    text = Path(po_file).read_text(encoding="utf-8")
    ids = re.findall(r'^msgid ((?:".*"\n)+)', text + "\n", flags=re.M)
    return {ast.literal_eval('"' + "".join(re.findall(r'"(.*)"', block)) + '"') for block in ids} - {""}


def test_the_english_catalog_holds_every_marked_message(tmp_path):
    copy = tmp_path / "tahoe_registration_plugin"
    shutil.copytree(PROJECT / "tahoe_registration_plugin", copy, ignore=shutil.ignore_patterns("__pycache__"))
    django_admin = Path(sys.executable).parent / "django-admin"
    subprocess.run(
        [str(django_admin), "makemessages", "-l", "en", "--ignore", "standalone/*", "--no-location", "-v", "0"],
        cwd=copy, check=True, env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "test_settings",
                                   "PYTHONPATH": str(PROJECT)},
    )

    extracted = msgids(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert extracted == msgids(LOCALE / "en" / "LC_MESSAGES" / "django.po"), "run make extract_translations"
    assert extracted == msgids(LOCALE / "eo" / "LC_MESSAGES" / "django.po"), "run make extract_translations"
    with open(LOCALE / "eo" / "LC_MESSAGES" / "django.mo", "rb") as compiled:
        dummy = gettext.GNUTranslations(compiled)
    assert not [message for message in extracted if dummy.gettext(message) == message], "run make extract_translations"
