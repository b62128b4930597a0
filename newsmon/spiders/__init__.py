"""newsmon's spiders: one per registered site, and the generic spider for configured sources."""
