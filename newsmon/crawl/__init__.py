"""Getting items in: running spiders as one crawl run, another scraper's items (`ingest`), looking
at a new site (`discover`), and where requests go (`resolve`)."""


class CrawlError(Exception):
    """The crawl cannot start; the message names what is wrong. (Here, not in `process`, so
    that catching it loads no Scrapy.)"""
