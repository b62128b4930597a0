"""`newsmon history`: what happened to an article or a story, in time order."""

from __future__ import annotations

import click

from newsmon.cli.base import db_option, json_option, open_store
from newsmon.normalize.text import json_line, printable


@click.command(name="history")
@click.argument("target")
@db_option
@json_option
def history_command(target: str, db_path: str, as_json: bool) -> None:
    """The timeline of an article (TARGET is any of its URLs) or a story (TARGET is its id).

    Appearances, headline revisions (old -> new), moves to new URLs and content updates, in
    time order.

    Example: newsmon history https://ccbsnews.info/en/news/detail/3293
    """
    from newsmon.store.history import history_of

    store = open_store(db_path)
    try:
        what, rows = history_of(store.conn, target)
    except LookupError as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        for row in rows:
            click.echo(json_line(row))
        return
    click.echo(f"history of {what}")
    for row in rows:
        click.echo(f"{printable(row['at'])}  {describe(row)}")


def describe(row: dict[str, object]) -> str:
    """One history row as text (each of its lines `printable`)."""
    kind = row["kind"]
    row = {
        name: printable(value) if isinstance(value, str) and name != "diff" else value
        for name, value in row.items()
    }
    if kind == "appearance":
        return f"seen   {row['source']} ({row['context']} of {row['page_url']}): {row['title']}"
    if kind == "revision":
        return (
            f"headline changed on {row['source']} ({row['context']}): "
            f"{row['old']!r} -> {row['new']!r}"
        )
    if kind == "move":
        return f"moved  {row['old']} -> {row['new']}"
    if row["diff"]:
        return f"content updated ({row['source']}):\n" + "\n".join(
            f"    {printable(line)}" for line in str(row["diff"]).splitlines()
        )
    return f"content updated ({row['source']}): modified {row['old']} -> {row['new']}"
