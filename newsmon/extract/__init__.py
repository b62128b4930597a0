"""Reading pages without site code: bodies made readable, metadata, feeds, sitemaps, links,
compiled selectors and the generic article extractor."""
