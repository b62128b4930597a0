"""`newsmon history`: what happened to an article or a story, in time order."""

from __future__ import annotations

import json

import click

from newsmon.cli.base import db_option, json_option, open_store


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
            click.echo(json.dumps(row, ensure_ascii=False, sort_keys=True))
        return
    click.echo(f"history of {what}")
    for row in rows:
        click.echo(f"{row['at']}  {describe(row)}")


def describe(row: dict[str, object]) -> str:
    """One history row as text."""
    kind = row["kind"]
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
            f"    {line}" for line in str(row["diff"]).splitlines()
        )
    return f"content updated ({row['source']}): modified {row['old']} -> {row['new']}"
