"""The English catalog is complete, faithful to its placeholders, compiled, and up to date.

Every string a developer marks for translation must get its English here, or these tests
fail: run makemessages, translate, compilemessages (see README, "Languages").
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOG = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOG.with_suffix(".mo")
MAKEMESSAGES = [
    "makemessages",
    "-l",
    "en",
    "--ignore=.venv",
    "--ignore=staticfiles",
    "--add-location=file",
    "--no-obsolete",
]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%|\{\{.*?\}\}|</?[a-z]+[^>]*>")


def key(entry):
    return (entry.msgctxt or "", entry.msgid)


def english(entry) -> list[str]:
    """The translation, or each plural form of it."""
    if entry.msgid_plural:
        return [entry.msgstr_plural[form] for form in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def placeholders(text) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def catalog():
    return polib.pofile(str(CATALOG))


def test_the_catalog_header_is_english_and_not_fuzzy(catalog):
    assert catalog.metadata["Language"] == "en"
    assert not catalog.metadata_is_fuzzy


def test_every_string_has_an_english_translation(catalog):
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert untranslated == [], "translate these in locale/en/LC_MESSAGES/django.po"
    assert fuzzy == [], "check these guesses of msgmerge, then remove the fuzzy flag"
    assert len(catalog.translated_entries()) > 400


def test_translations_keep_every_placeholder_and_tag(catalog):
    different = [
        (entry.msgid, text)
        for entry in catalog
        for text in english(entry)
        if placeholders(text) != placeholders(entry.msgid)
    ]
    assert different == []


def test_translations_are_english_not_copies(catalog):
    # Only names that read the same in both languages may be left as they are.
    same = {entry.msgid for entry in catalog if entry.msgid in english(entry)}
    assert same <= {"OCOP"}


def test_the_committed_compiled_catalog_matches_the_source(catalog):
    """bin/run must work without GNU gettext, so the .mo is committed; it must be current."""
    compiled = polib.mofile(str(COMPILED))
    assert {key(e): english(e) for e in compiled if e.msgid} == {
        key(e): english(e) for e in catalog.translated_entries()
    }, "run: python manage.py compilemessages --ignore=.venv"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (bin/test installs it)")
def test_the_catalog_has_every_string_marked_in_the_code(tmp_path, catalog):
    """Regenerate the catalog from a copy of the code: nothing may be added or dropped."""
    copy = tmp_path / "src"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "staticfiles", "__pycache__", "*.sqlite3", "test-results", "*.mo"
        ),
        symlinks=True,
    )
    subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(copy / CATALOG.relative_to(settings.BASE_DIR)))
    in_code = {key(e) for e in fresh}
    in_catalog = {key(e) for e in catalog}
    assert sorted(in_code - in_catalog) == [], "new strings: run makemessages and translate them"
    assert sorted(in_catalog - in_code) == [], "strings no longer in the code: run makemessages"
