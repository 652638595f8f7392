"""Text as it is kept and compared, and text as an Office file can hold it.

The same Vietnamese word can arrive in two Unicode forms: composed (NFC, one code point
for "ế") or decomposed (NFD, "e" followed by its marks), which Unikey's "Unicode tổ hợp"
and macOS produce. They look identical but compare unequal, so a status typed in NFD was
refused with a message naming the very same words. Every text that comes in (forms, the
admin, login names, the report's Excel, the admin's Excel import) is made NFC here, once,
before it is compared or stored.

XML 1.0, and so every .xlsx and .docx, cannot hold most control characters, nor U+FFFE
and U+FFFF (which Word's clipboard sometimes brings) nor lone surrogates; lxml refuses
them and the download fails. `xml_safe` is the one place that drops them: the writers
call it through common.downloads, so text stored before this rule existed cannot break a
file either.
"""

import re
import unicodedata

# Vertical tabs and form feeds are line breaks pasted from Word; keep them as line breaks.
_LINE_BREAKS = re.compile("[\x0b\x0c]")
# What XML 1.0 forbids: C0 controls other than tab, line feed and carriage return, lone
# surrogates, and the two non-characters U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value: str) -> str:
    """The text without what an Office file cannot hold; line breaks kept as line breaks."""
    return _NOT_XML.sub("", _LINE_BREAKS.sub("\n", value))


def clean_text(value: str) -> str:
    """Text as it is compared and stored: composed (NFC), without what XML cannot hold."""
    return xml_safe(unicodedata.normalize("NFC", value))
