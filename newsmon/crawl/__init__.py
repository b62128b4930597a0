"""Getting items in: running spiders as one crawl run, another scraper's items (`ingest`), looking
at a new site (`discover`), and where requests go (`resolve`)."""
