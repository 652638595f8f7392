"""How pages reach a browser on a slow link: compressed, with an icon, BREACH kept at bay."""

import gzip
import re
import shutil

import pytest
from django.conf import settings
from whitenoise.compress import Compressor

pytestmark = pytest.mark.django_db


def test_the_favicon_is_served_at_the_root_without_logging_in(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_pages_are_gzipped_for_browsers_that_accept_it(client_for, economic_officer):
    client = client_for(economic_officer)
    plain = client.get("/reports/2023/")
    packed = client.get("/reports/2023/", headers={"accept-encoding": "gzip, br"})
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content)
    assert b"</html>" in html
    assert len(packed.content) < len(plain.content) / 3


def test_compression_keeps_djangos_breach_defences(client_for, economic_officer):
    """The CSRF token is masked afresh in every page, and gzip pads each body by a random
    length, so two identical pages never compress to the same secret-bearing bytes."""
    client = client_for(economic_officer)
    answers = [client.get("/reports/2023/", headers={"accept-encoding": "gzip"}) for _ in range(4)]
    tokens = {
        re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', gzip.decompress(a.content))[1]
        for a in answers
    }
    assert len(tokens) == 4
    assert len({len(a.content) for a in answers}) > 1


def test_files_already_compressed_are_sent_as_they_are(client_for, economic_officer):
    response = client_for(economic_officer).get(
        "/dashboard/2023/export.xlsx", headers={"accept-encoding": "gzip"}
    )
    assert response.status_code == 200
    assert "Content-Encoding" not in response


def test_static_files_are_stored_with_brotli_and_gzip_copies(tmp_path):
    css = tmp_path / "site.css"
    shutil.copy(settings.BASE_DIR / "plans/static/laichau_agri/site.css", css)
    css.write_text(css.read_text() * 20)  # long enough to be worth compressing
    written = list(Compressor(quiet=True).compress(str(css)))
    assert sorted(path.rsplit(".", 1)[1] for path in written) == ["br", "gz"]
    production = "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert production in (settings.BASE_DIR / "laichau_agri/settings.py").read_text()
