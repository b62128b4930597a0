"""Reading the store back: exports, full-text search and the timeline report."""
