"""Tables copied from feedparser 6.0, checked against the installed feedparser by
tests/parse/test_fast.py (so an upgrade that changes one fails loudly)."""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Every `_start_X` / `_end_X` handler of feedparser's StrictFeedParser.
START_HANDLERS = words("""
abstract author body category cc_license channel cloud content content_encoded contributor
copyright created creativeCommons_license creativecommons_license dc_author dc_contributor
dc_creator dc_date dc_description dc_language dc_publisher dc_rights dc_subject dc_title
dcterms_created dcterms_issued dcterms_modified dcterms_valid description email enclosure entry
expirationdate feed feedburner_browserfriendly fullitem generator georss_box georss_line
georss_point georss_polygon georss_where georssgeom gml_exterior gml_linearring gml_linestring
gml_point gml_polygon gml_pos gml_poslist guid height homepage id image info issued item
itunes_author itunes_category itunes_email itunes_image itunes_link itunes_name itunes_owner
itunes_subtitle itunes_summary keywords language lastbuilddate link managingeditor
media_category media_content media_credit media_description media_group media_license
media_player media_rating media_restriction media_thumbnail media_title modified name
newlocation psc_chapter psc_chapters pubdate published rights rss source subtitle summary
tagline tags textInput textinput title updated uri url webmaster where width xhtml_body
""")
END_HANDLERS = words("""
abstract author body category channel content content_encoded contributor copyright created
creativeCommons_license creativecommons_license dc_author dc_contributor dc_creator dc_date
dc_description dc_language dc_publisher dc_rights dc_subject dc_title dcterms_created
dcterms_issued dcterms_modified dcterms_valid description email entry expirationdate feed
feedburner_browserfriendly fullitem generator geom georss_box georss_line georss_point
georss_polygon georss_where gml_exterior gml_linearring gml_linestring gml_point gml_polygon
gml_pos gml_poslist guid height homepage id image info issued item itunes_author itunes_block
itunes_category itunes_email itunes_explicit itunes_keywords itunes_name itunes_owner
itunes_subtitle itunes_summary keywords language lastbuilddate link managingeditor
media_category media_credit media_description media_keywords media_license media_player
media_rating media_restriction media_thumbnail media_title modified name newlocation
psc_chapters pubdate published rights source subtitle summary tagline tags textInput textinput
title updated uri url webmaster where width xhtml_body
""")

# feedparser's `_FeedParserMixin.namespaces`: namespace URI -> the prefix its handlers use.
NAMESPACES = {
    "": "",
    "http://backend.userland.com/rss": "",
    "http://blogs.law.harvard.edu/tech/rss": "",
    "http://purl.org/rss/1.0/": "",
    "http://my.netscape.com/rdf/simple/0.9/": "",
    "http://example.com/newformat#": "",
    "http://example.com/necho": "",
    "http://purl.org/echo/": "",
    "uri/of/echo/namespace#": "",
    "http://purl.org/pie/": "",
    "http://purl.org/atom/ns#": "",
    "http://www.w3.org/2005/Atom": "",
    "http://purl.org/rss/1.0/modules/rss091#": "",
    "http://webns.net/mvcb/": "admin",
    "http://purl.org/rss/1.0/modules/aggregation/": "ag",
    "http://purl.org/rss/1.0/modules/annotate/": "annotate",
    "http://media.tangent.org/rss/1.0/": "audio",
    "http://backend.userland.com/blogChannelModule": "blogChannel",
    "http://creativecommons.org/ns#license": "cc",
    "http://web.resource.org/cc/": "cc",
    "http://cyber.law.harvard.edu/rss/creativeCommonsRssModule.html": "creativeCommons",
    "http://backend.userland.com/creativeCommonsRssModule": "creativeCommons",
    "http://purl.org/rss/1.0/modules/company": "co",
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://my.theinfo.org/changed/1.0/rss/": "cp",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "http://purl.org/rss/1.0/modules/email/": "email",
    "http://purl.org/rss/1.0/modules/event/": "ev",
    "http://rssnamespace.org/feedburner/ext/1.0": "feedburner",
    "http://freshmeat.net/rss/fm/": "fm",
    "http://xmlns.com/foaf/0.1/": "foaf",
    "http://www.w3.org/2003/01/geo/wgs84_pos#": "geo",
    "http://www.georss.org/georss": "georss",
    "http://www.opengis.net/gml": "gml",
    "http://postneo.com/icbm/": "icbm",
    "http://purl.org/rss/1.0/modules/image/": "image",
    "http://www.itunes.com/DTDs/PodCast-1.0.dtd": "itunes",
    "http://example.com/DTDs/PodCast-1.0.dtd": "itunes",
    "http://purl.org/rss/1.0/modules/link/": "l",
    "http://search.yahoo.com/mrss": "media",
    "http://search.yahoo.com/mrss/": "media",
    "http://madskills.com/public/xml/rss/module/pingback/": "pingback",
    "http://prismstandard.org/namespaces/1.2/basic/": "prism",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs",
    "http://purl.org/rss/1.0/modules/reference/": "ref",
    "http://purl.org/rss/1.0/modules/richequiv/": "reqv",
    "http://purl.org/rss/1.0/modules/search/": "search",
    "http://purl.org/rss/1.0/modules/slash/": "slash",
    "http://schemas.xmlsoap.org/soap/envelope/": "soap",
    "http://purl.org/rss/1.0/modules/servicestatus/": "ss",
    "http://hacks.benhammersley.com/rss/streaming/": "str",
    "http://purl.org/rss/1.0/modules/subscription/": "sub",
    "http://purl.org/rss/1.0/modules/syndication/": "sy",
    "http://schemas.pocketsoap.com/rss/myDescModule/": "szf",
    "http://purl.org/rss/1.0/modules/taxonomy/": "taxo",
    "http://purl.org/rss/1.0/modules/threading/": "thr",
    "http://purl.org/rss/1.0/modules/textinput/": "ti",
    "http://madskills.com/public/xml/rss/module/trackback/": "trackback",
    "http://wellformedweb.org/commentAPI/": "wfw",
    "http://purl.org/rss/1.0/modules/wiki/": "wiki",
    "http://www.w3.org/1999/xhtml": "xhtml",
    "http://www.w3.org/1999/xlink": "xlink",
    "http://www.w3.org/XML/1998/namespace": "xml",
    "http://podlove.org/simple-chapters": "psc",
}
MATCH_NAMESPACES = {uri.lower(): prefix for uri, prefix in NAMESPACES.items()}
PREFIXES_LOWER = frozenset(prefix.lower() for prefix in NAMESPACES.values() if prefix)

# feedparser.urls.ACCEPTABLE_URI_SCHEMES
ACCEPTABLE_URI_SCHEMES = (
    "file", "ftp", "gopher", "h323", "hdl", "http", "https", "imap", "magnet",
    "mailto", "mms", "news", "nntp", "prospero", "rsync", "rtsp", "rtspu",
    "sftp", "shttp", "sip", "sips", "snews", "svn", "svn+ssh", "telnet",
    "wais",
    "aim", "callto", "cvs", "facetime", "feed", "git", "gtalk", "irc", "ircs",
    "irc6", "itms", "mms", "msnim", "skype", "ssh", "smb", "svn", "ymsg",
)

# feedparser.html._cp1252: C1 code points read as windows-1252.
CP1252 = {
    128: "\u20ac", 130: "\u201a", 131: "\u0192", 132: "\u201e", 133: "\u2026", 134: "\u2020",
    135: "\u2021", 136: "\u02c6", 137: "\u2030", 138: "\u0160", 139: "\u2039", 140: "\u0152",
    142: "\u017d", 145: "\u2018", 146: "\u2019", 147: "\u201c", 148: "\u201d", 149: "\u2022",
    150: "\u2013", 151: "\u2014", 152: "\u02dc", 153: "\u2122", 154: "\u0161", 155: "\u203a",
    156: "\u0153", 158: "\u017e", 159: "\u0178",
}

# feedparser.util.FeedParserDict.keymap (keys stored under another name)
KEYMAP: dict[str, str | list[str]] = {
    "channel": "feed", "items": "entries", "guid": "id", "date": "updated",
    "date_parsed": "updated_parsed", "description": ["summary", "subtitle"],
    "description_detail": ["summary_detail", "subtitle_detail"], "url": ["href"],
    "modified": "updated", "modified_parsed": "updated_parsed", "issued": "published",
    "issued_parsed": "published_parsed", "copyright": "rights",
    "copyright_detail": "rights_detail", "tagline": "subtitle",
    "tagline_detail": "subtitle_detail",
}

# feedparser.mixin's can_be_relative_uri and html_types
CAN_BE_RELATIVE_URI = frozenset({"comments", "docs", "href", "icon", "id", "link", "logo", "url",
                                 "wfw_comment", "wfw_commentrss"})
HTML_TYPES = frozenset({"application/xhtml+xml", "text/html"})

URIFIXER = re.compile("^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")  # feedparser.urls._urifixer
