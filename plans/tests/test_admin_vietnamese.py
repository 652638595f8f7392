"""The admin's import and export pages speak Vietnamese like the rest of the admin."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

MESSAGES = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES"


def test_import_page_is_in_vietnamese(client_for, economic_officer):
    page = client_for(economic_officer).get("/admin/targets/target/import/").content.decode()
    assert "Tệp cần nhập" in page and "Các cột sẽ được nhập" in page
    assert "File to import" not in page


def test_the_compiled_translations_match_the_po_file():
    po = (MESSAGES / "django.po").read_text(encoding="utf-8")
    ids = set()
    for block in re.findall(r'^msgid ((?:".*"\n)+)', po, flags=re.MULTILINE):
        text = "".join(re.findall(r'"(.*)"', block))
        if text:
            ids.add(text.replace('\\"', '"'))
    with open(MESSAGES / "django.mo", "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    compiled_ids = {key[0] if isinstance(key, tuple) else key for key in catalog} - {""}
    assert compiled_ids == ids
