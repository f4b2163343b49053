"""python-telegram-bot's calls to the Bot API over aiohttp, the HTTP client the Slack side already uses.

PTB's default client (httpx over httpcore and anyio) costs about a millisecond of CPU per call; this one about a
quarter of that (README, "Throughput of the adapters"). The Bot object, its methods, its errors and its retries are
PTB's own: only the transport is swapped, through `telegram.request.BaseRequest`, the extension point PTB
documents for it (the PTB team's ptbcontrib keeps one alike; it is not published as a package).
"""

from __future__ import annotations

from contextlib import suppress
from typing import NamedTuple

import aiohttp
from aiohttp.helpers import basicauth_from_netrc, get_env_proxy_for_url, netrc_from_env
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from yarl import URL


class AiohttpRequest(BaseRequest):
    """One aiohttp session (opened by PTB's `initialize`, in the running loop; closed by its `shutdown`) and its
    pool of kept-alive connections.

    PTB's four timeouts map onto aiohttp's: connect → `sock_connect`, read → `sock_read`, pool → `connect` (which
    in aiohttp includes waiting for a free connection). aiohttp has no write timeout of its own: a write that
    stalls is caught by the read timeout that follows it."""

    __slots__ = ("_connections", "_routes", "_session", "_timeout")

    def __init__(self, *, timeout: float, connections: int = 64) -> None:
        self._timeout = timeout
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None
        self._routes: dict[str, _Route] = {}  # by host: read from the environment at its first call

    @property
    def read_timeout(self) -> float:
        return self._timeout

    @property
    def closed(self) -> bool:
        """No session is open (never initialized, or shut down)."""
        return self._session is None or self._session.closed

    async def initialize(self) -> None:
        if self.closed:
            connector = aiohttp.TCPConnector(limit=self._connections)
            # No trust_env: the proxy and .netrc it would read, in a thread, on every call are read once (`_Route`).
            self._session = aiohttp.ClientSession(connector=connector, headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """The call's parameters as a form (multipart when it carries files), with the call's timeouts or else
        this request's; aiohttp's timeouts and connection errors become PTB's TimedOut and NetworkError, which
        the sender sorts into "try again later"."""
        if self._session is None or self._session.closed:  # (`closed`, spelt out for the type checker)
            raise RuntimeError("AiohttpRequest is not initialized (PTB's initialize opens its session)")
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=self._given(pool_timeout),
            sock_connect=self._given(connect_timeout),
            sock_read=self._given(read_timeout),
        )
        route = self._route(url)
        try:
            async with self._session.request(
                method,
                url,
                data=_form(request_data),
                timeout=timeout,
                proxy=route.proxy,
                proxy_auth=route.proxy_auth,
                auth=route.auth,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as problem:  # aiohttp's timeouts are TimeoutErrors
            raise TimedOut(f"aiohttp: {problem!r}") from problem
        except aiohttp.ClientError as problem:
            raise NetworkError(f"aiohttp.{type(problem).__name__}: {problem}") from problem

    def _route(self, url: str) -> _Route:
        parsed = URL(url)
        host = f"{parsed.scheme}://{parsed.host}"
        if host not in self._routes:
            self._routes[host] = _Route.from_env(parsed)
        return self._routes[host]

    def _given(self, value: object) -> float | None:
        """A timeout the call gave (None: wait as long as it takes), or this request's own (PTB's DEFAULT_NONE:
        the call gave none)."""
        if value is BaseRequest.DEFAULT_NONE:
            return self._timeout
        assert value is None or isinstance(value, int | float), value
        return value


class _Route(NamedTuple):
    """How calls to one host go: through the proxy that HTTPS_PROXY / HTTP_PROXY name for its scheme (unless
    NO_PROXY spares it), with the credentials .netrc holds for it unless the URL carries its own — what aiohttp's
    `trust_env` applied, read here once per host rather than on every call."""

    proxy: URL | None
    proxy_auth: aiohttp.BasicAuth | None
    auth: aiohttp.BasicAuth | None

    @classmethod
    def from_env(cls, url: URL) -> _Route:
        try:
            proxy, proxy_auth = get_env_proxy_for_url(url)
        except LookupError:
            proxy, proxy_auth = None, None
        auth = None
        if not url.user:  # credentials in the URL win, as with trust_env (aiohttp refuses both at once)
            with suppress(LookupError):
                auth = basicauth_from_netrc(netrc_from_env(), url.host or "")
        return cls(proxy, proxy_auth, auth)


def _form(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    """A call's parameters, each JSON-encoded as PTB encodes them: a urlencoded form, or multipart with its
    files (name, content or file handle, and type as PTB gives them)."""
    if request_data is None:
        return None
    if not request_data.contains_files:
        return request_data.json_parameters
    form = aiohttp.FormData(request_data.json_parameters)
    for field, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(field, content, filename=filename, content_type=mimetype)
    return form
