"""Pelican's half of bench/build.py: the default theme, with the pages digest makes that Pelican
makes without plugins. Pelican has no related links (only through a plugin) and no sitemap."""

AUTHOR = "Bench"
SITENAME = "Bench Pelican"
SITEURL = "https://bench.example.org"
RELATIVE_URLS = False
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%d %B %Y"

# Pretty URLs like digest's and Hugo's: posts/<slug>/, tags/<slug>/, page/<n>/.
ARTICLE_URL = "posts/{slug}/"
ARTICLE_SAVE_AS = "posts/{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
DEFAULT_PAGINATION = 10  # index and tag pages, as digest's pagination.per_page
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# No category or author pages: every article would be in one category and by one author, so
# those would repeat the paginated index. The archive page (all articles by date) stays: digest
# has archives too.
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""

# Feeds, as digest's: site-wide and per tag, the newest 20 articles, full content.
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
TAG_FEED_ATOM = "feeds/{slug}.tag.atom.xml"
TAG_FEED_RSS = "feeds/{slug}.tag.rss.xml"
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 20
RSS_FEED_SUMMARY_ONLY = False

# Pelican's documented way to speed up rebuilds: cache parsed articles and reread only changed
# files. A clean build deletes the cache with the output.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
