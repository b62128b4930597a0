"""newsmon's downloader middlewares, one per module."""
