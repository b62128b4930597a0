"""Scrapy extensions of newsmon (registered in `newsmon.settings.EXTENSIONS`)."""
