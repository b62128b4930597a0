"""A simulated news web for tests and benchmarks: sites that publish, update, move and fail
over simulated time, served over HTTP on 127.0.0.1, with the ground truth of what happened.

    clock = SimClock(datetime(2026, 3, 2, tzinfo=UTC))
    web = SimWeb(random_sites(20, seed=7), seed=7, start=clock.start)
    with serving(web, clock) as server:        # NEWSMON_RESOLVE = server.resolve()
        clock.advance(timedelta(hours=2))
        web.truth.published_between(clock.start, clock.now)
"""

from tests.simweb.clock import SimClock
from tests.simweb.model import (
    ABSENT,
    BODY_EDIT,
    HEADLINE_REWRITE,
    HONEST,
    LYING_ETAG,
    PUBLISHED,
    ROUTINE_ACTIONS,
    SLUG_MOVE,
    STUCK_LAST_MODIFIED,
    UPDATES,
    Article,
    Burst,
    Event,
    RobotsChange,
    SimWeb,
    SiteSpec,
    Throttle,
    Truth,
    Version,
    Window,
    random_sites,
)
from tests.simweb.server import Answer, SimServer, serving

__all__ = [
    "ABSENT",
    "BODY_EDIT",
    "HEADLINE_REWRITE",
    "HONEST",
    "LYING_ETAG",
    "PUBLISHED",
    "ROUTINE_ACTIONS",
    "SLUG_MOVE",
    "STUCK_LAST_MODIFIED",
    "UPDATES",
    "Answer",
    "Article",
    "Burst",
    "Event",
    "RobotsChange",
    "SimClock",
    "SimServer",
    "SimWeb",
    "SiteSpec",
    "Throttle",
    "Truth",
    "Version",
    "Window",
    "random_sites",
    "serving",
]
