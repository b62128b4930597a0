"""Item pipelines: normalize on the crawl side, then the store side (dedupe, stories, watches)."""
