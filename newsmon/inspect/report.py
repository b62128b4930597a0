"""The story timeline report: one self-contained HTML file (inline CSS and SVG, no script).

Per story, a chart with time across and one row per source and language, a mark per thing
that happened (an appearance of a headline; marks at nearly the same moment are drawn as one,
with their count), the first sighting per source and the member headlines with links. Per
watch, the related appearances per day. Every text from the store is HTML-escaped; links are
kept only for http(s) URLs; the page's Content-Security-Policy forbids any network request.

Another kind of mark is one entry of `MARK_KINDS`: a label, a shape and a function reading
the story's marks of that kind from the store.
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import resources
from itertools import islice
from string import Template
from typing import Any

from newsmon import __version__
from newsmon.clock import now_iso
from newsmon.normalize.dates import UTC, parse_iso
from newsmon.normalize.text import printable
from newsmon.store import Store
from newsmon.store.queries import iter_stories

# Okabe–Ito colours (distinguishable with colour-blindness): one per language, the most
# frequent language of the report first.
LANG_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
UNKNOWN_LANG_COLOUR = "#8a8a8a"
# Bars of a watch's chart: days, or weeks, or months when there would be more than this.
MAX_BARS = 92
_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
# Chart geometry (SVG user units; the chart scales to the page width).
_WIDTH, _LABELS, _RIGHT, _TOP, _ROW, _AXIS = 960, 170, 28, 12, 30, 44
_RADIUS, _CLUSTER_PX = 6.0, 10.0
# Tick steps (seconds) and how their labels read.
_TICK_STEPS = (
    *(minutes * 60 for minutes in (1, 5, 15, 30)),
    *(hours * 3600 for hours in (1, 3, 6, 12)),
    *(days * 86400 for days in (1, 2, 7, 14, 30, 61, 91, 182, 365)),
)
_MAX_TICKS = 8


class ReportError(Exception):
    """The report cannot be made: an unknown watch or story."""


@dataclass(frozen=True)
class Mark:
    """Something that happened to a story at a moment, at a source: one dot of its timeline."""

    kind: str
    at: datetime
    source: str
    lang: str | None
    text: str
    detail: str = ""


@dataclass(frozen=True)
class MarkKind:
    """How one kind of mark is read from the store and drawn."""

    label: str
    shape: str
    read: Callable[[Store, int], Iterable[Mark]]


@dataclass
class StoryReport:
    """One story of the report: its row of `queries.stories`, its sources, its marks."""

    story: dict[str, Any]
    sources: list[dict[str, Any]]
    marks: list[Mark]


@dataclass
class WatchSummary:
    """A watch with its related appearances per `period` (day, week or month).

    `counts` has every period from the first related appearance to the last, with or without
    appearances, each as (its first day, ISO 8601; count).
    """

    name: str
    query: str
    stories: int
    appearances: int
    period: str = "day"
    counts: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Report:
    """Everything the HTML shows."""

    title: str
    generated_at: str
    store_path: str
    watches: list[WatchSummary]
    stories: list[StoryReport]
    colours: dict[str, str] = field(default_factory=dict)

    @property
    def marks(self) -> int:
        """The number of marks on all the timelines."""
        return sum(len(story.marks) for story in self.stories)


def appearance_marks(store: Store, story_id: int) -> Iterator[Mark]:
    """The appearances of a story's headlines (`story_timeline`)."""
    for row in store.query(
        "SELECT * FROM story_timeline WHERE story_id = ? ORDER BY first_seen, appearance_id",
        (story_id,),
    ):
        yield Mark(
            kind="appearance",
            at=_moment(row["first_seen"]),
            source=row["source_id"],
            lang=row["lang"],
            text=row["headline"],
            detail=f"{row['context']} on {row['page_url']}",
        )


def revision_marks(store: Store, story_id: int) -> Iterator[Mark]:
    """The headline revisions of a story's articles (`headline_revisions`)."""
    for row in store.query(
        """SELECT r.*, a.lang FROM headline_revisions r JOIN articles a ON a.id = r.article_id
           WHERE r.story_id = ? ORDER BY r.seen_at, r.id""",
        (story_id,),
    ):
        yield Mark(
            kind="revision",
            at=_moment(row["seen_at"]),
            source=row["source"],
            lang=row["lang"],
            text=row["new_title"],
            detail=f"headline changed from “{row['old_title']}” ({row['context']})",
        )


MARK_KINDS: dict[str, MarkKind] = {
    "appearance": MarkKind("appearance of a headline", "circle", appearance_marks),
    "revision": MarkKind("headline revision", "diamond", revision_marks),
}


def build_report(
    store: Store,
    *,
    watch: str | None = None,
    story_id: int | None = None,
    limit: int = 100,
    now: str | None = None,
) -> Report:
    """Read what the report shows: the stories of `watch`, the story `story_id`, or (neither)
    the stories any watch matched, every story when there is no watch; most recent first."""
    watches = _watches(store)
    if watch is not None and watch not in watches:
        raise ReportError(f"no watch named {watch!r}")
    if story_id is not None:
        if store.one("SELECT 1 FROM stories WHERE id = ?", (story_id,)) is None:
            raise ReportError(f"no story {story_id}")
        rows = iter_stories(store, story_id=story_id, watch=watch)
        title = f"Story #{story_id}"
    elif watch is not None:
        rows = iter_stories(store, watch=watch)
        title = f"Watch “{watch}”"
    elif watches:
        rows = (
            story
            for (found,) in store.conn.execute(
                "SELECT id FROM stories WHERE id IN (SELECT story_id FROM watch_stories) "
                "ORDER BY last_seen DESC, id DESC"
            ).fetchall()
            for story in iter_stories(store, story_id=found)
        )
        title = "Watched stories"
    else:
        rows = iter_stories(store)
        title = "Stories"
    stories = [_story_report(store, story) for story in islice(rows, limit)]
    if watch is not None:
        shown = [watch]
    elif story_id is not None:
        shown = sorted({name for story in stories for name in story.story["watches"]})
    else:
        shown = sorted(watches)
    return Report(
        title=title,
        generated_at=now or now_iso(),
        store_path=store.path,
        watches=[_watch_summary(store, name, watches[name]) for name in shown],
        stories=stories,
        colours=_lang_colours(stories),
    )


def render_report(report: Report) -> str:
    """The report as one HTML document."""
    template = Template(
        resources.files("newsmon").joinpath("templates/report.html").read_text(encoding="utf-8")
    )
    return template.substitute(
        title=_esc(f"newsmon · {report.title}"),
        heading=_esc(report.title),
        generated=_esc(short_time(report.generated_at)),
        generated_iso=_esc(report.generated_at),
        store=_esc(report.store_path),
        counts=_esc(
            f"{_plural(len(report.stories), 'story', 'stories')} · "
            f"{_plural(report.marks, 'mark', 'marks')}"
        ),
        watches="\n".join(_watch_html(summary) for summary in report.watches)
        or '<p class="empty">No watch.</p>',
        contents="\n".join(
            f'<li><a href="#story-{item.story["id"]}"><bdi>{_esc(item.story["title"])}</bdi></a>'
            f' <span class="muted">{_esc(_day_span(item.story))}</span></li>'
            for item in report.stories
        ),
        stories="\n".join(_story_html(item, report.colours) for item in report.stories)
        or '<p class="empty">No story matches.</p>',
        version=_esc(__version__),
    )


def short_time(iso: str | None) -> str:
    """A stored UTC ISO 8601 time as `2026-03-01 08:00` (empty for None)."""
    return iso[:16].replace("T", " ") if iso else ""


# Reading ------------------------------------------------------------------------------------


def _watches(store: Store) -> dict[str, str]:
    return {row["name"]: row["query"] for row in store.rows("SELECT name, query FROM watches")}


def _story_report(store: Store, story: dict[str, Any]) -> StoryReport:
    sources = store.rows("SELECT * FROM story_sources WHERE story_id = ?", (story["id"],))
    marks = [mark for kind in MARK_KINDS.values() for mark in kind.read(store, story["id"])]
    return StoryReport(story, sources, sorted(marks, key=lambda mark: mark.at))


def _watch_summary(store: Store, name: str, query: str) -> WatchSummary:
    per_day = dict(
        store.conn.execute(
            "SELECT substr(first_seen, 1, 10) AS day, count(*) FROM related_appearances "
            "WHERE watch = ? GROUP BY day ORDER BY day",
            (name,),
        ).fetchall()
    )
    stories = store.one("SELECT count(*) FROM watch_stories WHERE watch = ?", (name,))
    summary = WatchSummary(name, query, stories[0] if stories else 0, sum(per_day.values()))
    if per_day:
        summary.period, summary.counts = binned(per_day)
    return summary


def binned(per_day: dict[str, int], max_bars: int = MAX_BARS) -> tuple[str, list[tuple[str, int]]]:
    """Counts per ISO day as counts per day, week (from Monday) or month: the finest period
    that needs at most `max_bars` bars. Every period between the first and last is listed."""
    days = sorted(date.fromisoformat(day) for day in per_day)
    for period, start_of, after in _PERIODS:
        starts = [start_of(days[0])]
        while starts[-1] < start_of(days[-1]):
            starts.append(after(starts[-1]))
        if len(starts) <= max_bars or period == "month":
            break
    totals = dict.fromkeys(starts, 0)
    for day, count in per_day.items():
        totals[start_of(date.fromisoformat(day))] += count
    return period, [(start.isoformat(), count) for start, count in totals.items()]


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


_PERIODS: tuple[tuple[str, Callable[[date], date], Callable[[date], date]], ...] = (
    ("day", lambda day: day, lambda day: day + timedelta(days=1)),
    ("week", lambda day: day - timedelta(days=day.weekday()), lambda day: day + timedelta(days=7)),
    ("month", lambda day: day.replace(day=1), _next_month),
)


def _moment(iso: str) -> datetime:
    moment = parse_iso(iso)
    if moment is None:
        raise ReportError(f"stored time {iso!r} is not ISO 8601 with a zone")
    return moment.astimezone(UTC)


# HTML ---------------------------------------------------------------------------------------


def _esc(value: Any) -> str:
    return html.escape(printable(value), quote=True)


def _lang_attr(lang: str | None) -> str:
    return f' lang="{_esc(lang)}"' if lang and _LANG_TAG.match(lang) else ""


def _link(url: str | None, text: str, lang: str | None = None) -> str:
    """An `<a>` to an http(s) URL; any other URL (or none) gives the text alone."""
    inner = f"<bdi{_lang_attr(lang)}>{_esc(text)}</bdi>"
    if url and url.lower().startswith(("http://", "https://")):
        return f'<a href="{_esc(url)}" rel="noreferrer noopener">{inner}</a>'
    return inner


def _source_label(row: dict[str, Any]) -> str:
    """A source's name, with its id when that differs."""
    name, source_id = row["source"], row["source_id"]
    if name == source_id:
        return _esc(name)
    return f'{_esc(name)} <span class="muted">{_esc(source_id)}</span>'


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _day_span(story: dict[str, Any]) -> str:
    first, last = short_time(story["first_seen"]), short_time(story["last_seen"])
    return first if first == last else f"{first} – {last}"


def _delay(since: datetime, moment: datetime) -> str:
    minutes = round((moment - since).total_seconds() / 60)
    if minutes <= 0:
        return "first"
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "", f"{minutes} min"]
    return "+" + " ".join(part for part in parts if part and part != "0 min")


def _story_html(item: StoryReport, colours: dict[str, str]) -> str:
    story = item.story
    facts = [
        f'first seen <time datetime="{_esc(story["first_seen"])}">'
        f"{_esc(short_time(story['first_seen']))}</time>",
        f'last seen <time datetime="{_esc(story["last_seen"])}">'
        f"{_esc(short_time(story['last_seen']))}</time>",
        _plural(story["appearances"], "appearance", "appearances"),
        _plural(len(story["sources"]), "source", "sources"),
        _esc("languages " + (", ".join(story["languages"]) or "unknown")),
    ]
    if story["watches"]:
        facts.append(_esc("watches " + ", ".join(story["watches"])))
    start = _moment(story["first_seen"])
    if item.marks:
        start = min(start, item.marks[0].at)
    source_rows = "\n".join(
        f"<tr><td>{_source_label(row)}"
        f'</td><td><time datetime="{_esc(row["first_seen"])}">'
        f"{_esc(short_time(row['first_seen']))}</time></td>"
        f"<td>{_esc(_delay(start, _moment(row['first_seen'])))}</td>"
        f'<td class="num">{row["appearances"]}</td><td>{_esc(row["languages"] or "")}</td></tr>'
        for row in item.sources
    )
    headline_rows = "\n".join(
        f'<tr><td><time datetime="{_esc(member["first_seen"])}">'
        f"{_esc(short_time(member['first_seen']))}</time></td>"
        f"<td>{_esc(member['source'])}</td><td>{_esc(member['lang'] or '')}</td>"
        f'<td class="headline" dir="auto">{_link(member["url"], member["title"], member["lang"])}'
        "</td></tr>"
        for member in story["members"]
    )
    return f"""<article class="story" id="story-{story["id"]}">
<h3><bdi>{_esc(story["title"])}</bdi> <span class="muted">#{story["id"]}</span></h3>
<p class="facts">{" · ".join(facts)}</p>
{timeline_svg(item, colours)}
<div class="tables">
<table class="sources"><caption>First seen per source</caption>
<thead><tr><th>Source</th><th>First seen (UTC)</th><th>After the first</th>
<th class="num">Appearances</th><th>Languages</th></tr></thead>
<tbody>
{source_rows}
</tbody></table>
<table class="headlines"><caption>Headlines</caption>
<thead><tr><th>First seen (UTC)</th><th>Source</th><th>Lang.</th><th>Headline</th></tr></thead>
<tbody>
{headline_rows}
</tbody></table>
</div>
</article>"""


def _watch_html(summary: WatchSummary) -> str:
    return f"""<section class="watch" id="watch-{_esc(summary.name)}">
<h3>{_esc(summary.name)} <span class="muted">related appearances per {summary.period}</span></h3>
<p class="facts"><code>{_esc(summary.query)}</code> · {_plural(summary.stories, "story", "stories")}
 · {_plural(summary.appearances, "related appearance", "related appearances")}</p>
{counts_svg(summary)}
</section>"""


# Charts -------------------------------------------------------------------------------------


def timeline_svg(item: StoryReport, colours: dict[str, str]) -> str:
    """The story's timeline: time across, one row per (source, language), clustered marks."""
    rows = _rows(item)
    if not item.marks:
        return '<p class="empty">No appearance recorded.</p>'
    first, last = item.marks[0].at, item.marks[-1].at
    span = (last - first).total_seconds()
    if span < 3600:
        first, last = first - timedelta(minutes=30), last + timedelta(minutes=30)
        span = (last - first).total_seconds()
    pad = span * 0.04
    start, end = first - timedelta(seconds=pad), last + timedelta(seconds=pad)
    plot = _WIDTH - _LABELS - _RIGHT
    height = _TOP + len(rows) * _ROW + _AXIS

    def x_of(moment: datetime) -> float:
        return _LABELS + (moment - start).total_seconds() / (end - start).total_seconds() * plot

    parts = [
        f'<svg class="timeline" viewBox="0 0 {_WIDTH} {height}" role="img" '
        f'aria-labelledby="tl-{item.story["id"]}-desc" preserveAspectRatio="xMinYMin meet">',
        f'<desc id="tl-{item.story["id"]}-desc">{_esc(_timeline_description(item))}</desc>',
    ]
    for index, (source, lang) in enumerate(rows):
        y = _TOP + index * _ROW
        if index % 2 == 0:
            parts.append(
                f'<rect class="band" x="{_LABELS}" y="{y}" width="{plot}" height="{_ROW}"/>'
            )
        label = _shorten(source, 18) + (f" · {lang}" if lang else "")
        parts.append(
            f'<text class="row-label" x="{_LABELS - 10}" y="{y + _ROW / 2 + 4}" '
            f'text-anchor="end">{_esc(label)}</text>'
        )
    axis_y = _TOP + len(rows) * _ROW
    parts.append(
        f'<line class="axis" x1="{_LABELS}" y1="{axis_y}" x2="{_WIDTH - _RIGHT}" y2="{axis_y}"/>'
    )
    for tick, lines in _ticks(start, end):
        x = round(x_of(tick), 1)
        parts.append(f'<line class="grid" x1="{x}" y1="{_TOP}" x2="{x}" y2="{axis_y}"/>')
        spans = "".join(
            f'<tspan x="{x}" dy="{14 if number == 0 else 13}">{_esc(line)}</tspan>'
            for number, line in enumerate(lines)
        )
        parts.append(
            f'<text class="tick" x="{x}" y="{axis_y + 2}" text-anchor="middle">{spans}</text>'
        )
    row_index = {row: index for index, row in enumerate(rows)}
    for kind_name, kind in MARK_KINDS.items():
        marks = [mark for mark in item.marks if mark.kind == kind_name]
        for cluster in _clusters(marks, x_of):
            mark = cluster[0]
            middle = _TOP + row_index[(mark.source, mark.lang or "")] * _ROW + _ROW / 2
            parts.append(
                _mark_svg(kind, cluster, x_of(mark.at), middle, colours.get(mark.lang or "", ""))
            )
    parts.append("</svg>")
    legend = "".join(
        f'<li><svg viewBox="0 0 16 16" class="key">'
        f"{_shape(kind.shape, 8, 8, 5, '#555')}</svg>{_esc(kind.label)}</li>"
        for name, kind in MARK_KINDS.items()
        if any(mark.kind == name for mark in item.marks)
    )
    legend += "".join(
        f'<li><span class="swatch" style="background:{colour}"></span>{_esc(lang or "unknown")}'
        "</li>"
        for lang, colour in colours.items()
        if any((mark.lang or "") == lang for mark in item.marks)
    )
    return (
        f'<figure class="timeline">{"".join(parts)}'
        f'<figcaption><ul class="legend">{legend}<li class="muted">times in UTC; '
        "a number is how many marks coincide</li></ul></figcaption></figure>"
    )


def counts_svg(summary: WatchSummary) -> str:
    """A watch's related appearances per period as bars (a period without any is empty)."""
    if not summary.counts:
        return '<p class="empty">No related appearance yet.</p>'
    width, height, left, bottom, top = _WIDTH, 150, 44, 28, 16
    plot_w, plot_h = width - left - _RIGHT, height - top - bottom
    peak = max(count for _, count in summary.counts) or 1
    slot = plot_w / len(summary.counts)
    bar_w = min(max(slot * 0.7, 1), 40)
    every = max(1, math.ceil(len(summary.counts) / 10))
    what = f"related appearances per {summary.period} for {summary.name}"
    parts = [
        f'<svg class="counts" viewBox="0 0 {width} {height}" role="img" aria-label="{_esc(what)}">',
        f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{width - _RIGHT}" '
        f'y2="{top + plot_h}"/>',
        f'<text class="tick" x="{left - 6}" y="{top + 4}" text-anchor="end">{peak}</text>',
        f'<text class="tick" x="{left - 6}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    for index, (start, count) in enumerate(summary.counts):
        centre = left + (index + 0.5) * slot
        bar = plot_h * count / peak
        label = start[:7] if summary.period == "month" else start
        title = f"{summary.period} of {label}" if summary.period != "day" else label
        parts.append(
            f'<rect class="bar" x="{centre - bar_w / 2:.1f}" y="{top + plot_h - bar:.1f}" '
            f'width="{bar_w:.1f}" height="{bar:.1f}" data-start="{start}" data-count="{count}">'
            f"<title>{title}: "
            f"{_plural(count, 'related appearance', 'related appearances')}</title></rect>"
        )
        if count and len(summary.counts) <= 31:
            parts.append(
                f'<text class="count" x="{centre:.1f}" y="{top + plot_h - bar - 4:.1f}" '
                f'text-anchor="middle">{count}</text>'
            )
        if index % every == 0:
            parts.append(
                f'<text class="tick" x="{centre:.1f}" y="{top + plot_h + 16}" '
                f'text-anchor="middle">{label}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _rows(item: StoryReport) -> list[tuple[str, str]]:
    """(source, language) rows: sources by first sighting, then languages by first sighting."""
    order = {row["source_id"]: index for index, row in enumerate(item.sources)}
    rows: list[tuple[str, str]] = []
    for mark in item.marks:
        row = (mark.source, mark.lang or "")
        if row not in rows:
            rows.append(row)
    return sorted(rows, key=lambda row: (order.get(row[0], len(order)), rows.index(row)))


def _lang_colours(stories: list[StoryReport]) -> dict[str, str]:
    """A colour per language, the most frequent first (the same in every chart of a report)."""
    frequency = Counter(mark.lang for story in stories for mark in story.marks if mark.lang)
    ordered = sorted(frequency, key=lambda lang: (-frequency[lang], lang))
    colours = {lang: LANG_COLOURS[i % len(LANG_COLOURS)] for i, lang in enumerate(ordered)}
    colours[""] = UNKNOWN_LANG_COLOUR
    return colours


def _clusters(marks: list[Mark], x_of: Callable[[datetime], float]) -> Iterator[list[Mark]]:
    """Marks of one row drawn as one when within a few pixels of the cluster's first mark."""
    by_row: dict[tuple[str, str], list[Mark]] = {}
    for mark in marks:
        by_row.setdefault((mark.source, mark.lang or ""), []).append(mark)
    for row_marks in by_row.values():
        cluster: list[Mark] = []
        for mark in sorted(row_marks, key=lambda mark: mark.at):
            if cluster and x_of(mark.at) - x_of(cluster[0].at) > _CLUSTER_PX:
                yield cluster
                cluster = []
            cluster.append(mark)
        if cluster:
            yield cluster


def _mark_svg(kind: MarkKind, cluster: list[Mark], x: float, y: float, colour: str) -> str:
    count = len(cluster)
    radius = _RADIUS + min(count - 1, 4)
    shown = cluster[:8]
    tooltip = "\n".join(
        f"{short_time(mark.at.isoformat())} · {mark.text} ({mark.detail})" for mark in shown
    )
    if count > len(shown):
        tooltip += f"\n… and {count - len(shown)} more"
    first = cluster[0]
    label = (
        f'<text class="count" x="{x:.1f}" y="{y + 3.5:.1f}" text-anchor="middle">{count}</text>'
        if count > 1
        else ""
    )
    return (
        f'<g class="mark mark-{_esc(first.kind)}" data-kind="{_esc(first.kind)}" '
        f'data-source="{_esc(first.source)}" data-lang="{_esc(first.lang or "")}" '
        f'data-at="{_esc(first.at.isoformat())}" data-count="{count}">'
        f"<title>{_esc(tooltip)}</title>{_shape(kind.shape, x, y, radius, colour)}{label}</g>"
    )


def _shape(shape: str, x: float, y: float, r: float, colour: str) -> str:
    """An SVG shape centred on (x, y): circle, diamond, square or triangle."""
    fill = f'fill="{colour or UNKNOWN_LANG_COLOUR}"'
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {fill}/>'
    if shape == "square":
        side = f"{2 * r:.1f}"
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{side}" height="{side}" {fill}/>'
    if shape == "diamond":
        points = [(x, y - r * 1.3), (x + r * 1.3, y), (x, y + r * 1.3), (x - r * 1.3, y)]
    elif shape == "triangle":
        points = [(x, y - r * 1.3), (x + r * 1.2, y + r), (x - r * 1.2, y + r)]
    else:
        raise ValueError(f"unknown mark shape {shape!r}")
    coords = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    return f'<polygon points="{coords}" {fill}/>'


def _ticks(start: datetime, end: datetime) -> Iterator[tuple[datetime, list[str]]]:
    """Evenly spaced UTC ticks between `start` and `end`, with their label lines.

    Times of day carry the date on the first tick and whenever it changes; steps of a month
    or more are labelled with month and year.
    """
    span = (end - start).total_seconds()
    step = next((s for s in _TICK_STEPS if span / s <= _MAX_TICKS), _TICK_STEPS[-1])
    first = math.ceil(start.timestamp() / step) * step
    previous_day = None
    moment = datetime.fromtimestamp(first, UTC)
    while moment <= end:
        day = moment.strftime("%b %d").replace(" 0", " ")
        if step >= 30 * 86400:
            lines = [moment.strftime("%b %Y")]
        elif step >= 86400:
            lines = [day]
        elif day != previous_day:
            lines = [moment.strftime("%H:%M"), day]
        else:
            lines = [moment.strftime("%H:%M")]
        previous_day = day
        yield moment, lines
        moment += timedelta(seconds=step)


def _timeline_description(item: StoryReport) -> str:
    rows = _rows(item)
    sources = sorted({source for source, _ in rows})
    return (
        f"Timeline of {_plural(len(item.marks), 'mark', 'marks')} from "
        f"{short_time(item.marks[0].at.isoformat())} to "
        f"{short_time(item.marks[-1].at.isoformat())} UTC across "
        f"{_plural(len(sources), 'source', 'sources')}: {', '.join(sources)}"
    )


def _shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
