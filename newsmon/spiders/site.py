"""The spider of a site with its own parser: feeds and listings first, then article pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import scrapy
from scrapy.http import Response

from newsmon.sites import all_sites
from newsmon.sites.base import Item, Site
from newsmon.sites.parsing import article_items, listing_items
from newsmon.spiders.base import NewsSpider


class SiteSpider(NewsSpider):
    """Crawls one site: its feeds and listings yield headlines and lead to its articles."""

    site: ClassVar[Site]

    def entry_requests(self, source: str) -> Iterator[scrapy.Request]:
        for url in self.site.feeds:
            yield self.page_request(url, self.parse_feed, "feed", self.site.id)
        for url in self.site.listings:
            yield self.page_request(url, self.parse_listing, "listing", self.site.id)

    def source_of(self, response: Response) -> Site:
        return self.site

    def crawled_sources(self) -> list[str]:
        return [self.site.id]

    def parse_listing(self, response: Response) -> Iterator[Item | scrapy.Request]:
        """A listing's headlines; their article links are followed."""
        page = self.page(response)
        if page is None:
            return
        yield from self.with_articles(self.site, listing_items(self.site, page))
        yield from self.next_listing_page(response, page, self.parse_listing)

    def parse_article(self, response: Response) -> Iterator[Item]:
        """The article and every headline its page shows."""
        page = self.page(response)
        if page is None:
            return
        yield from article_items(self.site, page)


def _spider_class(site: Site) -> type[SiteSpider]:
    class_name = "".join(part.title() for part in site.id.split("_")) + "Spider"
    return type(
        class_name,
        (SiteSpider,),
        {
            "name": site.id,
            "site": site,
            "allowed_domains": site.allowed_domains,
            "__module__": __name__,
            "__doc__": f"Crawls {site.name} ({site.home_url}).",
        },
    )


SITE_SPIDERS: dict[str, type[SiteSpider]] = {
    site.id: _spider_class(site) for site in all_sites().values()
}
globals().update({spider.__name__: spider for spider in SITE_SPIDERS.values()})
