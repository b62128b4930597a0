"""The sources file a test writes to crawl the simulated web with newsmon's generic spider."""

# The seed sites have spiders of their own, on by default: off, so that only the simulated
# sites are crawled.
SEED_SITES_OFF = """
[[sources]]
id = "report_az"
kind = "site"
enabled = false

[[sources]]
id = "ccbsnews"
kind = "site"
enabled = false
"""
