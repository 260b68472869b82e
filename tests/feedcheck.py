"""Our own checker for the rules of the W3C Feed Validation Service (validator.w3.org/feed).

The service cannot be reached from here or from CI and its code is not packaged, so this
module restates, in our own code, the rules it applies to feeds shaped like digest's
(RSS 2.0 with atom:link and dc:creator; Atom 1.0 with html content). Each rule below says
in a comment what the validator checks and names the validator's message class; the
conditions were read in its source (feedvalidator/*.py: base.py, root.py, rss.py,
channel.py, item.py, feed.py, entry.py, link.py, content.py, category.py, author.py,
validators.py, uri.py, xmlEncoding.py, logging.py).

The web service only shows Errors and Warnings (compatibility level "AA"); its Info
messages (MissingEncoding, NonstdPrefix, MissingDCLanguage, TextXml, ...) are never shown,
so they are not reported here.

    feed_messages(xml_bytes, location) -> ["warning DuplicateUpdated: ...", ...]

``location`` is the URL the validator would fetch the feed from: rel="self" links are
compared with it (SelfDoesntMatchLocation). An empty list means the feed would get no
message at all.

Not covered (they need the HTTP exchange, not the bytes): UnexpectedContentType,
NonSpecificMediaType, EncodingMismatch (server charset vs. declared encoding), HttpError,
TempRedirect. Serve ``rss.xml`` as application/rss+xml and ``atom.xml`` as
application/atom+xml (or application/xml) with a charset equal to the declared encoding.
"""

from __future__ import annotations

import codecs
import re
import time
import unicodedata
import xml.parsers.expat
from dataclasses import dataclass, field
from datetime import date
from email.utils import mktime_tz, parsedate_tz
from html.entities import html5 as _HTML5_REFS
from html.entities import name2codepoint
from urllib.parse import quote, urljoin, urlsplit

__all__ = ["feed_messages"]

ATOM = "http://www.w3.org/2005/Atom"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XHTML = "http://www.w3.org/1999/xhtml"
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
_SEP = "\x1f"  # expat namespace separator

# Namespaces the validator knows, with the prefix it expects for each (a subset of its
# table: the ones a news feed may plausibly use). A namespace outside this table is
# reported as UnknownNamespace, so a gap here errs on the side of a message.
KNOWN_NAMESPACES = {
    "http://www.w3.org/2005/Atom": "atom",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://search.yahoo.com/mrss/": "media",
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
    "http://purl.org/rss/1.0/modules/syndication/": "sy",
    "http://purl.org/rss/1.0/modules/slash/": "slash",
    "http://wellformedweb.org/CommentAPI/": "wfw",
    "http://purl.org/syndication/thread/1.0": "thr",
    "http://purl.org/syndication/history/1.0": "fh",
    "http://www.georss.org/georss": "georss",
    "http://www.opengis.net/gml": "gml",
    "http://www.w3.org/2003/01/geo/wgs84_pos#": "geo",
    "http://www.w3.org/1999/xhtml": "xhtml",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs",
    "http://purl.org/rss/1.0/": "rss1",
    "http://xmlns.com/foaf/0.1/": "foaf",
    "http://rssnamespace.org/feedburner/ext/1.0": "feedburner",
    "http://a9.com/-/spec/opensearch/1.1/": "opensearch",
    "http://madskills.com/public/xml/rss/module/trackback/": "trackback",
    "http://webns.net/mvcb/": "admin",
    "http://web.resource.org/cc/": "cc",
    "http://backend.userland.com/creativeCommonsRssModule": "creativeCommons",
    "http://www.w3.org/2007/app": "app",
    "http://www.w3.org/1998/Math/MathML": "mathml",
    "http://www.w3.org/2000/svg": "svg",
    "http://www.w3.org/1999/xlink": "xlink",
    "http://base.google.com/ns/1.0": "g",
    "http://www.w3.org/XML/1998/namespace": "xml",
}
_PREFIX_OWNER = {prefix: uri for uri, prefix in KNOWN_NAMESPACES.items()}

# Dublin Core elements the validator accepts as extensions (duplicates mostly allowed).
DC_ELEMENTS = {"title", "creator", "subject", "description", "publisher", "contributor", "date",
               "type", "format", "identifier", "source", "language", "relation", "coverage",
               "rights"}

# ISO 639 language codes the validator accepts as the part before the first "-" (case
# ignored): the two-letter ISO 639-1 codes, a few withdrawn ones it still lists, "x"/"xx"
# for private use, and the common three-letter ISO 639-2 codes.
ISO639 = set("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy
da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu
hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb
lg li ln lo lt lu lv mg mh mi mk ml mn mo mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj
om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk sl sm sn so sq sr ss st su
sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
x xx
ara chi zho cze ces dan dut nld eng fin fre fra ger deu gre ell heb hin hun ind ita jpn kor
nor nob nno per fas pol por rum ron rus spa swe tur ukr vie bel bul cat hrv srp slk slo slv
est lav lit geo kat arm hye aze kaz uzb tat
""".split())


# --------------------------------------------------------------------------- messages

@dataclass
class _Log:
    messages: list[str] = field(default_factory=list)

    def error(self, rule: str, text: str) -> None:
        self._add(f"error {rule}: {text}")

    def warning(self, rule: str, text: str) -> None:
        self._add(f"warning {rule}: {text}")

    def _add(self, message: str) -> None:
        if message not in self.messages:  # the web service folds repeats into one line
            self.messages.append(message)


# --------------------------------------------------------------------------- XML tree

@dataclass(eq=False)
class _Node:
    ns: str | None
    name: str
    attrs: dict[tuple[str | None, str], str]
    line: int
    parent: "_Node | None"
    prefixes: dict[str | None, str] = field(default_factory=dict)  # declared on this element
    children: list["_Node"] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    @property
    def label(self) -> str:
        """The element's name as the validator prints it: ``item``, ``atom:link``, ``dc:creator``."""
        if self.ns is None:
            return self.name
        prefix = KNOWN_NAMESPACES.get(self.ns)
        return f"{prefix}:{self.name}" if prefix else f"{{{self.ns}}}{self.name}"

    def kids(self, ns: str | None, name: str) -> list["_Node"]:
        return [c for c in self.children if c.ns == ns and c.name == name]

    def attr(self, name: str) -> str | None:
        return self.attrs.get((None, name))


def _split(name: str) -> tuple[str | None, str]:
    if _SEP in name:
        ns, local = name.split(_SEP, 1)
        return ns, local
    return None, name


@dataclass
class _Doc:
    root: _Node
    lines: list[str]  # the decoded document, split on "\n"
    first_prefixes: dict[str | None, str]  # namespace declarations on the root element


def _parse(data: bytes, log: _Log) -> _Doc | None:
    text = _decode(data, log)
    if text is None:
        return None
    # The validator reads "<?xml version=...": only 1.0 is accepted (BadXmlVersion, error).
    version = re.match(r"<\?\s*xml\s+version\s*=\s*['\"]([-a-zA-Z0-9_.:]*)['\"]", text)
    if version and version.group(1) != "1.0":
        log.error("BadXmlVersion", f"XML version {version.group(1)}")

    parser = xml.parsers.expat.ParserCreate(namespace_separator=_SEP)
    parser.buffer_text = True
    stack: list[_Node] = []
    pending: dict[str | None, str] = {}
    holder: dict[str, _Node] = {}

    def start_ns(prefix: str | None, uri: str) -> None:
        pending[prefix] = uri

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, local = _split(name)
        node = _Node(ns, local, {_split(k): v for k, v in attrs.items()}, parser.CurrentLineNumber,
                     stack[-1] if stack else None, dict(pending))
        pending.clear()
        if stack:
            stack[-1].children.append(node)
        else:
            holder["root"] = node
        stack.append(node)

    def end(name: str) -> None:
        stack.pop()

    def chars(data: str) -> None:
        if stack:
            stack[-1].parts.append(data)

    parser.StartNamespaceDeclHandler = start_ns
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(_redeclare_utf8(text).encode("utf-8"), True)
    except xml.parsers.expat.ExpatError as exc:
        # Well-formedness is checked by the validator's SAX parser. An undefined named
        # entity (&nbsp; in XML, which has no DTD) is its own error, UndefinedNamedEntity;
        # everything else is SAXError. Both are errors; we stop there, as a bad document
        # gives no reliable tree.
        reason = xml.parsers.expat.ErrorString(exc.code)
        if exc.code == xml.parsers.expat.errors.codes[xml.parsers.expat.errors.XML_ERROR_UNDEFINED_ENTITY]:
            log.error("UndefinedNamedEntity", f"line {exc.lineno}: undefined named entity")
        else:
            log.error("SAXError", f"line {exc.lineno}, column {exc.offset}: XML parsing error: {reason}")
        return None
    root = holder.get("root")
    if root is None:
        log.error("SAXError", "no root element")
        return None
    return _Doc(root, text.split("\n"), root.prefixes)


def _redeclare_utf8(text: str) -> str:
    """Point an XML declaration at UTF-8, since we hand expat UTF-8 bytes."""
    return re.sub(r"""^(<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""", r"\1\2utf-8\2", text, count=1)


# Character encodings the validator calls "common"; any other declared encoding gets the
# ObscureEncoding warning (xmlEncoding.isCommon). UTF-8 and UTF-16 are the standard ones.
_COMMON_ENCODINGS = {"UTF-8", "UTF-16", "US-ASCII", "ISO-8859-1", "EUC-JP", "ISO-8859-2",
                     "ISO-8859-15", "ISO-8859-7", "KOI8-R", "SHIFT_JIS", "WINDOWS-1250",
                     "WINDOWS-1251", "WINDOWS-1252", "WINDOWS-1254", "WINDOWS-1255",
                     "WINDOWS-1256", "GB18030"}


def _decode(data: bytes, log: _Log) -> str | None:
    # The validator finds the encoding from a byte-order mark or the XML declaration
    # (UTF-8 when neither), then decodes; bytes that do not decode give UnicodeError (error).
    # A declared encoding that is not a common one gives ObscureEncoding (warning).
    if data.startswith(codecs.BOM_UTF8):
        data, declared = data[3:], "utf-8"
    elif data.startswith((codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE)):
        try:
            return _normalise_eol(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            log.error("UnicodeError", str(exc))
            return None
    else:
        declared = None
    found = re.match(rb"""<\?xml\s+version\s*=\s*(?:"[-a-zA-Z0-9_.:]+"|'[-a-zA-Z0-9_.:]+')\s+"""
                     rb"""encoding\s*=\s*["']([-A-Za-z0-9._]+)["']""", data)
    encoding = found.group(1).decode("ascii") if found else declared or "utf-8"
    if found and encoding.upper() not in _COMMON_ENCODINGS:
        log.warning("ObscureEncoding", f"obscure XML character encoding: {encoding}")
    try:
        codecs.lookup(encoding)
    except LookupError:
        log.error("UnknownEncoding", f"unknown XML character encoding: {encoding}")
        return None
    try:
        return _normalise_eol(data.decode(encoding))
    except UnicodeDecodeError as exc:
        log.error("UnicodeError", f"{exc} (maybe a high-bit character?)")
        return None


def _normalise_eol(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- dates

_WEEKDAYS = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
# The exact RFC 2822 shape the validator wants: "Sat, 30 Mar 2024 00:00:00 GMT" or
# "+0000"-style zones whose last two digits are 00 or 30, four-digit year, English names
# with this capitalisation, single spaces.
_RFC2822_STRICT = re.compile(
    rf"(?:(?:{_WEEKDAYS}), )?\d\d? (?:{_MONTHS}) \d{{4}} \d\d:\d\d(?::\d\d)? "
    r"(?:[+-]?\d\d[03]0|UT|GMT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|Z)$")
# The older RFC 822 shape it still understands (and only warns about): any case, any
# spacing, two-digit years, optional or military single-letter zones, any four-digit offset.
_RFC822_LAX = re.compile(
    rf"(?:(?:{_WEEKDAYS.lower()})\s*,\s*)?\d\d?\s+(?:{_MONTHS.lower()})\s+\d\d(?:\d\d)?\s+"
    r"\d\d:\d\d(?::\d\d)?\s+(?:[+-]\d{4}|ut|gmt|est|edt|cst|cdt|mst|mdt|pst|pdt|[a-ik-z])?$")
_RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d*)?(?:Z|[+-]\d\d:\d\d)$")


def _check_rfc822(node: _Node, log: _Log, now: float) -> None:
    """RSS dates (pubDate, lastBuildDate)."""
    value = node.text.strip()
    where = f"{node.parent.label}/{node.label}" if node.parent else node.label
    if not _RFC2822_STRICT.match(value):
        # Not the strict form: if it still reads as an RFC 822 date once comments "(...)"
        # are dropped the validator warns (ProblematicalRFC822Date), otherwise it is the
        # error InvalidRFC2822Date. Note "UTC" is in neither list: it is an error.
        lax = re.sub(r"\\.", "", value)
        while True:
            shorter = re.sub(r"\([^(]*?\)", " ", lax)
            if shorter == lax:
                break
            lax = shorter
        if _RFC822_LAX.match(lax.strip().lower()):
            log.warning("ProblematicalRFC822Date", f"{where} {value!r} is a problematical RFC 822 date-time")
        else:
            log.error("InvalidRFC2822Date", f"{where} {value!r} must be an RFC-822 date-time")
        return
    parsed = parsedate_tz(value)
    if parsed is None:
        log.error("InvalidRFC2822Date", f"{where} {value!r} must be an RFC-822 date-time")
        return
    try:
        day = date(*parsed[:3])
    except ValueError as exc:
        # A date that does not exist (30 Feb) is InvalidRFC2822Date (error).
        log.error("InvalidRFC2822Date", f"{where} {value!r}: {exc}")
        return
    # With a weekday, it must be the right one: IncorrectDOW (error).
    if "," in value and parsed[0] > 1900 and value[:3].lower() != _WEEKDAYS.lower().split("|")[day.weekday()]:
        log.error("IncorrectDOW", f"{where} {value!r}: incorrect day of week")
        return
    # ImplausibleDate (warning): before 1990, or more than ten minutes in the future of the
    # moment of validation.
    try:
        stamp = mktime_tz(parsed)
    except (OverflowError, ValueError):
        stamp = float("inf")
    if parsed[0] < 1990 or stamp > now + 600:
        log.warning("ImplausibleDate", f"{where} {value!r} is an implausible date")


def _check_rfc3339(node: _Node, log: _Log, now: float) -> str | None:
    """Atom dates (updated, published); returns the value when it is valid."""
    value = node.text
    where = f"{node.parent.label}/{node.label}" if node.parent else node.label
    # nows: no leading or trailing whitespace in the element (UnexpectedWhitespace, error).
    if value != value.strip():
        log.error("UnexpectedWhitespace", f"{where} must not have leading or trailing whitespace")
    value = value.strip()
    # rfc3339: YYYY-MM-DDTHH:MM:SS(.frac)?(Z|+hh:mm), uppercase T and Z, a real calendar
    # day, hour <= 23, minute <= 60, second <= 60 (InvalidRFC3339Date, error).
    if not _RFC3339.match(value):
        log.error("InvalidRFC3339Date", f"{where} {value!r} must be an RFC-3339 date-time")
        return None
    try:
        date(int(value[:4]), int(value[5:7]), int(value[8:10]))
    except ValueError:
        log.error("InvalidRFC3339Date", f"{where} {value!r} must be an RFC-3339 date-time")
        return None
    if int(value[11:13]) > 23 or int(value[14:16]) > 60 or float(value[17:19]) > 60:
        log.error("InvalidRFC3339Date", f"{where} {value!r} must be an RFC-3339 date-time")
        return None
    # ImplausibleDate (warning): the validator compares the text itself with "1990-01-01"
    # and with the UTC time one day after validation written as YYYY-MM-DDTHH:MM:SSZ.
    tomorrow = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + 86400))
    if value < "1990-01-01" or value > tomorrow:
        log.warning("ImplausibleDate", f"{where} {value!r} is an implausible date")
    return value


# --------------------------------------------------------------------------- URIs

_URI_CHARS = r"0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,#"
_URI_CHAR = re.compile(f"[{_URI_CHARS}]")
_URI_REF = re.compile(rf"([a-zA-Z][0-9a-zA-Z+\-.]*:)?/{{0,2}}(\[[0-9A-Fa-f:]+\])?[{_URI_CHARS}]*$")
_URI_FULL = re.compile(rf"[a-zA-Z][0-9a-zA-Z+\-.]*:(//)?[{_URI_CHARS}]+$")
_URN = re.compile(r"[Uu][Rr][Nn]:[a-zA-Z0-9][a-zA-Z0-9-]{1,31}:([a-zA-Z0-9()+,.:=@;$_!*'\-]|%[0-9A-Fa-f]{2})+$")
_UUID_URN = re.compile(r"[Uu][Rr][Nn]:[Uu][Uu][Ii][Dd]:[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-"
                       r"[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$")
_TAG_URI = re.compile(rf"tag:([a-z0-9\-._]+?@)?[a-z0-9.\-]+?,\d{{4}}(-\d\d(-\d\d)?)?:[{_URI_CHARS[:-1]}]*"
                      rf"(#[{_URI_CHARS[:-1]}]*)?$")
# URI schemes the validator knows as registered; any other alphabetic scheme gets the
# SchemeNotIANARegistered warning.
_IANA_SCHEMES = set("""ftp http gopher mailto news nntp telnet wais file prospero z39.50s z39.50r cid
mid vemmi service imap nfs acap rtsp tip pop data dav opaquelocktoken sip sips tel fax modem ldap
https soap.beep soap.beeps xmlrpc.beep xmlrpc.beeps urn go h323 ipp tftp mupdate pres im mtqp
iris.beep dict snmp crid tag dns info aaa aaas cap iax icap iris iris.xpc iris.xpcs iris.lwz msrp
msrps shttp thismessage tv xmpp""".split())


def _check_uri(value: str, where: str, log: _Log, *, full: bool, iri: bool,
               bad: str = "InvalidFullLink", permalink: bool = False) -> bool:
    """The validator's URI test. ``full``: a scheme is required (rfc2396_full); ``iri``:
    non-ASCII host/path characters are first IDNA-encoded (rfc3987). Returns success."""
    if iri and value:
        try:
            value = value.encode("idna").decode("ascii")
        except UnicodeError:
            pass
    scheme = value.split(":")[0].lower()
    pattern = _URI_FULL if full else _URI_REF
    if scheme == "tag":
        # tag: URIs must follow RFC 4151 (InvalidTAG, error).
        if not _TAG_URI.match(value):
            log.error("InvalidTAG", f"{where} {value!r} is not a valid TAG")
            return False
        return True
    if scheme == "urn":
        # urn:uuid: must be 8-4-4-4-12 hex digits (InvalidUUID, error); other URNs must match
        # RFC 2141 (InvalidURN, error).
        if value.lower().startswith("urn:uuid:") and not _UUID_URN.match(value):
            log.error("InvalidUUID", f"{where} {value!r} is not a valid UUID")
            return False
        if not _URN.match(value):
            log.error("InvalidURN", f"{where} {value!r} is not a valid URN")
            return False
        return True
    if not pattern.match(value):
        # Not URI syntax: an ASCII character outside the URI set is InvalidUriChar; non-ASCII
        # where a URL is expected is UriNotIri; otherwise the element's own error class.
        for char in value:
            if ord(char) < 128 and not _URI_CHAR.match(char):
                log.error("InvalidUriChar", f"{where} {value!r}: invalid character {char!r} in a URI")
                return False
        try:
            if pattern.match(value.encode("idna").decode("ascii")):
                log.error("UriNotIri", f"{where} {value!r}: IRI found where URL expected")
                return False
        except UnicodeError:
            pass
        log.error(bad, f"{where} {value!r} must be a {'full and ' if full else ''}valid "
                       f"{'URL' if full else 'URI'}")
        return False
    if scheme in ("http", "ftp"):
        # http and ftp URIs need "scheme://host..." (the element's error class).
        if not re.match(r"\w+://[^/].*", value):
            log.error(bad, f"{where} {value!r} must be a full and valid URL")
            return False
        return True
    if ":" in value and scheme.isalpha() and scheme not in _IANA_SCHEMES:
        log.warning("SchemeNotIANARegistered", f"{where} {value!r}: URI scheme not IANA registered")
        return False
    return True


_DEFAULT_PORTS = {"ftp": 21, "telnet": 23, "http": 80, "gopher": 70, "news": 119, "nntp": 119,
                  "prospero": 191, "https": 443, "snews": 563, "snntp": 563}
_UNRESERVED_SAFE = "-._~!$&'()*+,;=:@"  # the characters kept literal in a path segment


def _normalise_octets(part: str, keep: str) -> str:
    """RFC 3986 normalisation of one component: %-escapes of characters in ``keep`` stay
    escaped (upper-case hex), other escapes are decoded, the text is NFC-normalised and
    everything outside the unreserved set and ``keep`` is %-encoded again."""
    out: list[str] = []
    pending = bytearray()

    def flush() -> None:
        if pending:
            text = unicodedata.normalize("NFC", pending.decode("utf-8"))
            out.append(quote(text.encode("utf-8"), safe=keep))
            pending.clear()

    index = 0
    while index < len(part):
        char = part[index]
        if char == "%":
            if not re.match(r"%[0-9a-fA-F]{2}", part[index:index + 3]):
                raise ValueError("bad escape")
            octet = int(part[index + 1:index + 3], 16)
            if chr(octet) in ":/?#[]@!$&'()*+,;=" and chr(octet) in keep:
                flush()
                out.append(part[index:index + 3].upper())
            else:
                pending.append(octet)
            index += 3
            continue
        if char in ":/?#[]@!$&'()*+,;=" and char in keep:
            flush()
            out.append(char)
        else:
            pending.extend(char.encode("utf-8"))
        index += 1
    flush()
    return "".join(out)


def _canonical_uri(uri: str) -> str | None:
    """The validator's canonical form of a URI (uri.canonicalForm), or None."""
    match = re.match(r"^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?$", uri)
    if not match:
        return None
    try:
        scheme = match.group(2).lower() if match.group(2) is not None else None
        path = match.group(5)
        authority = None
        if match.group(4) is None:
            if scheme is None and not path.startswith("/"):
                return None
            if scheme is None or path.startswith("/"):
                path = _normalise_path(path)
            else:
                path = _normalise_octets(path, _UNRESERVED_SAFE + "/")
        else:
            authority = _normalise_authority(match.group(4), _DEFAULT_PORTS.get(scheme or ""))
            path = _normalise_path(path)
        query = _normalise_octets(match.group(7), _UNRESERVED_SAFE + "/?") if match.group(7) is not None else None
        fragment = _normalise_octets(match.group(9), _UNRESERVED_SAFE + "/?") if match.group(9) is not None else None
    except (ValueError, UnicodeError):
        return None
    result = f"{scheme}:" if scheme is not None else ""
    if authority is not None:
        result += "//" + authority
    result += path
    if query is not None:
        result += "?" + query
    if fragment is not None:
        result += "#" + fragment
    return result


def _normalise_authority(authority: str, default_port: int | None) -> str:
    userinfo, _, host = authority.rpartition("@")
    host = host.lower()
    port = default_port
    found = re.search(r":(\d*)$", host)
    if found:
        if found.group(1):
            port = int(found.group(1))
        host = host[:found.start()]
    if host.endswith(".") and host.rfind(".", 0, -2) >= 0:
        host = host[:-1]
    if host.startswith("[") != host.endswith("]"):
        raise ValueError("bad IPv6 host")
    if port != default_port:
        host += f":{port}"
    return f"{userinfo}@{host}" if userinfo and userinfo != ":" else host


def _normalise_path(path: str) -> str:
    segments = path.split("/")
    index = len(segments) if segments and segments[0] else 0
    while index < len(segments):
        segment = segments[index]
        if segment in (".", ".."):
            if index < len(segments) - 1:
                del segments[index]
            else:
                segments[index] = ""
            if segment == ".." and (index > 1 or (index > 0 and segments[0])):
                index -= 1
                del segments[index]
        else:
            index += 1
    if segments == [""]:
        segments = ["", ""]
    return "/".join(_normalise_octets(s, _UNRESERVED_SAFE) for s in segments)


# --------------------------------------------------------------------------- plain text

# Element names whose end tags make the validator call plain text "HTML" (its list of
# HTML tag names). Also the set it checks each element of escaped HTML against: a name
# outside it is NotHtml ("Non-html tag").
HTML_TAGS = set("""
a abbr acronym address applet area article aside audio b base basefont bdi bdo big blockquote
body br button canvas caption center cite code col colgroup command comment data datagrid
datalist dd del details dfn dialog dir div dl dt em embed eventsource fieldset figcaption figure
font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input
ins isindex kbd label legend li link listing m main map mark menu meta meter nav noframes
noscript object ol optgroup option output p param picture plaintext pre progress q rp rt ruby s
samp script section select slot small source span strike strong style sub summary sup table
tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr xmp
""".split())


def _check_plain_text(node: _Node, value: str, doc: _Doc, log: _Log, *, rule: str, rss: bool) -> None:
    """The validator's "nonhtml" test, applied to text that should not be HTML: RSS titles,
    channel description, category; Atom type="text" constructs (rule ContainsUndeclaredHTML),
    author names, category labels. ``value`` is the text after XML decoding."""
    where = f"{node.parent.label}/{node.label}" if node.parent else node.label
    # 1. An end tag of a known HTML element, "</b>", anywhere in the text.
    tags = [t for t in re.findall(r"</(\w+)>", value) if t.lower() in HTML_TAGS]
    if tags:
        log.warning(rule, f"{where} should not contain HTML (found </{tags[0]}>): {_short(value)}")
        return
    # 2. What looks like an HTML character reference, "&" then a word: fires when the
    # word is an HTML 4 entity name or "apos", or is not purely letters ("&#39", "&T2"),
    # unless the line the element starts on contains "&#x" (the validator then assumes
    # the author escapes with hexadecimal references on purpose).
    hex_line = "&#x" in doc.lines[node.line - 1] if 0 < node.line <= len(doc.lines) else False
    words = re.findall(r"&(#?\w+)", value)
    if words:
        for word in words:
            if (word in name2codepoint or word == "apos" or not word.isalpha()) and not hex_line:
                log.warning(rule, f"{where} should not contain HTML (found &{word};): {_short(value)}")
                return
        return
    # 3. RSS 2.x only (CharacterData, a warning of the RSS Profile): "&#" + digit/x or "<"
    # + letter or "/" in the decoded text, i.e. literal markup or a double-escaped reference.
    if rss and not hex_line and re.search(r"&#[x0-9]|<[/a-zA-Z]", value):
        log.warning("CharacterData", f"{where}: encode \"&\" and \"<\" in plain text using hexadecimal "
                                     f"character references: {_short(value)}")


def _short(value: str, limit: int = 80) -> str:
    value = " ".join(value.split())
    return repr(value if len(value) <= limit else value[:limit - 1] + "…")


def _check_bad_characters(node: _Node, log: _Log) -> None:
    # BadCharacters (warning): a C1 control character U+0080-U+009F (text that was
    # windows-1252 decoded as Latin-1) or U+FFFD in element text or an attribute value, or
    # UTF-8 decoded twice ("Ã©"-style mojibake that re-decodes cleanly as UTF-8).
    for value, what in [(node.text, node.label)] + [(v, f"{node.label}@{k[1]}") for k, v in node.attrs.items()]:
        if re.search("[\u0080-\u009f\ufffd]", value):
            log.warning("BadCharacters", f"{what} contains bad characters")
            continue
        if re.search("[\u00c2\u00c3][\u0080-\u00bf]", value):
            try:
                value.encode("iso-8859-1").decode("utf-8")
            except UnicodeError:
                continue
            log.warning("BadCharacters", f"{what} contains bad characters (UTF-8 decoded twice)")


# --------------------------------------------------------------------------- escaped HTML

# Elements the validator lets through in escaped HTML; a known HTML element outside this
# set (script, style, iframe, embed, object, applet, form parts excepted, base, link, meta,
# frame, ...) is SecurityRisk.
SAFE_ELEMENTS = set("""
a abbr acronym address area article aside audio b bdi big blockquote br button canvas caption
center cite code col colgroup command data datagrid datalist dd del details dfn dialog dir div dl
dt em eventsource fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 header hgroup hr
i img input ins kbd keygen label legend li m main map mark menu meter multicol nav nextid noscript
ol optgroup option output p picture pre progress q rp rt ruby s samp section select small sound
source spacer span strike strong sub summary sup table tbody td template textarea tfoot th thead
time tr track tt u ul var video wbr
""".split())
# Attributes allowed on those elements; any other (on* handlers, aria-*, role, ...) is
# SecurityRiskAttr, except data-* and style (style is checked by _unsafe_css instead).
SAFE_ATTRIBUTES = set("""
abbr accept accept-charset accesskey action align allow allowfullscreen allowpaymentrequest alt
as autocapitalize autocomplete autofocus autoplay axis background balance bgcolor bgproperties
border bordercolor bordercolordark bordercolorlight bottompadding cellpadding cellspacing ch
challenge char charoff charset checked choff cite class clear color cols colspan compact
contenteditable coords crossorigin data datafld datapagesize datasrc datetime decoding default
delay dir dirname disabled download draggable dynsrc end enctype enterkeyhint face for form
formenctype frame galleryimg gutter headers height hidden hidefocus high href hreflang hspace
icon id inputmode is ismap itemid itemprop itemref itemscope itemtype keytype kind label lang
leftspacing list loading longdesc loop loopcount loopend loopstart low lowsrc max maxlength media
method min minlength multiple muted name nohref nonce noshade nowrap open optimum pattern ping
placeholder playsinline point-size poster pqg preload prompt radiogroup readonly referrerpolicy rel
repeat-max repeat-min replace required rev reversed rightspacing rows rowspan rules scope selected
shape size sizes span spellcheck src srclang srcset start step summary suppress tabindex target
template title toppadding translate type unselectable urn usemap valign value variable volume vrml
vspace width wrap xml:lang xmlns
""".split())
SAFE_CSS_PROPERTIES = set("""
azimuth background background-color border border-bottom border-bottom-color border-bottom-style
border-bottom-width border-collapse border-color border-left border-left-color border-left-style
border-left-width border-right border-right-color border-right-style border-right-width
border-spacing border-style border-top border-top-color border-top-style border-top-width
border-width clear color cursor direction display elevation float font font-family font-size
font-style font-variant font-weight height letter-spacing line-height list-style-type margin
margin-bottom margin-left margin-right margin-top overflow padding padding-bottom padding-left
padding-right padding-top pause pause-after pause-before pitch pitch-range richness speak
speak-header speak-numeral speak-punctuation speech-rate stress text-align text-decoration
text-indent unicode-bidi vertical-align voice-family volume white-space width
""".split())
SAFE_CSS_KEYWORDS = set("""
aqua auto black block blue bold both bottom brown center collapse dashed dotted fuchsia gray green
!important italic left lime maroon medium none navy normal nowrap olive pointer purple red right
solid silver teal top transparent underline white yellow
""".split())
_CSS_VALUE = re.compile(r"""^(?:
      \#[0-9a-f]+                                  # a hex colour
    | rgb\(\d+%?,\d*%?,?\d*%?\)?                   # rgb(...) without spaces
    | \d?\.?\d?\d(?:cm|em|ex|in|mm|pc|pt|px|%|,|\))?  # a short number, maybe with a unit
    )$""", re.VERBOSE)
_CSS_TEXT = re.compile(r"""^(?:[:,;#%.\sa-zA-Z0-9!] | \w-\w | '[\s\w]+' | "[\s\w]+" | \([\d,\s]+\))*$""", re.VERBOSE)
_CSS_DECLS = re.compile(r"^(?:\s*[-\w]+\s*:\s*[^:;]*(?:;|$))*$")


def _unsafe_css(style: str) -> list[str]:
    """DangerousStyleAttr (warning): what the validator finds unsafe in a style attribute.
    The whole value when it has characters or a shape outside its simple grammar; else each
    property outside its allow-list, and for background*/border*/margin*/padding* each
    value word that is neither an allowed keyword nor a short number/colour."""
    if not _CSS_TEXT.match(style) or not _CSS_DECLS.match(style):
        return [style]
    unsafe: list[str] = []
    for prop, value in re.findall(r"([-\w]+)\s*:\s*([^:;]*)", style.lower()):
        if prop not in SAFE_CSS_PROPERTIES:
            if prop not in unsafe:
                unsafe.append(prop)
        elif prop.split("-")[0] in ("background", "border", "margin", "padding"):
            for word in value.split():
                if word not in SAFE_CSS_KEYWORDS and not _CSS_VALUE.match(word) and word not in unsafe:
                    unsafe.append(word)
    return unsafe


_VOID = {"area", "base", "basefont", "bgsound", "br", "col", "embed", "hr", "img", "input", "keygen",
         "link", "meta", "param", "source", "track", "wbr", "menuitem"}
_RAW_TEXT = {"script", "style", "xmp", "iframe", "noembed", "noframes"}
_ESCAPABLE_RAW = {"textarea", "title"}
_SPECIAL = set("""address applet area article aside base basefont bgsound blockquote body br button
caption center col colgroup dd details dir div dl dt embed fieldset figcaption figure footer form
frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img input keygen li link listing
main marquee menu meta nav noembed noframes noscript object ol p param plaintext pre script section
select source style summary table tbody td template textarea tfoot th thead title tr track ul wbr
xmp""".split())
_CLOSES_P = set("""address article aside blockquote center details dialog dir div dl fieldset
figcaption figure footer header hgroup main menu nav ol p section summary ul h1 h2 h3 h4 h5 h6 pre
listing form plaintext table hr xmp li dd dt""".split())
_BLOCK_END = set("""address article aside blockquote button center details dialog dir div dl
fieldset figcaption figure footer header hgroup listing main menu nav ol pre section summary
ul""".split())
_FORMATTING = {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong",
               "tt", "u"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_IMPLIED_END = {"dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc"}
_SCOPE_STOP = {"applet", "caption", "html", "table", "td", "th", "marquee", "object", "template"}
_TABLE_PARTS = {"caption", "col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr"}
_EOF_OK = {"dd", "dt", "li", "p", "tbody", "td", "tfoot", "th", "thead", "tr", "body", "html"}
_FOREIGN = {"svg", "math"}
_REF_PREFIXES = {name[:i] for name in _HTML5_REFS for i in range(1, len(name) + 1)}
_BAD_CODEPOINT = re.compile("[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff"
                            "\ud800-\udfff]")


class _StrictHtml:
    """An approximation of html5lib's strict fragment parser, which the validator runs on
    escaped HTML: any HTML parse error there is the warning NotHtml ("Invalid HTML"), and
    then no other HTML rule is checked for that element. We model the errors escaped HTML
    from a generator can plausibly contain: bad character references ("AT&T", "&copy"
    without ";", "?a=1&b=2" in an href), a bare "<", malformed tags and attributes,
    duplicate attributes, "<p/>", stray or misnested end tags, unclosed elements at the
    end, bad comments, a doctype, misplaced table parts, invalid code points."""

    def __init__(self, html: str) -> None:
        self.html = html
        self.error: str | None = None
        self.elements: list[tuple[str, list[tuple[str, str]]]] = []
        self.stack: list[str] = []
        self.foreign_depth = 0
        try:
            self._tokenize()
            if self.error is None:
                for name in self.stack:
                    if name not in _EOF_OK:
                        self._fail(f"expected closing tag for <{name}>, got end of text")
                        break
        except _ParseError:
            pass

    def _fail(self, why: str) -> None:
        self.error = why
        raise _ParseError(why)

    # -- tokenizer
    def _tokenize(self) -> None:
        html, i, n = self.html, 0, len(self.html)
        bad = _BAD_CODEPOINT.search(html)
        if bad:
            self._fail(f"invalid code point U+{ord(bad.group()):04X}")
        while i < n:
            char = html[i]
            if char == "<":
                i = self._markup(i)
            elif char == "&":
                i, err = self._char_ref(i, None)
                if err:
                    self._fail(err)
            else:
                if _BAD_CODEPOINT.match(char):
                    self._fail(f"invalid code point U+{ord(char):04X}")
                i += 1

    def _char_ref(self, i: int, quote_char: str | None) -> tuple[int, str | None]:
        html, j = self.html, i + 1
        nxt = html[j] if j < len(html) else ""
        if nxt in ("", "\t", "\n", "\x0c", " ", "<", "&") or (quote_char is not None and nxt == quote_char):
            return j, None
        if nxt == "#":
            k = j + 1
            hexa = html[k:k + 1] in ("x", "X")
            if hexa:
                k += 1
            digits = re.match(r"[0-9a-fA-F]+" if hexa else r"[0-9]+", html[k:])
            if not digits:
                return k, "numeric character reference without digits"
            k += digits.end()
            code = int(digits.group(), 16 if hexa else 10)
            if html[k:k + 1] != ";":
                return k, f"numeric character reference {html[i:k]!r} without ';'"
            if (code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or 0x01 <= code <= 0x08
                    or code == 0x0B or 0x0E <= code <= 0x1F or 0x7F <= code <= 0x9F
                    or 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE):
                return k + 1, f"character reference {html[i:k + 1]!r} is an illegal code point"
            return k + 1, None
        end = j
        while end < len(html) and html[j:end + 1] in _REF_PREFIXES:
            end += 1
        candidate = html[j:end]
        while candidate and candidate not in _HTML5_REFS:
            candidate = candidate[:-1]
        if not candidate:
            return j, f"'&' not starting a named character reference: {html[i:i + 12]!r}"
        if not candidate.endswith(";"):
            return j + len(candidate), f"named character reference &{candidate} without ';'"
        return j + len(candidate), None

    def _markup(self, i: int) -> int:
        html = self.html
        nxt = html[i + 1:i + 2]
        if nxt.isascii() and nxt.isalpha():
            return self._start_tag(i)
        if nxt == "/":
            after = html[i + 2:i + 3]
            if after.isascii() and after.isalpha():
                return self._end_tag(i)
            self._fail(f"bad end tag at {html[i:i + 10]!r}")
        if nxt == "!":
            if html.startswith("<!--", i):
                return self._comment(i)
            if html[i + 2:i + 9].upper() == "DOCTYPE":
                self._fail("DOCTYPE in an HTML fragment")
            self._fail(f"bogus comment {html[i:i + 12]!r}")
        if nxt == "?":
            self._fail("processing instruction in HTML")
        self._fail(f"'<' not starting a tag: {html[i:i + 12]!r}")
        return i + 1

    def _comment(self, i: int) -> int:
        html = self.html
        body_start = i + 4
        if html.startswith(">", body_start) or html.startswith("->", body_start):
            self._fail("incorrect comment '<!-->'")
        end = html.find("-->", body_start)
        if end < 0:
            self._fail("unterminated comment")
        body = html[body_start:end]
        if "--" in body or body.endswith("-"):
            self._fail("'--' inside a comment")
        return end + 3

    def _start_tag(self, i: int) -> int:
        html, n = self.html, len(self.html)
        match = re.match(r"[^\t\n\x0c />]+", html[i + 1:])
        name = match.group().lower()
        j = i + 1 + match.end()
        attrs: list[tuple[str, str]] = []
        seen: set[str] = set()
        self_closing = False
        while True:
            while j < n and html[j] in "\t\n\x0c ":
                j += 1
            if j >= n:
                self._fail(f"end of text inside <{name}>")
            if html[j] == ">":
                j += 1
                break
            if html[j] == "/":
                if html[j + 1:j + 2] == ">":
                    self_closing = True
                    j += 2
                    break
                self._fail(f"unexpected '/' in <{name}>")
            if html[j] == "=":
                self._fail(f"invalid character in attribute name in <{name}>")
            match = re.match(r"[^\t\n\x0c />=]+", html[j:])
            attr = match.group().lower()
            if re.search(r"[\"'<]", attr):
                self._fail(f"invalid character in attribute name {attr!r}")
            j += match.end()
            while j < n and html[j] in "\t\n\x0c ":
                j += 1
            value = ""
            if j < n and html[j] == "=":
                j += 1
                while j < n and html[j] in "\t\n\x0c ":
                    j += 1
                if j >= n:
                    self._fail(f"end of text inside <{name}>")
                if html[j] in "\"'":
                    quote_char = html[j]
                    close = html.find(quote_char, j + 1)
                    if close < 0:
                        self._fail(f"unterminated attribute value in <{name}>")
                    value = self._attr_value(html[j + 1:close], quote_char)
                    j = close + 1
                    if j < n and html[j] not in "\t\n\x0c />":
                        self._fail(f"no space after attribute value in <{name}>")
                elif html[j] == ">":
                    self._fail(f"missing attribute value in <{name}>")
                else:
                    match = re.match(r"[^\t\n\x0c >]+", html[j:])
                    raw = match.group()
                    if re.search("[\"'<=`]", raw):
                        self._fail(f"unexpected character in unquoted attribute value {raw!r}")
                    value = self._attr_value(raw, ">")
                    j += match.end()
            if attr in seen:
                self._fail(f"duplicate attribute {attr!r} on <{name}>")
            seen.add(attr)
            attrs.append((attr, value))
        self._open(name, attrs, self_closing)
        if name in _RAW_TEXT or name in _ESCAPABLE_RAW or name == "plaintext":
            if name == "plaintext":
                return n
            close = re.compile(rf"</{name}[\t\n\x0c />]", re.IGNORECASE).search(html, j)
            if not close:
                self._fail(f"<{name}> not closed")
            if name in _ESCAPABLE_RAW:
                k = j
                while k < close.start():
                    if html[k] == "&":
                        k, err = self._char_ref(k, None)
                        if err:
                            self._fail(err)
                    else:
                        k += 1
            self.stack.pop()
            end = html.find(">", close.start())
            return end + 1 if end >= 0 else n
        return j

    def _attr_value(self, raw: str, quote_char: str) -> str:
        k = 0
        while k < len(raw):
            if raw[k] == "&":
                saved, self.html = self.html, raw
                try:
                    k, err = self._char_ref(k, quote_char)
                finally:
                    self.html = saved
                if err:
                    self._fail(err)
            else:
                k += 1
        return raw

    def _end_tag(self, i: int) -> int:
        html = self.html
        close = html.find(">", i)
        if close < 0:
            self._fail("end of text inside an end tag")
        inner = html[i + 2:close]
        match = re.match(r"[^\t\n\x0c />]+", inner)
        name = match.group().lower()
        rest = inner[match.end():]
        if rest.strip():
            self._fail(f"attributes or '/' on end tag </{name}>")
        self._close(name)
        return close + 1

    # -- tree construction (the in-body rules, simplified)
    def _in_scope(self, name: str, extra: frozenset[str] = frozenset()) -> bool:
        for node in reversed(self.stack):
            if node == name:
                return True
            if node in _SCOPE_STOP or node in extra:
                return False
        return False

    def _close_p(self) -> None:
        if self._in_scope("p", frozenset({"button"})):
            self._pop_implied(except_for="p")
            if self.stack[-1] != "p":
                self._fail("implied </p> while other elements are open")
            self._pop_to("p")

    def _pop_implied(self, except_for: str | None = None) -> None:
        while self.stack and self.stack[-1] in _IMPLIED_END and self.stack[-1] != except_for:
            self.stack.pop()

    def _pop_to(self, name: str) -> None:
        while self.stack:
            if self.stack.pop() == name:
                return

    def _open(self, name: str, attrs: list[tuple[str, str]], self_closing: bool) -> None:
        self.elements.append((name, attrs))
        if self.foreign_depth:
            if not self_closing:
                self.stack.append(name)
                self.foreign_depth += 1
            return
        current = self.stack[-1] if self.stack else None
        if self_closing and name not in _VOID and name not in _FOREIGN:
            self._fail(f"'/>' on non-void element <{name}>")
        if name in ("html", "body", "head", "frameset", "frame", "image", "isindex"):
            self._fail(f"<{name}> inside an HTML fragment")
        in_table = current in ("table", "tbody", "thead", "tfoot", "tr")
        if current == "colgroup" and name != "col":
            self._fail(f"<{name}> inside <colgroup>")
        if in_table:
            allowed = {"table": {"caption", "colgroup", "col", "tbody", "thead", "tfoot", "tr", "td", "th",
                                 "style", "script", "template"},
                       "tbody": {"tr", "td", "th", "style", "script", "template"},
                       "thead": {"tr", "td", "th", "style", "script", "template"},
                       "tfoot": {"tr", "td", "th", "style", "script", "template"},
                       "tr": {"td", "th", "style", "script", "template"}}[current]
            if name not in allowed:
                self._fail(f"<{name}> directly inside <{current}>")
            if name in ("td", "th") and current != "tr":
                self._fail(f"<{name}> without an enclosing <tr>")
            elif name == "tr" and current == "table":
                self.stack.append("tbody")
        elif name in _TABLE_PARTS and not (current == "colgroup" and name == "col"):
            self._fail(f"<{name}> outside a table")
        if name in _CLOSES_P:
            if name == "li":
                self._close_list_item({"li"})
            elif name in ("dd", "dt"):
                self._close_list_item({"dd", "dt"})
            self._close_p()
            if name in _HEADINGS and self.stack and self.stack[-1] in _HEADINGS:
                self._fail(f"<{name}> inside <{self.stack[-1]}>")
            if name == "form" and "form" in self.stack:
                self._fail("nested <form>")
        if name == "a" and "a" in self.stack:
            self._fail("<a> inside <a>")
        if name == "nobr" and self._in_scope("nobr"):
            self._fail("<nobr> inside <nobr>")
        if name == "button" and self._in_scope("button"):
            self._fail("<button> inside <button>")
        if name in _VOID:
            return
        self.stack.append(name)
        if name in _FOREIGN:
            self.foreign_depth = 1

    def _close_list_item(self, names: set[str]) -> None:
        for node in reversed(self.stack):
            if node in names:
                self._pop_implied(except_for=node)
                if self.stack[-1] != node:
                    self._fail(f"implied </{node}> while other elements are open")
                self._pop_to(node)
                return
            if node in _SPECIAL and node not in ("address", "div", "p"):
                return

    def _close(self, name: str) -> None:
        if self.foreign_depth:
            if self.stack and self.stack[-1] == name:
                self.stack.pop()
                self.foreign_depth -= 1
                return
            self._fail(f"misnested </{name}> in foreign content")
        if name == "p":
            if not self._in_scope("p", frozenset({"button"})):
                self._fail("</p> without an open <p>")
            self._close_p()
        elif name == "br":
            self._fail("</br>")
        elif name == "li":
            if not self._in_scope("li", frozenset({"ol", "ul"})):
                self._fail("</li> without an open <li>")
            self._pop_implied(except_for="li")
            if self.stack[-1] != "li":
                self._fail("</li> while other elements are open")
            self._pop_to("li")
        elif name in ("dd", "dt") or name in _BLOCK_END or name in ("table", "caption") or name in _TABLE_PARTS:
            scope_ok = name in self.stack if name in _TABLE_PARTS or name == "table" else self._in_scope(name)
            if not scope_ok:
                self._fail(f"</{name}> without an open <{name}>")
            if name in ("td", "th", "caption"):
                self._pop_implied()
                if self.stack[-1] != name:
                    self._fail(f"</{name}> while <{self.stack[-1]}> is open")
            if name in _TABLE_PARTS or name == "table":
                self._pop_to(name)
                return
            self._pop_implied(except_for=name)
            if self.stack[-1] != name:
                self._fail(f"</{name}> while <{self.stack[-1]}> is open")
            self._pop_to(name)
        elif name in _HEADINGS:
            if not any(self._in_scope(h) for h in _HEADINGS):
                self._fail(f"</{name}> without an open heading")
            self._pop_implied()
            if self.stack[-1] != name:
                self._fail(f"</{name}> while <{self.stack[-1]}> is open")
            while self.stack and self.stack.pop() not in _HEADINGS:
                pass
        elif name in _FORMATTING:
            if self.stack and self.stack[-1] == name:
                self.stack.pop()
                return
            if name not in self.stack:
                self._fail(f"</{name}> without an open <{name}>")
            self._fail(f"misnested </{name}>")
        elif name in _VOID:
            self._fail(f"end tag for void element </{name}>")
        else:
            for node in reversed(self.stack):
                if node == name:
                    self._pop_implied(except_for=name)
                    if self.stack[-1] != name:
                        self._fail(f"</{name}> while <{self.stack[-1]}> is open")
                    self._pop_to(name)
                    return
                if node in _SPECIAL:
                    break
            self._fail(f"</{name}> without an open <{name}>")


class _ParseError(Exception):
    pass


def _check_escaped_html(node: _Node, value: str, log: _Log, *, relative_refs: bool) -> None:
    """Escaped HTML: RSS description and content:encoded (which are also scanned for
    relative references), Atom type="html" title/summary/content (which are not)."""
    where = f"{node.parent.label}/{node.label}" if node.parent else node.label
    # SecurityRisk (warning): "<?import" anywhere, case-insensitive.
    if "<?import " in value.lower():
        log.warning("SecurityRisk", f"{where} should not contain ?import tag")
    parsed = _StrictHtml(value)
    if parsed.error:
        # NotHtml (warning): the escaped text does not parse as an HTML fragment without
        # errors (html5lib strict mode). The per-element checks below are then skipped.
        log.warning("NotHtml", f"{where}: invalid HTML ({parsed.error})")
    else:
        for tag, attrs in parsed.elements:
            if tag not in HTML_TAGS:
                # NotHtml (warning): an element that is not HTML (svg, math, custom tags).
                log.warning("NotHtml", f"{where}: non-html tag <{tag}>")
            elif tag not in SAFE_ELEMENTS:
                # SecurityRisk (warning): script, style, iframe, embed, object, applet, link,
                # meta, base, frame(set), title, xmp, listing, plaintext, bdo, ...
                log.warning("SecurityRisk", f"{where} should not contain <{tag}> tag")
            else:
                for attr, attr_value in attrs:
                    if attr == "style":
                        for evil in _unsafe_css(attr_value):
                            # DangerousStyleAttr (warning).
                            log.warning("DangerousStyleAttr",
                                        f"{where}: style attribute on <{tag}> contains potentially "
                                        f"dangerous content {evil!r}")
                    elif attr not in SAFE_ATTRIBUTES and not attr.startswith("data-"):
                        # SecurityRiskAttr (warning): onclick, onerror, aria-label, role, ...
                        log.warning("SecurityRiskAttr", f"{where} should not contain {attr} attribute "
                                                        f"(on <{tag}>)")
    if relative_refs:
        _check_relative_refs(node, value, log)


_ANCHOR = re.compile(r"""<a\s+href=(?:"(.*?)"|'(.*?)'|([\w-]+))[\s>]""", re.IGNORECASE)
_IMAGE = re.compile(r"""<img\s+[^>]*src=(?:"(.*?)"|'(.*?)'|([\w-]+))[\s>]""", re.IGNORECASE)


def _decode_refs(value: str) -> str:
    def one(match: re.Match[str]) -> str:
        word = match.group(1)
        if word.isdigit():
            return chr(int(word))
        if word in name2codepoint:
            return chr(name2codepoint[word])
        return match.group()
    return re.sub(r"&#?(\w+);", one, value)


def _check_relative_refs(node: _Node, value: str, log: _Log) -> None:
    # ContainsRelRef (warning), RSS description/content:encoded only (Atom resolves
    # relative references with xml:base, so the validator does not look there). Its scan
    # is textual: an <img ...src="..."> (the last src= in the tag, so data-src= counts
    # too) and an <a href="..."> whose FIRST attribute is href. The value (entities
    # decoded, trimmed) is relative unless it starts with "word:". A relative value with
    # a character outside the URI set is the error InvalidUriChar instead. Relative means
    # "/x", "x.html", "//cdn.example/x", "#fn1" and "" alike.
    where = f"{node.parent.label}/{node.label}" if node.parent else node.label
    refs = [next((g for g in groups if g), "") for groups in _IMAGE.findall(value) + _ANCHOR.findall(value)]
    for ref in refs:
        ref = _decode_refs(ref).strip()
        if re.match(r"\w+:", ref):
            continue
        bad = next((c for c in ref if ord(c) < 128 and not _URI_CHAR.match(c)), None)
        if bad is not None:
            log.error("InvalidUriChar", f"{where}: invalid character {bad!r} in URI {ref!r}")
        else:
            log.warning("ContainsRelRef", f"{where} should not contain relative URL references: {ref!r}")


# --------------------------------------------------------------------------- shared element checks

def _check_language(value: str, where: str, log: _Log) -> None:
    # InvalidLanguage (error): RSS <language>, dc:language, xml:lang and hreflang must start
    # with an ISO 639 code ("en", "en-GB", "de"); "en_US" or "english" fail.
    primary = value.split("-", 1)[0].lower()
    if primary not in ISO639:
        log.error("InvalidLanguage", f"{where} {value!r} must be an ISO-639 language code")


def _check_attributes(node: _Node, expected: set[str], log: _Log, *, rss_core: bool) -> None:
    # UnexpectedAttribute (error): an attribute the element does not define (xml:lang,
    # xml:base, xml:id, xml:space are always allowed). An attribute in an unknown namespace
    # is ignored, except on RSS 2.0 core elements, where it is UseOfExtensionAttr (warning).
    for (ns, name), value in node.attrs.items():
        if ns == XML_NS:
            continue  # xml:lang and xml:base are checked for every element in feed_messages
        if ns is None and name in expected:
            continue
        if ns is not None and ns not in KNOWN_NAMESPACES:
            if rss_core:
                log.warning("UseOfExtensionAttr", f"use of extension attribute on RSS 2.0 core element "
                                                  f"{node.label}: {{{ns}}}{name}")
            continue
        shown = name if ns is None else f"{KNOWN_NAMESPACES.get(ns, ns)}:{name}"
        log.error("UnexpectedAttribute", f"unexpected {shown} attribute on {node.label} element")


def _check_text_allowed(node: _Node, log: _Log) -> None:
    # UnexpectedText (error): non-whitespace text directly in a container element
    # (rss, channel, item, feed, entry, author, category).
    if node.text.strip():
        log.error("UnexpectedText", f"unexpected text in {node.label}: {_short(node.text)}")


def _check_no_children(node: _Node, log: _Log) -> None:
    # UndefinedElement (error): markup that was not escaped, e.g. a raw <p> inside
    # <description> or inside <content type="html">.
    for child in node.children:
        log.error("UndefinedElement", f"undefined {node.label} element: {child.label}")


def _check_unique_children(node: _Node, names: set[tuple[str | None, str]], log: _Log) -> None:
    # DuplicateElement (error): a single-valued element given twice in the same parent.
    seen: set[tuple[str | None, str]] = set()
    for child in node.children:
        key = (child.ns, child.name)
        if key in names:
            if key in seen:
                log.error("DuplicateElement", f"{node.label} contains more than one {child.label}")
            seen.add(key)


def _check_blank(node: _Node, log: _Log) -> bool:
    # NotBlank (warning): elements that must not be empty (titles, guid, category, ...).
    if not node.text.strip() and not node.children:
        log.warning("NotBlank", f"{node.parent.label if node.parent else ''}/{node.label} should not be blank")
        return False
    return True


@dataclass
class _Link:
    rel: str
    type: str
    href: str
    hreflang: str


_LINK_RELS = {"alternate", "current", "describedby", "edit", "edit-media", "enclosure", "first", "hub",
              "last", "license", "next", "next-archive", "payment", "prev-archive", "previous",
              "related", "replies", "search", "self", "service", "up", "via"}
_HISTORY_RELS = {"current", "first", "last", "next", "next-archive", "prev-archive", "previous"}
_MIME = re.compile(r"""[^\s()<>,;:\\"/\[\]?=]+/[^\s()<>,;:\\"/\[\]?=]+"""
                   r"""(\s*;\s*[^\s()<>,;:\\"/\[\]?=]+=("(\\"|[^"])*"|[^\s()<>,;:\\"/\[\]?=]+))*$""")


def _check_atom_link(node: _Node, ctx: "_Context") -> _Link:
    log = ctx.log
    _check_attributes(node, {"type", "title", "rel", "href", "length", "hreflang"}, log, rss_core=False)
    # AtomLinkNotEmpty (warning): atom:link carries its data in attributes, not text.
    if node.text.strip():
        log.warning("AtomLinkNotEmpty", f"{node.label} should not have text")
    rel = node.attr("rel")
    if rel is None:
        rel = "alternate"
    else:
        if rel.startswith("http://www.iana.org/assignments/relation/"):
            rel = rel[len("http://www.iana.org/assignments/relation/"):]
        # UnregisteredAtomLinkRel (warning): rel neither a registered name nor a full URI.
        if rel not in _LINK_RELS:
            try:
                rel_ascii = rel.encode("idna").decode("ascii")
            except UnicodeError:
                rel_ascii = rel
            if not _URI_FULL.match(rel_ascii):
                log.warning("UnregisteredAtomLinkRel", f"{node.label} rel={rel!r}: unregistered link relationship")
        if not rel:
            log.warning("AttrNotBlank", f"the rel attribute of {node.label} should not be blank")
        # FeedHistoryRelInEntry (warning): paging relations belong on the feed, not an entry.
        if rel in _HISTORY_RELS and node.parent is not None and node.parent.name == "entry":
            log.warning("FeedHistoryRelInEntry", f"{rel} link relation found in entry")
    link_type = node.attr("type") or ""
    if node.attr("type") is not None:
        # InvalidMIMEType (error); SelfNotAtom (warning): a self link must say it is an
        # Atom, RSS or RDF document.
        if not _MIME.match(link_type):
            log.error("InvalidMIMEType", f"{node.label} type={link_type!r} is not a valid MIME type")
        elif rel == "self" and link_type.split(";")[0] not in ("application/atom+xml", "application/rss+xml",
                                                                "application/rdf+xml"):
            log.warning("SelfNotAtom", f"self link type {link_type!r} references a non-Atom representation")
    title = node.attr("title")
    if title is not None and not title:
        log.warning("AttrNotBlank", f"the title attribute of {node.label} should not be blank")
    length = node.attr("length")
    if length is not None and not re.fullmatch(r"\s*\+?\d+\s*", length):
        log.error("InvalidNonNegativeInteger", f"{node.label} length must be a non-negative integer")
    hreflang = node.attr("hreflang") or ""
    if node.attr("hreflang") is not None:
        _check_language(hreflang, f"{node.label}@hreflang", log)
    href = node.attr("href")
    if href is None:
        # MissingHref (error).
        log.error("MissingHref", f"{node.label} must have an href attribute")
        return _Link(rel, link_type, "", hreflang)
    # href must be an IRI reference (InvalidIRI, error).
    _check_uri(href, f"{node.label}@href", log, full=False, iri=True, bad="InvalidIRI")
    if rel == "self" and node.parent is not None and node.parent.name in ("feed", "channel"):
        base = ctx.base_for(node)
        # RelativeSelf (warning): the self href has no host, and no xml:base attribute on
        # the link or its ancestors gives one (the document's own URL does not count).
        hosted = urlsplit(href).netloc
        current: _Node | None = node
        while not hosted and current is not None:
            declared = current.attrs.get((XML_NS, "base"))
            if declared is not None:
                hosted = urlsplit(declared).netloc
            current = current.parent
        if not hosted:
            log.warning("RelativeSelf", f"relative href value on self link: {href!r}")
        # SelfDoesntMatchLocation (warning): the self href, resolved against xml:base,
        # must be the URL the feed was fetched from (compared in canonical form). When a
        # feed is pasted into the form there is no location, so this warning always fires.
        resolved = urljoin(base, href)
        if resolved not in ctx.self_uris and resolved.split("#")[0] != base.split("#")[0]:
            if all(_canonical_uri(href) != _canonical_uri(uri) for uri in ctx.self_uris):
                log.warning("SelfDoesntMatchLocation",
                            f"self reference {href!r} doesn't match document location {ctx.location!r}")
    return _Link(rel, link_type, href, hreflang)


def _check_duplicate_alternates(links: list[_Link], where: str, log: _Log) -> None:
    # DuplicateAtomLink (error): two rel="alternate" links with the same type and hreflang.
    seen: set[tuple[str, str]] = set()
    for link in links:
        if link.rel != "alternate":
            continue
        if (link.type, link.hreflang) in seen:
            log.error("DuplicateAtomLink", f"{where}: duplicate alternate links with type {link.type!r} and "
                                           f"hreflang {link.hreflang!r}")
        seen.add((link.type, link.hreflang))


def _check_namespaces(doc: _Doc, feed_type: str, log: _Log) -> None:
    def walk(node: _Node, is_root: bool) -> None:
        for prefix, uri in node.prefixes.items():
            known_prefix = KNOWN_NAMESPACES.get(uri)
            if prefix is not None and prefix in _PREFIX_OWNER and prefix != "xml":
                # ReservedPrefix (warning): a well-known prefix bound to another namespace.
                if known_prefix != prefix:
                    log.warning("ReservedPrefix", f"the prefix {prefix!r} is generally associated with the "
                                                  f"namespace {_PREFIX_OWNER[prefix]!r}, not {uri!r}")
                elif prefix in ("atom", "xhtml") and feed_type == "atom":
                    # AvoidNamespacePrefix (warning): an Atom document should use the Atom
                    # and XHTML namespaces unprefixed.
                    log.warning("AvoidNamespacePrefix", f"avoid namespace prefix: {prefix}")
            elif known_prefix is not None:
                # A known namespace under another prefix is only an Info (NonstdPrefix),
                # but for the Atom/XHTML namespaces in an Atom feed, or on the document
                # element, it is AvoidNamespacePrefix (warning).
                if prefix and known_prefix in ("atom", "xhtml") and (feed_type == "atom" or is_root):
                    log.warning("AvoidNamespacePrefix", f"avoid namespace prefix: {prefix}")
            elif uri:
                # UnknownNamespace (warning): any namespace outside the validator's table.
                log.warning("UnknownNamespace", f"use of unknown namespace: {uri}")
        for child in node.children:
            walk(child, False)
    walk(doc.root, True)


def _walk(node: _Node):
    yield node
    for child in node.children:
        yield from _walk(child)


# --------------------------------------------------------------------------- context

@dataclass
class _Context:
    doc: _Doc
    log: _Log
    location: str
    now: float
    feed_type: str = "rss"

    @property
    def self_uris(self) -> list[str]:
        return [self.location]

    def base_for(self, node: _Node) -> str:
        chain = []
        current: _Node | None = node
        while current is not None:
            chain.append(current)
            current = current.parent
        base = self.location
        for ancestor in reversed(chain):
            declared = ancestor.attrs.get((XML_NS, "base"))
            if declared is not None:
                base = urljoin(base, declared)
        return base


# --------------------------------------------------------------------------- RSS 2.0

_CHANNEL_METADATA = {"title", "link", "description", "language", "copyright", "managingEditor", "webMaster",
                     "pubDate", "lastBuildDate", "category", "generator", "docs", "cloud", "ttl", "image",
                     "textInput", "skipHours", "skipDays"}
_CHANNEL_KNOWN = _CHANNEL_METADATA | {"item", "rating"}
_CHANNEL_SINGLE = {(None, n) for n in ("title", "link", "description", "language", "copyright",
                                       "managingEditor", "webMaster", "pubDate", "lastBuildDate",
                                       "generator", "docs", "cloud", "ttl", "image", "textInput")}
_ITEM_KNOWN = {"title", "link", "description", "author", "category", "comments", "enclosure", "guid",
               "pubDate", "source"}
_ITEM_SINGLE = {(None, n) for n in ("title", "link", "description", "author", "comments", "guid",
                                    "pubDate", "source")} | {(CONTENT, "encoded")}
_ATOM_IN_CHANNEL = {"author", "category", "contributor", "generator", "id", "icon", "link", "logo", "title",
                    "subtitle", "rights", "updated"}
_ATOM_IN_ITEM = {"id", "link", "title", "summary", "author", "contributor", "content", "published", "updated"}


def _check_rss(ctx: _Context) -> None:
    root, log = ctx.doc.root, ctx.log
    _check_attributes(root, {"version"}, log, rss_core=True)
    _check_text_allowed(root, log)
    version = root.attr("version")
    if version is None:
        # MissingAttribute (error).
        log.error("MissingAttribute", "missing rss attribute: version")
        version = "2.0"
    elif version not in ("0.91", "0.92", "2.0"):
        # InvalidRSSVersion (error).
        log.error("InvalidRSSVersion", f"invalid RSS version {version!r}")
    channels = root.kids(None, "channel")
    if not channels:
        # MissingElement (error): rss needs a channel.
        log.error("MissingElement", "missing rss element: channel")
    if len(channels) > 1:
        log.error("DuplicateElement", "rss contains more than one channel")
    for child in root.children:
        if child.ns is None and child.name != "channel":
            log.error("UndefinedElement", f"undefined rss element: {child.name}")
    for channel in channels:
        _check_channel(channel, version, ctx)


def _check_channel(channel: _Node, version: str, ctx: _Context) -> None:
    log, doc = ctx.log, ctx.doc
    _check_attributes(channel, set(), log, rss_core=True)
    _check_text_allowed(channel, log)
    _check_unique_children(channel, _CHANNEL_SINGLE, log)
    names = {c.name for c in channel.children if c.ns is None}
    # MissingDescription / MissingLink / MissingTitle (errors): the three required
    # channel elements.
    for required, rule in (("description", "MissingDescription"), ("link", "MissingLink"),
                           ("title", "MissingTitle")):
        if required not in names:
            log.error(rule, f"missing channel element: {required}")
    items_seen = 0
    guids: set[str] = set()
    has_self = False
    for child in channel.children:
        if child.ns is None:
            if child.name == "item":
                items_seen += 1
                _check_item(child, version, guids, ctx)
                continue
            if child.name in _CHANNEL_METADATA and items_seen:
                # MisplacedItem (warning, RSS Profile): channel metadata after an item.
                log.warning("MisplacedItem", f"channel element {child.name} appears after an item")
            if child.name not in _CHANNEL_KNOWN:
                if child.name == "blink":
                    log.error("NoBlink", "there is no blink element in RSS")
                else:
                    log.error("UndefinedElement", f"undefined channel element: {child.name}")
                continue
            _check_attributes(child, {"category": {"domain"}}.get(child.name, set())
                              | ({"domain", "port", "path", "registerProcedure", "protocol"}
                                 if child.name == "cloud" else set()), log, rss_core=True)
            if child.name in ("title", "description", "link", "language", "copyright", "pubDate",
                              "lastBuildDate", "generator", "category", "docs", "ttl", "managingEditor",
                              "webMaster"):
                _check_no_children(child, log)
            value = child.text.strip()
            if child.name == "title":
                if _check_blank(child, log):
                    _check_plain_text(child, value, doc, log, rule="ContainsHTML", rss=True)
            elif child.name == "description":
                _check_plain_text(child, value, doc, log, rule="ContainsHTML", rss=True)
            elif child.name == "copyright":
                _check_plain_text(child, value, doc, log, rule="ContainsHTML", rss=True)
            elif child.name == "category":
                # (A channel-level category may be empty; an item's may not.)
                _check_plain_text(child, value, doc, log, rule="ContainsHTML", rss=True)
            elif child.name in ("link", "docs"):
                _check_uri(value, f"channel/{child.name}", log, full=True, iri=False)
            elif child.name == "language":
                _check_language(value, "channel/language", log)
            elif child.name in ("pubDate", "lastBuildDate"):
                _check_rfc822(child, log, ctx.now)
            elif child.name == "ttl":
                if not re.fullmatch(r"[+-]?\d+", value) or int(value) <= 0:
                    log.error("InvalidPositiveInteger", "channel/ttl must be a positive integer")
            elif child.name in ("managingEditor", "webMaster"):
                _check_email_with_name(child, log)
            elif child.name == "textInput":
                # AvoidTextInput (warning, RSS Profile).
                log.warning("AvoidTextInput", "avoid textInput")
        elif child.ns == ATOM:
            if items_seen and child.name == "link":
                log.warning("MisplacedItem", "channel element atom:link appears after an item")
            if child.name == "link":
                link = _check_atom_link(child, ctx)
                has_self = has_self or link.rel == "self"
            elif child.name not in _ATOM_IN_CHANNEL:
                log.error("UndefinedElement", f"undefined channel element: atom:{child.name}")
        elif child.ns == DC:
            _check_dc(child, channel, log, ctx, item=False)
        elif child.ns in KNOWN_NAMESPACES and child.ns not in (CONTENT,):
            pass  # other known extensions: not used by digest
        elif child.ns == CONTENT:
            log.error("UndefinedElement", f"undefined channel element: content:{child.name}")
    # MissingAtomSelfLink (warning): an RSS 2.0 channel should name its own URL with
    # <atom:link rel="self" href="..." type="application/rss+xml"/>.
    if version == "2.0" and not has_self:
        log.warning("MissingAtomSelfLink", "missing atom:link with rel=\"self\"")


def _check_item(item: _Node, version: str, guids: set[str], ctx: _Context) -> None:
    log, doc = ctx.log, ctx.doc
    _check_attributes(item, set(), log, rss_core=True)
    _check_text_allowed(item, log)
    _check_unique_children(item, _ITEM_SINGLE, log)
    names = [c.name for c in item.children if c.ns is None]
    # ItemMustContainTitleOrDescription (error).
    if "title" not in names and "description" not in names:
        log.error("ItemMustContainTitleOrDescription", "item must contain either title or description")
    # MissingGuid (warning): every RSS 2.x item should have a guid. (A missing pubDate,
    # author or category is not reported at all: they are optional in RSS 2.0.)
    if "guid" not in names and version.startswith("2."):
        log.warning("MissingGuid", "item should contain a guid element")
    if names.count("enclosure") > 1:
        log.warning("DuplicateEnclosure", "item contains more than one enclosure")
    children_so_far: list[tuple[str | None, str]] = []
    for child in item.children:
        key = (child.ns, child.name)
        value = child.text.strip()
        if child.ns is None:
            if child.name not in _ITEM_KNOWN:
                log.error("UndefinedElement", f"undefined item element: {child.name}")
                continue
            expected = {"guid": {"isPermaLink"}, "category": {"domain"}, "source": {"url"},
                        "enclosure": {"url", "length", "type"}}.get(child.name, set())
            _check_attributes(child, expected, log, rss_core=True)
            if child.name != "enclosure":
                _check_no_children(child, log)
            if child.name == "title":
                if _check_blank(child, log):
                    _check_plain_text(child, value, doc, log, rule="ContainsHTML", rss=True)
            elif child.name == "description":
                _check_escaped_html(child, value, log, relative_refs=True)
            elif child.name in ("link", "comments"):
                _check_uri(value, f"item/{child.name}", log, full=True, iri=False)
            elif child.name == "guid":
                _check_guid(child, guids, log)
            elif child.name == "pubDate":
                if (DC, "date") in children_so_far:
                    log.warning("DuplicateItemSemantics", "an item should not include both pubDate and dc:date")
                _check_rfc822(child, log, ctx.now)
            elif child.name == "category":
                if (DC, "subject") in children_so_far:
                    log.warning("DuplicateItemSemantics", "an item should not include both category and dc:subject")
                if _check_blank(child, log):
                    _check_plain_text(child, value, doc, log, rule="ContainsHTML", rss=True)
            elif child.name == "author":
                if (DC, "creator") in children_so_far:
                    log.warning("DuplicateItemSemantics", "an item should not include both author and dc:creator")
                _check_email_with_name(child, log)
        elif child.ns == DC:
            _check_dc(child, item, log, ctx, item=True, before=children_so_far)
        elif child.ns == CONTENT:
            if child.name != "encoded":
                log.error("UndefinedElement", f"undefined item element: content:{child.name}")
            else:
                # NeedDescriptionBeforeContent (warning, RSS Profile): content:encoded
                # without a description before it.
                if (None, "description") not in children_so_far:
                    log.warning("NeedDescriptionBeforeContent", "ensure description precedes content:encoded")
                _check_no_children(child, log)
                _check_escaped_html(child, value, log, relative_refs=True)
        elif child.ns == ATOM:
            if child.name == "link":
                _check_atom_link(child, ctx)
            elif child.name not in _ATOM_IN_ITEM:
                log.error("UndefinedElement", f"undefined item element: atom:{child.name}")
            elif child.name in ("title", "content"):
                # DuplicateDescriptionSemantics (warning): atom:title/atom:content in an RSS
                # item duplicate title/description.
                log.warning("DuplicateDescriptionSemantics", f"avoid atom:{child.name}")
            elif child.name == "id" and item.kids(None, "guid"):
                log.warning("DuplicateItemSemantics", "an item should not include both guid and atom:id")
        children_so_far.append(key)


def _check_guid(node: _Node, guids: set[str], log: _Log) -> None:
    value = node.text.strip()
    permalink = node.attr("isPermaLink")
    if permalink is not None and permalink not in ("true", "false"):
        # InvalidBooleanAttribute (error).
        log.error("InvalidBooleanAttribute", "isPermaLink attribute of guid must be 'true' or 'false'")
    if not _check_blank(node, log):
        return
    # DuplicateValue (error): two items of a channel with the same guid.
    if value in guids:
        log.error("DuplicateValue", f"guid values must not be duplicated within a feed: {value!r}")
    guids.add(value)
    if permalink in (None, "true"):
        # A permalink guid (the default!) must be a full URL (InvalidHttpGUID, error), and
        # not a tag: or urn:uuid: (InvalidPermalink, error).
        if _check_uri(value, "item/guid", log, full=True, iri=False, bad="InvalidHttpGUID"):
            if value.lower().startswith(("tag:", "urn:uuid:")):
                log.error("InvalidPermalink", "guid must be a full URL, unless isPermaLink attribute is false")
    elif len(value) < 9 and value.isdigit():
        # NotSufficientlyUnique (warning): a short all-digit guid.
        log.warning("NotSufficientlyUnique", f"the guid {value!r} is not sufficiently unique")


def _check_email_with_name(node: _Node, log: _Log) -> None:
    # RSS author/managingEditor/webMaster hold an e-mail address: "x@y.org (Real Name)".
    # Without "@" it is InvalidContact (error); with "@" but no "(Name)" it is
    # MissingRealName or EmailFormat (warnings). Use dc:creator for a plain name.
    value = node.text.strip()
    if "@" not in value:
        log.error("InvalidContact", f"{node.parent.label}/{node.label} {value!r}: invalid email address")
    elif not value.endswith(")"):
        if " " in value:
            log.warning("EmailFormat", f"{node.label} {value!r}: email address is not in the recommended format")
        else:
            log.warning("MissingRealName", f"{node.label} {value!r}: email address is missing real name")


def _check_dc(node: _Node, parent: _Node, log: _Log, ctx: _Context, *, item: bool,
              before: list[tuple[str | None, str]] | None = None) -> None:
    # Dublin Core extension elements: unknown names are UndefinedElement (error); a few are
    # typed. dc:creator is free text (no e-mail needed, no HTML check). Pairing one with its
    # RSS core twin is DuplicateItemSemantics / DuplicateSemantics (warning).
    if node.name not in DC_ELEMENTS:
        log.error("UndefinedElement", f"undefined {parent.label} element: dc:{node.name}")
        return
    _check_no_children(node, log)
    value = node.text.strip()
    if item:
        twins = {"creator": "author", "subject": "category", "date": "pubDate", "source": "source"}
        present = set(before or [])
    else:
        twins = {"creator": "managingEditor", "subject": "category", "date": "pubDate",
                 "language": "language", "rights": "copyright", "publisher": "webMaster"}
        present = {(c.ns, c.name) for c in parent.children}
    twin = twins.get(node.name)
    if twin and (None, twin) in present:
        rule = "DuplicateItemSemantics" if item else "DuplicateSemantics"
        log.warning(rule, f"{'an item' if item else 'a channel'} should not include both {twin} and dc:{node.name}")
    if node.name == "language":
        _check_language(value, f"{parent.label}/dc:language", log)
    elif node.name == "date":
        _check_w3cdtf(node, log, ctx.now)
    elif node.name == "rights":
        _check_plain_text(node, value, ctx.doc, log, rule="ContainsHTML", rss=ctx.feed_type == "rss")


def _check_w3cdtf(node: _Node, log: _Log, now: float) -> None:
    # dc:date is a W3C-DTF date (InvalidW3CDTFDate, error): a time needs a zone.
    value = node.text.strip()
    if not re.match(r"\d{4}(-\d\d(-\d\d(T\d\d:\d\d(:\d\d(\.\d*)?)?(Z|[+-]\d\d:\d\d))?)?)?$", value):
        log.error("InvalidW3CDTFDate", f"{node.label} {value!r} must be an W3CDTF date")
        return
    tomorrow = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + 86400))
    if value < "1990-01-01" or value > tomorrow:
        log.warning("ImplausibleDate", f"{node.label} {value!r} is an implausible date")


# --------------------------------------------------------------------------- Atom 1.0

_FEED_METADATA = {"author", "category", "contributor", "generator", "icon", "id", "link", "logo", "rights",
                  "subtitle", "title", "updated"}
_FEED_SINGLE = {(ATOM, n) for n in ("generator", "icon", "id", "logo", "rights", "subtitle", "title", "updated")}
_ENTRY_KNOWN = {"author", "category", "content", "contributor", "id", "link", "published", "rights", "source",
                "summary", "title", "updated"}
_ENTRY_SINGLE = {(ATOM, n) for n in ("content", "id", "published", "rights", "source", "summary", "title",
                                     "updated")}


def _check_atom(ctx: _Context) -> None:
    feed, log = ctx.doc.root, ctx.log
    _check_attributes(feed, set(), log, rss_core=False)
    _check_text_allowed(feed, log)
    _check_unique_children(feed, _FEED_SINGLE, log)
    links: list[_Link] = []
    metadata_checked = False
    entries = 0
    ids: list[str] = []
    updated_seen: list[str] = []
    duplicate_ids = 0
    feed_has_author = False

    def check_metadata() -> None:
        present = {c.name for c in feed.children[:index] if c.ns == ATOM}
        # MissingElement (error): a feed needs title, id and updated (checked when the
        # first entry starts, so they must come before the entries).
        for required in ("title", "id", "updated"):
            if required not in present:
                log.error("MissingElement", f"missing feed element: {required}")
        # MissingSelf (warning): the feed should have <link rel="self" href="its URL"/>.
        if not any(link.rel == "self" for link in links):
            log.warning("MissingSelf", "missing atom:link with rel=\"self\"")
        _check_duplicate_alternates(links, "feed", log)

    for index, child in enumerate(feed.children):
        if child.ns != ATOM:
            _check_atom_extension(child, feed, ctx)
            continue
        if child.name == "entry":
            if not metadata_checked:
                check_metadata()
                metadata_checked = True
            entries += 1
            entry_id, entry_updated = _check_entry(child, feed_has_author, ctx)
            if entry_id:
                # DuplicateEntries (warning): two entries with the same atom:id. When all of
                # more than nine entries share one id it becomes DuplicateIds (error).
                if entry_id in ids:
                    duplicate_ids += 1
                    log.warning("DuplicateEntries", f"two entries with the same id {entry_id!r}")
                else:
                    ids.append(entry_id)
            if entry_updated:
                # DuplicateUpdated (warning): an entry's atom:updated text equals that of an
                # earlier entry in the same feed (exact string comparison after trimming;
                # "2024-03-30T00:00:00Z" and "2024-03-30T00:00:00+00:00" do not match).
                if entry_updated in updated_seen:
                    log.warning("DuplicateUpdated", f"two entries share atom:updated {entry_updated}")
                else:
                    updated_seen.append(entry_updated)
            continue
        if child.name not in _FEED_METADATA:
            log.error("UndefinedElement", f"undefined feed element: {child.name}")
            continue
        if entries:
            # MisplacedMetadata (error): feed metadata after the first entry.
            log.error("MisplacedMetadata", f"{child.name} must appear before all entries")
        if child.name == "author":
            feed_has_author = True
            _check_person(child, ctx)
        elif child.name == "contributor":
            _check_person(child, ctx)
        elif child.name == "link":
            links.append(_check_atom_link(child, ctx))
        elif child.name == "id":
            _check_atom_id(child, log)
        elif child.name == "updated":
            _check_rfc3339(child, log, ctx.now)
        elif child.name in ("title", "subtitle", "rights"):
            _check_text_construct(child, ctx, content=False)
        elif child.name == "category":
            _check_category(child, ctx)
        elif child.name == "generator":
            _check_attributes(child, {"uri", "version"}, log, rss_core=False)
            _check_no_children(child, log)
            if _check_blank(child, log):
                _check_plain_text(child, child.text.strip(), ctx.doc, log, rule="ContainsHTML", rss=False)
            uri = child.attr("uri")
            if uri is not None:
                _check_uri(uri, "generator@uri", log, full=False, iri=False, bad="InvalidURIAttribute")
        elif child.name in ("icon", "logo"):
            _check_no_children(child, log)
            if _check_blank(child, log):
                _check_uri(child.text.strip(), f"feed/{child.name}", log, full=False, iri=False, bad="InvalidLink")
    if not metadata_checked:
        index = len(feed.children)
        check_metadata()
    if entries > 9 and entries == duplicate_ids + 1:
        log.error("DuplicateIds", "all entries have the same id")
        log.messages[:] = [m for m in log.messages if not m.startswith("warning DuplicateEntries")]


def _check_atom_extension(node: _Node, parent: _Node, ctx: _Context) -> None:
    # Elements in other namespaces: Dublin Core is known (unknown dc: names are
    # UndefinedElement, error); unknown namespaces are reported at their declaration.
    if node.ns == DC:
        if node.name not in DC_ELEMENTS:
            ctx.log.error("UndefinedElement", f"undefined {parent.label} element: dc:{node.name}")
    elif node.ns is None:
        # UndeterminableVocabulary (warning): an element in no namespace inside Atom.
        ctx.log.warning("UndeterminableVocabulary", f"missing namespace for {node.name}")


def _check_atom_id(node: _Node, log: _Log) -> str | None:
    raw = node.text
    where = f"{node.parent.label}/id" if node.parent else "id"
    _check_no_children(node, log)
    if raw != raw.strip():
        log.error("UnexpectedWhitespace", f"{where} must not have leading or trailing whitespace")
    value = raw.strip()
    if not _check_blank(node, log):
        return None
    # An id must be a full URI/IRI without non-ASCII (InvalidFullLink, InvalidURN,
    # InvalidUUID, ... errors) and in canonical form (NonCanonicalURI, warning: lower-case
    # scheme and host, no default port, "/" for an empty path, upper-case %-escapes, no
    # needless %-escapes, no "." segments, NFC).
    if _check_uri(value, where, log, full=True, iri=False):
        canonical = _canonical_uri(value)
        if canonical is None or canonical != raw:
            log.warning("NonCanonicalURI", f"identifier {raw!r} is not in canonical form "
                                           f"(the canonical form would be {canonical or 'N/A'!r})")
    return value


def _check_person(node: _Node, ctx: _Context) -> None:
    log = ctx.log
    _check_attributes(node, set(), log, rss_core=False)
    _check_text_allowed(node, log)
    names = node.kids(ATOM, "name")
    # MissingElement (error): an author/contributor needs a name.
    if not names:
        log.error("MissingElement", f"missing {node.label} element: name")
    _check_unique_children(node, {(ATOM, "name"), (ATOM, "email"), (ATOM, "uri")}, log)
    for child in node.children:
        value = child.text.strip()
        if child.ns != ATOM:
            continue
        _check_no_children(child, log)
        if child.name == "name":
            if _check_blank(child, log):
                _check_plain_text(child, value, ctx.doc, log, rule="ContainsHTML", rss=False)
                # ContainsEmail (warning): "<someone@example.org>" in a name.
                if re.search(r"<[A-Z0-9_\-+.']+@(([0-9]{1,3}\.){3}|([A-Z0-9\-]+\.)+)[A-Z0-9][-A-Z0-9]*>", value, re.I):
                    log.warning("ContainsEmail", f"{node.label}/name should not include email address")
        elif child.name == "email":
            # InvalidAddrSpec (error).
            if not re.match(r"[A-Z0-9_\-+.']+@(([0-9]{1,3}\.){3}|([A-Z0-9\-]+\.)+)[A-Z0-9][-A-Z0-9]*$", value, re.I):
                log.error("InvalidAddrSpec", f"{node.label}/email must be an email address")
        elif child.name == "uri":
            if child.text != value:
                log.error("UnexpectedWhitespace", f"{node.label}/uri must not have surrounding whitespace")
            if _check_blank(child, log):
                _check_uri(value, f"{node.label}/uri", log, full=False, iri=True, bad="InvalidIRI")
        else:
            log.error("UndefinedElement", f"undefined {node.label} element: {child.name}")


def _check_category(node: _Node, ctx: _Context) -> None:
    log = ctx.log
    _check_attributes(node, {"term", "scheme", "label"}, log, rss_core=False)
    _check_text_allowed(node, log)
    term = node.attr("term")
    # MissingAttribute (error): atom:category needs term; an empty term is NotBlank
    # (warning). Any other term is fine, spaces included ("Islamic State").
    if term is None:
        log.error("MissingAttribute", "missing category attribute: term")
    elif not term:
        log.warning("NotBlank", "category term should not be blank")
    scheme = node.attr("scheme")
    if scheme is not None:
        _check_uri(scheme, "category@scheme", log, full=True, iri=False)
    label = node.attr("label")
    if label is not None:
        _check_plain_text(node, label, ctx.doc, log, rule="ContainsHTML", rss=False)


def _check_text_construct(node: _Node, ctx: _Context, *, content: bool) -> None:
    """title, subtitle, rights, summary (content=False) and content (content=True)."""
    log = ctx.log
    _check_attributes(node, {"type", "src"}, log, rss_core=False)
    where = f"{node.parent.label}/{node.label}" if node.parent else node.label
    kind = node.attr("type")
    src = node.attr("src")
    if kind is None:
        kind = "" if src is not None else "text"
    elif not kind:
        log.warning("AttrNotBlank", f"the type attribute of {where} should not be blank")
    if not content and "/" in kind:
        # InvalidTextType (error): title/subtitle/rights/summary take text, html or xhtml.
        log.error("InvalidTextType", f"{where}: type attribute must be \"text\", \"html\", or \"xhtml\"")
    if content and kind == "multipart/alternative":
        log.error("InvalidMIMEType", f"{where}: not a valid MIME type")
    if src is not None:
        _check_uri(src, f"{where}@src", log, full=False, iri=False, bad="InvalidURIAttribute")
        if node.attr("type") is None:
            log.warning("MissingTypeAttr", f"missing {where} attribute: type")
    if kind not in ("text", "html", "xhtml") and kind and not _MIME.match(kind):
        log.error("InvalidMIMEType", f"{where}: not a valid MIME type")
    value = node.text
    if kind == "xhtml":
        divs = [c for c in node.children if c.ns == XHTML and c.name == "div"]
        if not divs:
            log.error("MissingXhtmlDiv", f"{where}: missing xhtml:div element")
        return
    if node.children and not (kind.endswith("+xml") or kind.endswith("/xml")):
        _check_no_children(node, log)
    if kind == "text":
        # ContainsUndeclaredHTML (warning): type="text" (the default) that looks like HTML.
        _check_plain_text(node, value, ctx.doc, log, rule="ContainsUndeclaredHTML", rss=False)
    elif kind == "html" or kind.endswith("/html"):
        _check_escaped_html(node, value, log, relative_refs=False)
        if kind.endswith("/html") and "<html" not in value and src is None:
            # HtmlFragment (warning): type="text/html" promises a whole document.
            log.warning("HtmlFragment", f"{where}: {kind} type used for a document fragment")
    elif "/" in kind and not (kind.endswith("+xml") or kind.endswith("/xml") or kind.startswith("text/")):
        if src is None and not re.fullmatch(r"[A-Za-z0-9+/=\s]*", value):
            log.error("NotBase64", f"{where} claims to be base64-encoded, but isn't")
    elif kind.startswith("text/"):
        _check_plain_text(node, value, ctx.doc, log, rule="ContainsUndeclaredHTML", rss=False)
    # NotBlank (warning): an empty text construct without src.
    if not value and not node.children and src is None:
        log.warning("NotBlank", f"{where} should not be blank")


def _check_entry(entry: _Node, feed_has_author: bool, ctx: _Context) -> tuple[str | None, str | None]:
    log = ctx.log
    _check_attributes(entry, set(), log, rss_core=False)
    _check_text_allowed(entry, log)
    _check_unique_children(entry, _ENTRY_SINGLE, log)
    names = [c.name for c in entry.children if c.ns == ATOM]
    # MissingElement (error): an entry needs title, id, updated, and an author unless the
    # feed has one (before this entry).
    for required in ("title", "id", "updated"):
        if required not in names:
            log.error("MissingElement", f"missing entry element: {required}")
    if "author" not in names and not feed_has_author:
        log.error("MissingElement", "missing entry element: author")
    links: list[_Link] = []
    entry_id = entry_updated = None
    content: _Node | None = None
    for child in entry.children:
        if child.ns != ATOM:
            _check_atom_extension(child, entry, ctx)
            continue
        if child.name not in _ENTRY_KNOWN:
            log.error("UndefinedElement", f"undefined entry element: {child.name}")
        elif child.name == "id":
            entry_id = _check_atom_id(child, log)
        elif child.name == "updated":
            _check_no_children(child, log)
            _check_rfc3339(child, log, ctx.now)
            entry_updated = child.text.strip() or None  # compared even when not a valid date
        elif child.name == "published":
            _check_no_children(child, log)
            _check_rfc3339(child, log, ctx.now)
        elif child.name == "link":
            links.append(_check_atom_link(child, ctx))
        elif child.name in ("author", "contributor"):
            _check_person(child, ctx)
        elif child.name == "category":
            _check_category(child, ctx)
        elif child.name in ("title", "summary", "rights"):
            _check_text_construct(child, ctx, content=False)
        elif child.name == "content":
            content = child
            _check_text_construct(child, ctx, content=True)
    if content is None:
        # MissingTextualContent (warning): no content and no summary.
        # MissingContentOrAlternate (error): no content and no rel="alternate" link.
        if "summary" not in names:
            log.warning("MissingTextualContent", "entry has no content and no summary")
        if not any(link.rel == "alternate" for link in links):
            log.error("MissingContentOrAlternate", "entry has no content and no alternate link")
    elif "summary" not in names:
        # MissingSummary (error): content given by src, or in a non-text media type.
        kind = content.attr("type") or ""
        if content.attr("src") is not None or ("/" in kind and not (
                kind.endswith("+xml") or kind.endswith("/xml") or kind.startswith("text/"))):
            log.error("MissingSummary", "entry with non-textual content needs a summary")
    _check_duplicate_alternates(links, "entry", log)
    return entry_id, entry_updated


# --------------------------------------------------------------------------- entry point

def feed_messages(xml_bytes: bytes, location: str, *, now: float | None = None) -> list[str]:
    """Every Error and Warning the W3C Feed Validation Service would report for this feed
    when fetched from ``location``, as "error Rule: ..." / "warning Rule: ..." lines.

    ``now`` (seconds since the epoch) stands for the moment of validation, for the
    ImplausibleDate rule; by default the current time.
    """
    log = _Log()
    doc = _parse(xml_bytes, log)
    if doc is None:
        return log.messages
    ctx = _Context(doc, log, location, time.time() if now is None else now)
    root = doc.root
    if root.ns is None and root.name == "rss":
        ctx.feed_type = "rss"
    elif root.ns == ATOM and root.name == "feed":
        ctx.feed_type = "atom"
    else:
        if root.name == "feed" and root.ns is None:
            log.error("MissingNamespace", "missing namespace for feed")
        elif root.name == "rss":
            log.error("InvalidNamespace", f"rss is in an invalid namespace: {root.ns}")
        else:
            log.error("UndefinedElement", f"undefined root element: {root.label}")
        return log.messages
    _check_namespaces(doc, ctx.feed_type, log)
    for node in _walk(root):
        _check_bad_characters(node, log)
        lang = node.attrs.get((XML_NS, "lang"))
        if lang:
            _check_language(lang, f"{node.label}@xml:lang", log)
        base = node.attrs.get((XML_NS, "base"))
        if base is not None:
            _check_uri(base, f"{node.label}@xml:base", log, full=False, iri=True, bad="InvalidIRI")
    if ctx.feed_type == "rss":
        _check_rss(ctx)
    else:
        _check_atom(ctx)
    return log.messages

