"""newsmon: a news-monitoring crawler that records every new appearance of a headline."""

__version__ = "0.2.0"
