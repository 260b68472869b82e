"""A saved page's bytes -> its text: gzip (bounded), charset, and refusal of what is not HTML.

Failure policy as in clean.py: DigestError(Problem(...)) without a path; the caller adds it.
"""

from __future__ import annotations

import codecs
import re
import zlib

from ..errors import DigestError, Problem
from ..text import clean_text

MAX_UNCOMPRESSED = 64 * 1024 * 1024  # bytes; a gzip bomb stops here
_INFLATE_CHUNK = 1024 * 1024
_SNIFF_BYTES = 4096  # where a <meta charset> is looked for (the standard says 1024; pages are sloppy)
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# The HTML standard reads these labels as windows-1252, and a declared UTF-16 (no BOM) or
# UTF-7 as UTF-8.
_WINDOWS_1252 = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp819"})
# Labels whose Python codec is stricter than the decoder the HTML standard (and so a browser)
# uses for them: Shift_JIS pages are written in Microsoft's superset, GB2312 and GBK pages in
# GB18030's, EUC-KR pages in Microsoft's code page 949, Big5 pages with HKSCS characters.
_BROWSER_CODECS = {
    **dict.fromkeys(("shift_jis", "shift-jis", "sjis", "ms_kanji", "ms932", "windows-31j", "x-sjis", "csshiftjis"),
                    "cp932"),
    **dict.fromkeys(("gb2312", "gb_2312", "gb_2312-80", "gbk", "x-gbk", "chinese", "csgb2312", "iso-ir-58",
                     "csiso58gb231280", "cp936", "windows-936"), "gb18030"),
    **dict.fromkeys(("euc-kr", "euc_kr", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "korean",
                     "windows-949", "iso-ir-149", "csksc56011987", "cseuckr"), "cp949"),
    **dict.fromkeys(("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"), "big5hkscs"),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "latin5", "l5", "iso-ir-148", "csisolatin5"), "cp1254"),
    **dict.fromkeys(("iso-8859-11", "tis-620", "dos-874", "windows-874"), "cp874"),
}
_ANY_TAG = re.compile(r"<(?:[A-Za-z][\w:-]*|!doctype)[\s/>]", re.IGNORECASE)


def decode_html(data: bytes, name: str) -> str:
    """A saved page's bytes (gzipped when ``name`` ends in .gz) -> its text, forbidden
    characters removed; DigestError without a path when it is not an HTML page."""
    if name.lower().endswith(".gz") and data:
        data = _gunzip(data)
    if not data.strip():
        raise page_error("empty file", "the saved page holds nothing; save it again")
    bom = next(((len(mark), codec) for mark, codec in _BOMS if data.startswith(mark)), None)
    if bom is None and b"\x00" in data:
        raise page_error("binary file, not HTML", "save the page as HTML text (.html or .html.gz)")
    text = data[bom[0]:].decode(bom[1], errors="replace") if bom else _decode(data)
    if "\x00" in text:
        raise page_error("binary file, not HTML", "save the page as HTML text (.html or .html.gz)")
    if not text.strip():
        raise page_error("empty file", "the saved page holds nothing; save it again")
    if not _ANY_TAG.search(text):
        raise page_error("not an HTML page", "no HTML tags found; save text dumps as .txt")
    return clean_text(text)


def _gunzip(data: bytes) -> bytes:
    """Every gzip member, inflated in bounded steps so a bomb stops at MAX_UNCOMPRESSED."""
    out = bytearray()
    rest = data
    while rest:
        inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        pending = rest
        try:
            while not inflater.eof:
                piece = inflater.decompress(pending, _INFLATE_CHUNK)
                if len(out) + len(piece) > MAX_UNCOMPRESSED:
                    raise page_error("larger than 64 MiB uncompressed", "not a saved news page; is it a gzip bomb?")
                out += piece
                if not piece and inflater.unconsumed_tail == pending:
                    break  # no progress: the input ended before the stream did
                pending = inflater.unconsumed_tail
        except zlib.error:
            raise page_error("not a valid gzip file", "the file is damaged or not gzip; save the page again") from None
        if not inflater.eof:
            raise page_error("not a valid gzip file", "the file is cut short; save the page again")
        rest = inflater.unused_data.lstrip(b"\x00")  # gzip(1) allows zero padding after a member
        if rest and not rest.startswith(b"\x1f\x8b"):
            break  # trailing garbage: ignored, as gzip(1) does
    return bytes(out)


def _decode(data: bytes) -> str:
    """The declared charset (read as a browser reads its label), else UTF-8, else windows-1252."""
    match = _DECLARED_CHARSET.search(data[:_SNIFF_BYTES])
    declared = match.group(1).decode("ascii", "replace").lower() if match else None
    if declared in _WINDOWS_1252:
        declared = "cp1252"
    elif declared and declared.startswith(("utf-16", "utf-7")):
        declared = "utf-8"
    declared = _BROWSER_CODECS.get(declared, declared) if declared else None
    for codec in (declared, "utf-8"):
        if codec:
            try:
                return data.decode(codec)
            except (UnicodeDecodeError, LookupError):
                continue
    # Neither decodes every byte: the declared charset with a mark where a byte is wrong, as a
    # browser shows it, else windows-1252 (which decodes any byte).
    try:
        return data.decode(declared or "cp1252", errors="replace")
    except LookupError:  # an unknown charset's name
        return data.decode("cp1252", errors="replace")


def page_error(message: str, hint: str) -> DigestError:
    """A page that holds no article, without a path: the caller knows the file."""
    return DigestError(Problem(message, hint=hint))
