"""Why a page could not be fetched, in words: one line per failed page, naming the setting at
play when one is (DOWNLOAD_TIMEOUT, DOWNLOAD_MAXSIZE, REDIRECT_MAX_TIMES).

The page named is the one the crawl asked for; a redirect's target is named in the reason. A
page given up after retries says how many times it was tried: Scrapy's own "Gave up retrying"
line is logged at DEBUG only (`RETRY_GIVE_UP_LOG_LEVEL`), so a problem is one line.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure
from twisted.web._newclient import ParseError

_ANNOUNCED = re.compile(r"Expected to receive (\d+) bytes")


def requested_url(request: Request) -> str:
    """The URL the crawl asked for, before any redirect."""
    return request.meta.get("redirect_urls", [request.url])[0]


def failure_reason(failure: Failure, request: Request, settings: BaseSettings) -> str:
    """Why `request` failed, in one line (without the URL it names first), with the number
    of attempts when it was retried."""
    reason = _reason(failure, request, settings)
    attempts = request.meta.get("retry_times", 0) + 1
    return f"{reason}, given up after {attempts} attempts" if attempts > 1 else reason


def _reason(failure: Failure, request: Request, settings: BaseSettings) -> str:
    error = failure.value
    maxsize = request.meta.get("download_maxsize", settings.getint("DOWNLOAD_MAXSIZE"))
    if isinstance(error, HttpError):
        return _http_reason(error)
    if isinstance(error, IgnoreRequest):
        return _ignored_reason(str(error), request, settings, maxsize)
    if isinstance(error, DownloadTimeoutError):
        timeout = request.meta.get("download_timeout", settings.getfloat("DOWNLOAD_TIMEOUT"))
        return f"no complete answer within {timeout:g} s (DOWNLOAD_TIMEOUT)"
    if isinstance(error, DownloadCancelledError):
        announced = _ANNOUNCED.search(str(error))
        if announced:
            return (
                f"larger than DOWNLOAD_MAXSIZE ({announced.group(1)} bytes announced, limit "
                f"{maxsize}), not downloaded"
            )
        return f"larger than DOWNLOAD_MAXSIZE (over {maxsize} bytes received), download cancelled"
    if isinstance(error, ResponseDataLossError):
        return "connection lost before a complete answer (fewer bytes than announced)"
    if isinstance(error, DownloadFailedError):
        parse_error = _nested(error, ParseError)
        if parse_error is not None:
            return f"not an HTTP answer ({parse_error.args[0] if parse_error.args else 'garbled'})"
        return "connection lost before a complete answer"
    if isinstance(error, DownloadConnectionRefusedError):
        return "connection refused"
    if isinstance(error, CannotResolveHostError):
        return f"host name {urlsplit(request.url).hostname} not found"
    if isinstance(error, UnsupportedURLSchemeError):
        return f"URL scheme {urlsplit(request.url).scheme!r} not supported"
    message = " ".join(failure.getErrorMessage().split())
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _http_reason(error: HttpError) -> str:
    response = error.response
    location = response.headers.get("Location")
    if 300 <= response.status < 400 and location:
        target = location.decode("latin-1")
        return f"HTTP {response.status} redirect to {target} not followed"
    return f"HTTP {response.status}"


def _ignored_reason(message: str, request: Request, settings: BaseSettings, maxsize: int) -> str:
    if message == "max redirections reached":
        limit = settings.getint("REDIRECT_MAX_TIMES")
        return f"more than {limit} redirects (REDIRECT_MAX_TIMES), given up at {request.url}"
    if message.startswith("Filtered offsite request"):
        host = urlsplit(request.url).hostname
        if "redirect_urls" in request.meta:
            return f"redirect to {request.url} refused: {host} is not one of the source's domains"
        return f"{request.url} refused: {host} is not one of the source's domains"
    if "during decompression" in message:
        return f"larger than DOWNLOAD_MAXSIZE once decompressed (limit {maxsize}), ignored"
    return " ".join(message.split()) or "ignored"


def _nested(error: BaseException, kind: type[Exception]) -> Exception | None:
    """The first `kind` among the Twisted failures behind a download error."""
    cause = error.__cause__
    for reason in getattr(cause, "reasons", []):
        if isinstance(reason, Failure) and isinstance(reason.value, kind):
            return reason.value
    return None
