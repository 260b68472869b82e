"""Tests of tests/feedcheck.py, our restatement of the W3C Feed Validation Service's rules.

Each case starts from a hand-written feed that must get no message at all and changes one
thing; the rule that change breaks must fire (and, for the "quiet" cases, nothing may).
"""

from __future__ import annotations

import calendar

import pytest

from tests.feedcheck import feed_messages

NOW = calendar.timegm((2024, 4, 1, 12, 0, 0))  # the moment of "validation"
RSS_URL = "https://example.org/rss.xml"
ATOM_URL = "https://example.org/atom.xml"

GOOD_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Example News</title>
<link>https://example.org/</link>
<description>News, cleaned and collected.</description>
<language>en</language>
<lastBuildDate>Sat, 30 Mar 2024 10:00:00 GMT</lastBuildDate>
<generator>digest</generator>
<atom:link href="https://example.org/rss.xml" rel="self" type="application/rss+xml"/>
<item>
<title>Kremlin says AT&amp;T &#39;pained&#39;</title>
<link>https://example.org/articles/first/</link>
<guid isPermaLink="false">urn:uuid:d0a195da-1bee-55d3-adee-c4e111133f09</guid>
<pubDate>Sat, 30 Mar 2024 10:00:00 +0000</pubDate>
<dc:creator>AFP</dc:creator>
<category>Islamic State</category>
<category>Moscow</category>
<description>&lt;p&gt;First &lt;a href="https://example.org/x?a=1&amp;amp;b=2"&gt;link&lt;/a&gt; &amp;amp; more.&lt;/p&gt;
&lt;p&gt;&lt;img src="https://example.org/i.png" alt=""&gt;&lt;/p&gt;</description>
</item>
<item>
<title>An undated item</title>
<link>https://example.org/articles/second/</link>
<guid isPermaLink="false">urn:uuid:6aa34f43-1893-5c17-897b-6b19f6399d53</guid>
<description>&lt;p&gt;No pubDate: optional in RSS 2.0.&lt;/p&gt;</description>
</item>
</channel>
</rss>
"""

GOOD_ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<title>Example News</title>
<subtitle>News, cleaned and collected.</subtitle>
<link href="https://example.org/atom.xml" rel="self" type="application/atom+xml"/>
<link href="https://example.org/" rel="alternate" type="text/html"/>
<id>https://example.org/atom.xml</id>
<updated>2024-03-30T10:00:00Z</updated>
<author><name>The editors</name></author>
<generator>digest</generator>
<entry>
<title>Kremlin says AT&amp;T &#39;pained&#39;</title>
<link href="https://example.org/articles/first/" rel="alternate" type="text/html"/>
<id>urn:uuid:d0a195da-1bee-55d3-adee-c4e111133f09</id>
<published>2024-03-30T10:00:00Z</published>
<updated>2024-03-30T10:00:00Z</updated>
<author><name>AFP</name></author>
<category term="Islamic State"/>
<summary>First link &amp; more.</summary>
<content type="html">&lt;p&gt;First &lt;a href="/relative/is/fine/in/atom"&gt;link&lt;/a&gt; &amp;amp; more.&lt;/p&gt;</content>
</entry>
<entry>
<title>An undated entry</title>
<link href="https://example.org/articles/second/" rel="alternate" type="text/html"/>
<id>urn:uuid:6aa34f43-1893-5c17-897b-6b19f6399d53</id>
<updated>2024-03-29T08:00:00Z</updated>
<content type="html">&lt;p&gt;No author here: the feed has one.&lt;/p&gt;</content>
</entry>
</feed>
"""

FIRST_GUID = "urn:uuid:d0a195da-1bee-55d3-adee-c4e111133f09"
SECOND_GUID = "urn:uuid:6aa34f43-1893-5c17-897b-6b19f6399d53"
FIRST_ITEM_TITLE = "<title>Kremlin says AT&amp;T &#39;pained&#39;</title>"
FIRST_DESCRIPTION = ('<description>&lt;p&gt;First &lt;a href="https://example.org/x?a=1&amp;amp;b=2"&gt;link&lt;/a&gt; '
                     '&amp;amp; more.&lt;/p&gt;\n&lt;p&gt;&lt;img src="https://example.org/i.png" alt=""&gt;&lt;/p&gt;'
                     '</description>')
FIRST_CONTENT = ('<content type="html">&lt;p&gt;First &lt;a href="/relative/is/fine/in/atom"&gt;link&lt;/a&gt; '
                 '&amp;amp; more.&lt;/p&gt;</content>')


def check(feed: str, location: str) -> list[str]:
    return feed_messages(feed.encode("utf-8"), location, now=NOW)


def change(feed: str, old: str, new: str) -> str:
    assert old in feed, old
    return feed.replace(old, new, 1)


def rules(messages: list[str]) -> set[str]:
    return {m.split(":", 1)[0] for m in messages}


def rss_description(html_escaped: str) -> str:
    return change(GOOD_RSS, FIRST_DESCRIPTION, f"<description>{html_escaped}</description>")


def rss_date(value: str) -> str:
    """The good feed with its first item's pubDate replaced."""
    return change(GOOD_RSS, "Sat, 30 Mar 2024 10:00:00 +0000", value)


def atom_content(html_escaped: str) -> str:
    return change(GOOD_ATOM, FIRST_CONTENT, f'<content type="html">{html_escaped}</content>')


def test_good_feeds_get_no_message() -> None:
    assert check(GOOD_RSS, RSS_URL) == []
    assert check(GOOD_ATOM, ATOM_URL) == []


def test_messages_name_their_rule() -> None:
    feed = change(GOOD_ATOM, "<updated>2024-03-29T08:00:00Z</updated>", "<updated>2024-03-30T10:00:00Z</updated>")
    assert check(feed, ATOM_URL) == ["warning DuplicateUpdated: two entries share atom:updated 2024-03-30T10:00:00Z"]


RSS_CASES = [
    # (id, changed feed, location, expected "level Rule")
    ("no self link", change(GOOD_RSS, '<atom:link href="https://example.org/rss.xml" rel="self" '
                                      'type="application/rss+xml"/>\n', ""), RSS_URL, "warning MissingAtomSelfLink"),
    ("self elsewhere", GOOD_RSS, "https://example.org/feed/rss.xml", "warning SelfDoesntMatchLocation"),
    ("self http vs https", GOOD_RSS, "http://example.org/rss.xml", "warning SelfDoesntMatchLocation"),
    ("pasted, no location", GOOD_RSS, "", "warning SelfDoesntMatchLocation"),
    ("relative self", change(GOOD_RSS, 'href="https://example.org/rss.xml"', 'href="/rss.xml"'), RSS_URL,
     "warning RelativeSelf"),
    ("self not a feed type", change(GOOD_RSS, 'type="application/rss+xml"', 'type="text/html"'), RSS_URL,
     "warning SelfNotAtom"),
    ("unregistered rel", change(GOOD_RSS, 'rel="self"', 'rel="homepage"'), RSS_URL,
     "warning UnregisteredAtomLinkRel"),
    ("no guid", change(GOOD_RSS, f'<guid isPermaLink="false">{SECOND_GUID}</guid>\n', ""), RSS_URL,
     "warning MissingGuid"),
    ("same guid twice", change(GOOD_RSS, SECOND_GUID, FIRST_GUID), RSS_URL, "error DuplicateValue"),
    ("short numeric guid", change(GOOD_RSS, SECOND_GUID, "12345"), RSS_URL,
     "warning NotSufficientlyUnique"),
    ("permalink guid not a URL", change(GOOD_RSS, f'<guid isPermaLink="false">{SECOND_GUID}', "<guid>article-2"),
     RSS_URL, "error InvalidHttpGUID"),
    ("permalink guid urn:uuid", change(GOOD_RSS, '<guid isPermaLink="false">urn', "<guid>urn"), RSS_URL,
     "error InvalidPermalink"),
    ("bad isPermaLink", change(GOOD_RSS, 'isPermaLink="false"', 'isPermaLink="no"'), RSS_URL,
     "error InvalidBooleanAttribute"),
    ("HTML tag in title", change(GOOD_RSS, FIRST_ITEM_TITLE, "<title>&lt;b&gt;Bold&lt;/b&gt; news</title>"), RSS_URL,
     "warning ContainsHTML"),
    ("double-escaped entity in title", change(GOOD_RSS, FIRST_ITEM_TITLE, "<title>Tom &amp;amp; Jerry</title>"),
     RSS_URL, "warning ContainsHTML"),
    ("double-escaped numeric reference in title", change(GOOD_RSS, FIRST_ITEM_TITLE, "<title>It&amp;#39;s</title>"),
     RSS_URL, "warning ContainsHTML"),
    ("markup-like text in title", change(GOOD_RSS, FIRST_ITEM_TITLE, "<title>Why a &lt;b matters</title>"), RSS_URL,
     "warning CharacterData"),
    ("HTML in channel description", change(GOOD_RSS, "<description>News, cleaned and collected.</description>",
                                           "<description>&lt;p&gt;News&lt;/p&gt;</description>"), RSS_URL,
     "warning ContainsHTML"),
    ("HTML in category",
     change(GOOD_RSS, "<category>Moscow</category>", "<category>&lt;i&gt;Moscow&lt;/i&gt;</category>"), RSS_URL,
     "warning ContainsHTML"),
    ("empty category", change(GOOD_RSS, "<category>Moscow</category>", "<category></category>"), RSS_URL,
     "warning NotBlank"),
    ("empty title", change(GOOD_RSS, FIRST_ITEM_TITLE, "<title></title>"), RSS_URL, "warning NotBlank"),
    ("root-relative link in description", rss_description('&lt;a href="/articles/x/"&gt;x&lt;/a&gt;'), RSS_URL,
     "warning ContainsRelRef"),
    ("relative image", rss_description('&lt;img src="pics/a.png" alt=""&gt;'), RSS_URL, "warning ContainsRelRef"),
    ("fragment link", rss_description('&lt;p&gt;See&lt;a href="#fn1"&gt;1&lt;/a&gt;&lt;/p&gt;'), RSS_URL,
     "warning ContainsRelRef"),
    ("protocol-relative image", rss_description('&lt;img alt="" src="//cdn.example.org/a.png"&gt;'), RSS_URL,
     "warning ContainsRelRef"),
    ("lazy image data-src", rss_description('&lt;img src="https://e.org/a.png" data-src="/b.png" alt=""&gt;'), RSS_URL,
     "warning ContainsRelRef"),
    ("relative link with a space", rss_description('&lt;a href="/a b"&gt;x&lt;/a&gt;'), RSS_URL,
     "error InvalidUriChar"),
    ("relative link in content:encoded",
     change(change(GOOD_RSS, 'xmlns:dc=', 'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc='),
            "</description>\n</item>\n<item>",
            '</description>\n<content:encoded>&lt;a href="/x"&gt;x&lt;/a&gt;</content:encoded>\n</item>\n<item>'),
     RSS_URL, "warning ContainsRelRef"),
    ("content:encoded before description",
     change(change(GOOD_RSS, 'xmlns:dc=', 'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc='),
            "<description>&lt;p&gt;No pubDate",
            "<content:encoded>&lt;p&gt;x&lt;/p&gt;</content:encoded>\n<description>&lt;p&gt;No pubDate"),
     RSS_URL, "warning NeedDescriptionBeforeContent"),
    ("bare ampersand in HTML", rss_description("&lt;p&gt;AT&amp;T&lt;/p&gt;"), RSS_URL, "warning NotHtml"),
    ("unescaped ampersand in href", rss_description('&lt;a href="https://e.org/?a=1&amp;b=2"&gt;x&lt;/a&gt;'), RSS_URL,
     "warning NotHtml"),
    ("entity without semicolon", rss_description("&lt;p&gt;&amp;copy 2024&lt;/p&gt;"), RSS_URL, "warning NotHtml"),
    ("unclosed inline element", rss_description("&lt;p&gt;&lt;em&gt;x&lt;/p&gt;"), RSS_URL, "warning NotHtml"),
    ("stray end tag", rss_description("&lt;p&gt;x&lt;/p&gt;&lt;/div&gt;"), RSS_URL, "warning NotHtml"),
    ("bare less-than", rss_description("&lt;p&gt;a &lt; b&lt;/p&gt;"), RSS_URL, "warning NotHtml"),
    ("self-closed p", rss_description("&lt;p/&gt;"), RSS_URL, "warning NotHtml"),
    ("duplicate attribute", rss_description('&lt;p class="a" class="b"&gt;x&lt;/p&gt;'), RSS_URL, "warning NotHtml"),
    ("misnested tags", rss_description("&lt;b&gt;&lt;i&gt;x&lt;/b&gt;&lt;/i&gt;"), RSS_URL, "warning NotHtml"),
    ("non-HTML element", rss_description("&lt;custom-box&gt;x&lt;/custom-box&gt;"), RSS_URL, "warning NotHtml"),
    ("svg", rss_description('&lt;svg&gt;&lt;circle r="1"/&gt;&lt;/svg&gt;'), RSS_URL, "warning NotHtml"),
    ("script", rss_description("&lt;script&gt;alert(1)&lt;/script&gt;"), RSS_URL, "warning SecurityRisk"),
    ("iframe", rss_description('&lt;iframe src="https://e.org/v"&gt;&lt;/iframe&gt;'), RSS_URL, "warning SecurityRisk"),
    ("embed", rss_description('&lt;embed src="https://e.org/v.swf"&gt;'), RSS_URL, "warning SecurityRisk"),
    ("object", rss_description('&lt;object data="https://e.org/v"&gt;&lt;/object&gt;'), RSS_URL,
     "warning SecurityRisk"),
    ("style element", rss_description("&lt;style&gt;p{color:red}&lt;/style&gt;"), RSS_URL, "warning SecurityRisk"),
    ("event handler", rss_description('&lt;p onclick="x()"&gt;x&lt;/p&gt;'), RSS_URL, "warning SecurityRiskAttr"),
    ("aria attribute", rss_description('&lt;span aria-label="x"&gt;x&lt;/span&gt;'), RSS_URL,
     "warning SecurityRiskAttr"),
    ("unlisted CSS property", rss_description('&lt;p style="max-width: 100%"&gt;x&lt;/p&gt;'), RSS_URL,
     "warning DangerousStyleAttr"),
    ("url() in CSS", rss_description('&lt;p style="background: url(x.png)"&gt;x&lt;/p&gt;'), RSS_URL,
     "warning DangerousStyleAttr"),
    ("unescaped markup in description", rss_description("<p>raw</p>"), RSS_URL, "error UndefinedElement"),
    ("ISO 8601 pubDate", rss_date("2024-03-30T10:00:00Z"), RSS_URL,
     "error InvalidRFC2822Date"),
    ("UTC zone", rss_date("Sat, 30 Mar 2024 10:00:00 UTC"), RSS_URL,
     "error InvalidRFC2822Date"),
    ("February 30", rss_date("30 Feb 2024 10:00:00 GMT"), RSS_URL,
     "error InvalidRFC2822Date"),
    ("two-digit year", rss_date("Sat, 30 Mar 24 10:00:00 GMT"), RSS_URL,
     "warning ProblematicalRFC822Date"),
    ("quarter-hour offset", rss_date("Sat, 30 Mar 2024 15:45:00 +0545"),
     RSS_URL, "warning ProblematicalRFC822Date"),
    ("wrong weekday", rss_date("Fri, 30 Mar 2024 10:00:00 +0000"), RSS_URL,
     "error IncorrectDOW"),
    ("future pubDate", rss_date("Mon, 01 Apr 2024 12:11:00 +0000"), RSS_URL,
     "warning ImplausibleDate"),
    ("pubDate before 1990", rss_date("Sun, 30 Mar 1980 10:00:00 +0000"),
     RSS_URL, "warning ImplausibleDate"),
    ("language with underscore", change(GOOD_RSS, "<language>en</language>", "<language>en_US</language>"), RSS_URL,
     "error InvalidLanguage"),
    ("language name", change(GOOD_RSS, "<language>en</language>", "<language>English</language>"), RSS_URL,
     "error InvalidLanguage"),
    ("no channel description", change(GOOD_RSS, "<description>News, cleaned and collected.</description>\n", ""),
     RSS_URL, "error MissingDescription"),
    ("no channel link", change(GOOD_RSS, "<link>https://example.org/</link>\n", ""), RSS_URL, "error MissingLink"),
    ("no channel title", change(GOOD_RSS, "<title>Example News</title>\n", ""), RSS_URL, "error MissingTitle"),
    ("item without title or description",
     change(change(GOOD_RSS, "<title>An undated item</title>\n", ""),
            "<description>&lt;p&gt;No pubDate: optional in RSS 2.0.&lt;/p&gt;</description>\n", ""),
     RSS_URL, "error ItemMustContainTitleOrDescription"),
    ("metadata after items", change(GOOD_RSS, "</item>\n</channel>", "</item>\n<ttl>60</ttl>\n</channel>"), RSS_URL,
     "warning MisplacedItem"),
    ("two titles in an item", change(GOOD_RSS, "<title>An undated item</title>", "<title>A</title><title>B</title>"),
     RSS_URL, "error DuplicateElement"),
    ("author without e-mail", change(GOOD_RSS, "<dc:creator>AFP</dc:creator>", "<author>Jane Doe</author>"), RSS_URL,
     "error InvalidContact"),
    ("author without real name", change(GOOD_RSS, "<dc:creator>AFP</dc:creator>", "<author>jane@example.org</author>"),
     RSS_URL, "warning MissingRealName"),
    ("author and dc:creator", change(GOOD_RSS, "<dc:creator>AFP</dc:creator>",
                                     "<author>jane@example.org (Jane)</author><dc:creator>AFP</dc:creator>"),
     RSS_URL, "warning DuplicateItemSemantics"),
    ("C1 control character", change(GOOD_RSS, "<title>An undated item</title>", "<title>An undated\u0085item</title>"),
     RSS_URL, "warning BadCharacters"),
    ("UTF-8 decoded twice", change(GOOD_RSS, "<title>An undated item</title>", "<title>CafÃ© news</title>"), RSS_URL,
     "warning BadCharacters"),
    ("not well-formed", change(GOOD_RSS, "<title>An undated item</title>", "<title>Fish & chips</title>"), RSS_URL,
     "error SAXError"),
    ("control character", change(GOOD_RSS, "<title>An undated item</title>", "<title>An\x01item</title>"), RSS_URL,
     "error SAXError"),
    ("HTML entity in XML", change(GOOD_RSS, "<title>An undated item</title>", "<title>An&nbsp;item</title>"), RSS_URL,
     "error UndefinedNamedEntity"),
    ("blank line before declaration", "\n" + GOOD_RSS, RSS_URL, "error SAXError"),
    ("unknown namespace", change(GOOD_RSS, 'xmlns:dc=', 'xmlns:x="http://example.com/ns" xmlns:dc='), RSS_URL,
     "warning UnknownNamespace"),
    ("reserved prefix", change(GOOD_RSS, 'xmlns:dc="http://purl.org/dc/elements/1.1/"',
                               'xmlns:dc="http://purl.org/dc/elements/1.1"'), RSS_URL, "warning ReservedPrefix"),
    ("relative item link", change(GOOD_RSS, "<link>https://example.org/articles/second/</link>",
                                  "<link>/articles/second/</link>"), RSS_URL, "error InvalidFullLink"),
    ("non-ASCII item link", change(GOOD_RSS, "<link>https://example.org/articles/second/</link>",
                                   "<link>https://example.org/articles/café/</link>"), RSS_URL, "error UriNotIri"),
    ("unexpected attribute", change(GOOD_RSS, "<item>", '<item id="1">'), RSS_URL, "error UnexpectedAttribute"),
    ("extension attribute on core element",
     change(change(GOOD_RSS, 'xmlns:dc=', 'xmlns:x="http://example.com/ns" xmlns:dc='), "<item>", '<item x:id="1">'),
     RSS_URL, "warning UseOfExtensionAttr"),
    ("text directly in item", change(GOOD_RSS, "<item>", "<item>oops"), RSS_URL, "error UnexpectedText"),
    ("unknown item element", change(GOOD_RSS, "<dc:creator>AFP</dc:creator>", "<creator>AFP</creator>"), RSS_URL,
     "error UndefinedElement"),
    ("unknown dc element", change(GOOD_RSS, "<dc:creator>AFP</dc:creator>", "<dc:author>AFP</dc:author>"), RSS_URL,
     "error UndefinedElement"),
    ("obscure encoding", change(GOOD_RSS, 'encoding="utf-8"', 'encoding="cp437"'), RSS_URL,
     "warning ObscureEncoding"),
    ("XML 1.1", change(GOOD_RSS, 'version="1.0"', 'version="1.1"'), RSS_URL, "error BadXmlVersion"),
    ("RSS 3.0", change(GOOD_RSS, '<rss version="2.0"', '<rss version="3.0"'), RSS_URL, "error InvalidRSSVersion"),
]


@pytest.mark.parametrize("feed, location, expected", [c[1:] for c in RSS_CASES], ids=[c[0] for c in RSS_CASES])
def test_rss_rule_fires(feed: str, location: str, expected: str) -> None:
    messages = check(feed, location)
    assert expected in rules(messages), messages


ATOM_CASES = [
    ("same updated twice", change(GOOD_ATOM, "2024-03-29T08:00:00Z", "2024-03-30T10:00:00Z"), ATOM_URL,
     "warning DuplicateUpdated"),
    ("same id twice", change(GOOD_ATOM, "6aa34f43-1893-5c17-897b-6b19f6399d53", "d0a195da-1bee-55d3-adee-c4e111133f09"),
     ATOM_URL, "warning DuplicateEntries"),
    ("no self link", change(GOOD_ATOM, '<link href="https://example.org/atom.xml" rel="self" '
                                       'type="application/atom+xml"/>\n', ""), ATOM_URL, "warning MissingSelf"),
    ("self elsewhere", GOOD_ATOM, "https://example.org/tags/x/atom.xml", "warning SelfDoesntMatchLocation"),
    ("relative self", change(GOOD_ATOM, 'href="https://example.org/atom.xml"', 'href="atom.xml"'), ATOM_URL,
     "warning RelativeSelf"),
    ("no author anywhere", change(GOOD_ATOM, "<author><name>The editors</name></author>\n", ""), ATOM_URL,
     "error MissingElement"),
    ("feed author after entries", change(change(GOOD_ATOM, "<author><name>The editors</name></author>\n", ""),
                                         "</entry>\n</feed>", "</entry>\n<author><name>Ed</name></author>\n</feed>"),
     ATOM_URL, "error MisplacedMetadata"),
    ("no feed id", change(GOOD_ATOM, "<id>https://example.org/atom.xml</id>\n", ""), ATOM_URL, "error MissingElement"),
    ("no entry updated", change(GOOD_ATOM, "<updated>2024-03-29T08:00:00Z</updated>\n", ""), ATOM_URL,
     "error MissingElement"),
    ("upper-case host in id", change(GOOD_ATOM, "<id>https://example.org/atom.xml</id>",
                                     "<id>https://Example.org/atom.xml</id>"), ATOM_URL, "warning NonCanonicalURI"),
    ("id without path", change(GOOD_ATOM, "<id>https://example.org/atom.xml</id>", "<id>https://example.org</id>"),
     ATOM_URL, "warning NonCanonicalURI"),
    ("id with default port", change(GOOD_ATOM, "<id>https://example.org/atom.xml</id>",
                                    "<id>https://example.org:443/atom.xml</id>"), ATOM_URL, "warning NonCanonicalURI"),
    ("id with lower-case escape", change(GOOD_ATOM, "<id>https://example.org/atom.xml</id>",
                                         "<id>https://example.org/caf%c3%a9/atom.xml</id>"), ATOM_URL,
     "warning NonCanonicalURI"),
    ("relative id", change(GOOD_ATOM, "<id>https://example.org/atom.xml</id>", "<id>/atom.xml</id>"), ATOM_URL,
     "error InvalidFullLink"),
    ("short uuid", change(GOOD_ATOM, "urn:uuid:6aa34f43-1893-5c17-897b-6b19f6399d53", "urn:uuid:6aa34f43"), ATOM_URL,
     "error InvalidUUID"),
    ("space instead of T", change(GOOD_ATOM, "2024-03-29T08:00:00Z", "2024-03-29 08:00:00Z"), ATOM_URL,
     "error InvalidRFC3339Date"),
    ("no seconds", change(GOOD_ATOM, "2024-03-29T08:00:00Z", "2024-03-29T08:00Z"), ATOM_URL,
     "error InvalidRFC3339Date"),
    ("no zone", change(GOOD_ATOM, "2024-03-29T08:00:00Z", "2024-03-29T08:00:00"), ATOM_URL, "error InvalidRFC3339Date"),
    ("impossible day", change(GOOD_ATOM, "2024-03-29T08:00:00Z", "2024-02-30T08:00:00Z"), ATOM_URL,
     "error InvalidRFC3339Date"),
    ("updated far in the future", change(GOOD_ATOM, "2024-03-29T08:00:00Z", "2024-04-02T13:00:00Z"), ATOM_URL,
     "warning ImplausibleDate"),
    ("updated before 1990", change(GOOD_ATOM, "2024-03-29T08:00:00Z", "1989-12-31T08:00:00Z"), ATOM_URL,
     "warning ImplausibleDate"),
    ("whitespace around updated", change(GOOD_ATOM, "<updated>2024-03-29T08:00:00Z</updated>",
                                         "<updated>\n2024-03-29T08:00:00Z\n</updated>"), ATOM_URL,
     "error UnexpectedWhitespace"),
    ("HTML in a text title", change(GOOD_ATOM, "<title>An undated entry</title>",
                                    "<title>&lt;b&gt;Bold&lt;/b&gt;</title>"), ATOM_URL,
     "warning ContainsUndeclaredHTML"),
    ("double-escaped entity in summary", change(GOOD_ATOM, "<summary>First link &amp; more.</summary>",
                                                "<summary>First link &amp;amp; more.</summary>"), ATOM_URL,
     "warning ContainsUndeclaredHTML"),
    ("bad HTML in content", atom_content("&lt;p&gt;AT&amp;T&lt;/p&gt;"), ATOM_URL, "warning NotHtml"),
    ("script in content", atom_content("&lt;script&gt;x()&lt;/script&gt;"), ATOM_URL, "warning SecurityRisk"),
    ("onerror in content", atom_content('&lt;img src="https://e.org/a.png" onerror="x()"&gt;'), ATOM_URL,
     "warning SecurityRiskAttr"),
    ("unescaped markup in content", atom_content("<p>raw</p>"), ATOM_URL, "error UndefinedElement"),
    ("neither content nor summary", change(GOOD_ATOM, '<content type="html">&lt;p&gt;No author here: the feed has '
                                                      'one.&lt;/p&gt;</content>\n', ""), ATOM_URL,
     "warning MissingTextualContent"),
    ("no content and no alternate link",
     change(change(GOOD_ATOM, '<content type="html">&lt;p&gt;No author here: the feed has one.&lt;/p&gt;</content>\n',
                   ""), '<link href="https://example.org/articles/second/" rel="alternate" type="text/html"/>\n', ""),
     ATOM_URL, "error MissingContentOrAlternate"),
    ("atom prefix declared",
     change(GOOD_ATOM, 'xml:lang="en">', 'xmlns:atom="http://www.w3.org/2005/Atom" xml:lang="en">'), ATOM_URL,
     "warning AvoidNamespacePrefix"),
    ("metadata after entries", change(GOOD_ATOM, "</entry>\n</feed>", "</entry>\n<rights>CC</rights>\n</feed>"),
     ATOM_URL, "error MisplacedMetadata"),
    ("two alternate links", change(GOOD_ATOM, '<link href="https://example.org/" rel="alternate" type="text/html"/>',
                                   '<link href="https://example.org/" rel="alternate" type="text/html"/>'
                                   '<link href="https://example.org/b" rel="alternate" type="text/html"/>'),
     ATOM_URL, "error DuplicateAtomLink"),
    ("category without term", change(GOOD_ATOM, '<category term="Islamic State"/>', '<category label="x"/>'), ATOM_URL,
     "error MissingAttribute"),
    ("empty category term", change(GOOD_ATOM, '<category term="Islamic State"/>', '<category term=""/>'), ATOM_URL,
     "warning NotBlank"),
    ("bad xml:lang", change(GOOD_ATOM, 'xml:lang="en"', 'xml:lang="english"'), ATOM_URL, "error InvalidLanguage"),
    ("e-mail in author name", change(GOOD_ATOM, "<name>AFP</name>", "<name>Jane &lt;jane@example.org&gt;</name>"),
     ATOM_URL, "warning ContainsEmail"),
    ("MIME type on a title", change(GOOD_ATOM, "<title>An undated entry</title>",
                                    '<title type="text/plain">An undated entry</title>'), ATOM_URL,
     "error InvalidTextType"),
    ("unknown Atom element", change(GOOD_ATOM, "<generator>digest</generator>", "<generator>digest</generator><foo/>"),
     ATOM_URL, "error UndefinedElement"),
    ("empty summary", change(GOOD_ATOM, "<summary>First link &amp; more.</summary>", "<summary></summary>"), ATOM_URL,
     "warning NotBlank"),
    ("feed without namespace", change(GOOD_ATOM, ' xmlns="http://www.w3.org/2005/Atom"', ""), ATOM_URL,
     "error MissingNamespace"),
]


@pytest.mark.parametrize("feed, location, expected", [c[1:] for c in ATOM_CASES], ids=[c[0] for c in ATOM_CASES])
def test_atom_rule_fires(feed: str, location: str, expected: str) -> None:
    messages = check(feed, location)
    assert expected in rules(messages), messages


def test_all_entries_sharing_one_id_is_an_error() -> None:
    entry = ("<entry><title>T</title><link href=\"https://example.org/a/\" rel=\"alternate\" type=\"text/html\"/>"
             "<id>urn:uuid:d0a195da-1bee-55d3-adee-c4e111133f09</id><updated>2024-03-{:02d}T10:00:00Z</updated>"
             "<summary>s</summary></entry>\n")
    head = GOOD_ATOM.split("<entry>", 1)[0]
    feed = head + "".join(entry.format(day) for day in range(1, 11)) + "</feed>\n"
    found = rules(check(feed, ATOM_URL))
    assert "error DuplicateIds" in found
    assert "warning DuplicateEntries" not in found  # folded into the error


QUIET_CASES = [
    # Things a reader might suspect but the validator does not report.
    ("RSS item without pubDate or author", GOOD_RSS, RSS_URL),
    ("RSS category with spaces", GOOD_RSS, RSS_URL),
    ("Atom entry without published or author", GOOD_ATOM, ATOM_URL),
    ("relative URL inside Atom html content", GOOD_ATOM, ATOM_URL),
    ("same instant, different spelling of updated",
     change(GOOD_ATOM, "2024-03-29T08:00:00Z", "2024-03-30T10:00:00+00:00"), ATOM_URL),
    ("javascript: URL (the validator does not look at URL schemes in HTML)",
     rss_description('&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;'), RSS_URL),
    ("href not the first attribute is not scanned for ContainsRelRef",
     rss_description('&lt;a class="x" href="/rel"&gt;x&lt;/a&gt;'), RSS_URL),
    ("hexadecimal reference on the title's line silences the RSS Profile check",
     change(GOOD_RSS, FIRST_ITEM_TITLE, "<title>Why a &#x3C;b matters</title>"), RSS_URL),
    ("ampersand-word that is no entity name", change(GOOD_RSS, FIRST_ITEM_TITLE, "<title>R&amp;D and Q&amp;A</title>"),
     RSS_URL),
    ("GMT and +0530 zones", rss_date("Sat, 30 Mar 2024 15:30:00 +0530"),
     RSS_URL),
    ("date without weekday", rss_date("30 Mar 2024 10:00:00 GMT"), RSS_URL),
    ("safe inline style", rss_description('&lt;p style="text-align: center; margin: 0 auto"&gt;x&lt;/p&gt;'), RSS_URL),
    ("data attributes", rss_description('&lt;p data-x="1"&gt;x&lt;/p&gt;'), RSS_URL),
    ("optional end tags", rss_description("&lt;ul&gt;&lt;li&gt;a&lt;li&gt;b&lt;/ul&gt;&lt;p&gt;x"), RSS_URL),
    ("table", rss_description("&lt;table&gt;&lt;tr&gt;&lt;td&gt;x&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;"), RSS_URL),
    ("comment", rss_description("&lt;!-- note --&gt;&lt;p&gt;x&lt;/p&gt;"), RSS_URL),
    ("UTF-8 byte-order mark", "\ufeff" + GOOD_RSS, RSS_URL),
    ("JSON-escaped markup in a title is just text",
     change(GOOD_RSS, FIRST_ITEM_TITLE, "<title>Crocus \\u003cb\\u003eattack\\u003c/b\\u003e</title>"), RSS_URL),
    ("feed-level updated equal to an entry's (only entries are compared)", GOOD_ATOM, ATOM_URL),
    ("channel-level empty category", change(GOOD_RSS, "<generator>digest</generator>",
                                            "<generator>digest</generator>\n<category></category>"), RSS_URL),
]


@pytest.mark.parametrize("feed, location", [c[1:] for c in QUIET_CASES], ids=[c[0] for c in QUIET_CASES])
def test_rule_stays_silent(feed: str, location: str) -> None:
    assert check(feed, location) == []


def test_silent_self_link_matches_in_canonical_form() -> None:
    feed = change(GOOD_ATOM, 'href="https://example.org/atom.xml" rel="self"',
                  'href="https://EXAMPLE.org:443/atom.xml" rel="self"')
    assert check(feed, ATOM_URL) == []


def test_implausible_date_uses_the_validation_time() -> None:
    feed = rss_date("Mon, 01 Apr 2024 12:09:00 +0000")
    assert check(feed, RSS_URL) == []  # within ten minutes of NOW
    assert "warning ImplausibleDate" in rules(feed_messages(feed.encode(), RSS_URL, now=NOW - 3600))
