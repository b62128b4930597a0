"""Polling what is due: each feed, listing and sitemap's schedule learned from its polls
(`schedule`), their freshness hints (`hints`), kept in the store (`states`) and applied in a
crawl (`middleware`)."""
