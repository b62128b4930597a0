"""Shared text helpers every stage uses: display text and match keys, dates, canonical URLs,
languages."""
