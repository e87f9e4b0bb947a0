"""Credentials for an endpoint that asks for them: from the environment or a netrc file.

Never from the command line (a password there is visible to every user of the
machine in the process list and stays in the shell history). Looked for in this order:

1. ``MOIKG_ENDPOINT_USER`` and ``MOIKG_ENDPOINT_PASSWORD`` (both, or neither);
2. the netrc file curl and requests read, ``$NETRC`` or else ``~/.netrc``: the
   ``machine`` entry for the endpoint's host, else its ``default`` entry.

They are sent only when the server asks (HTTP 401 with a challenge), with HTTP
Basic (RFC 7617) or Digest (RFC 7616) authentication as the challenge says; Virtuoso's
``/sparql-graph-crud-auth`` asks for Digest.
"""

from __future__ import annotations

import netrc
import os
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from moikg.errors import InputError

__all__ = [
    "ENV_PASSWORD",
    "ENV_USER",
    "Credentials",
    "auth_handlers",
    "find_credentials",
    "hint",
    "opener",
]

ENV_USER: Final = "MOIKG_ENDPOINT_USER"
"""Environment variable holding the endpoint's user name."""
ENV_PASSWORD: Final = "MOIKG_ENDPOINT_PASSWORD"
"""Environment variable holding the endpoint's password."""


@dataclass(frozen=True)
class Credentials:
    """A user name and password, and where they were found.

    Attributes:
        user: The user name.
        password: The password (never shown: not in ``repr``).
        origin: Where they came from, for messages: the variables' names or the netrc path.
    """

    user: str
    password: str = field(repr=False)
    origin: str


def _netrc_path(environ: Mapping[str, str]) -> Path:
    return Path(environ["NETRC"]) if environ.get("NETRC") else Path.home() / ".netrc"


def find_credentials(url: str, *, environ: Mapping[str, str] | None = None) -> Credentials | None:
    """The credentials to use for ``url``, or None when none are configured.

    Args:
        url: The endpoint; its host selects the netrc entry.
        environ: The environment to read; defaults to ``os.environ``.

    Raises:
        InputError: Only one of the two variables is set, or the netrc file is malformed.
    """
    env = os.environ if environ is None else environ
    user, password = env.get(ENV_USER), env.get(ENV_PASSWORD)
    if user is not None or password is not None:
        if not user or password is None:
            raise InputError(f"set both {ENV_USER} and {ENV_PASSWORD}, or neither")
        return Credentials(user, password, f"{ENV_USER}/{ENV_PASSWORD}")
    path = _netrc_path(env)
    if not path.is_file():
        return None
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except netrc.NetrcParseError as error:
        raise InputError(
            f"{path}:{error.lineno}: cannot read this netrc file: {error.msg}", path=str(path)
        ) from None
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}", path=str(path)) from None
    if entry is None:
        return None
    login, _, secret = entry
    return Credentials(login or "", secret or "", str(path))


def auth_handlers(url: str, credentials: Credentials | None) -> list[urllib.request.BaseHandler]:
    """Handlers that answer a Basic or Digest challenge for ``url`` with ``credentials``."""
    if credentials is None:
        return []
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, url, credentials.user, credentials.password)
    return [
        urllib.request.HTTPBasicAuthHandler(manager),
        urllib.request.HTTPDigestAuthHandler(manager),
    ]


def opener(url: str, credentials: Credentials | None) -> urllib.request.OpenerDirector:
    """An opener that answers a Basic or Digest challenge for ``url`` with ``credentials``."""
    return urllib.request.build_opener(*auth_handlers(url, credentials))


def hint(status: int, credentials: Credentials | None, url: str) -> str:
    """What to do about an HTTP 401 or 403 answer, in one sentence."""
    host = urllib.parse.urlsplit(url).hostname or "HOST"
    where = (
        f"set {ENV_USER} and {ENV_PASSWORD}, or add 'machine {host} login USER password "
        "PASSWORD' to ~/.netrc (or the file $NETRC names)"
    )
    if credentials is None and status == 401:
        return f"the endpoint asks for credentials: {where}"
    if credentials is None:
        return (
            "the endpoint refuses to write: it may be read-only, or want a user with write "
            f"rights: {where}"
        )
    if status == 401:
        return (
            f"the endpoint refused user {credentials.user!r} (from {credentials.origin}): "
            "check the user name and password"
        )
    return (
        f"user {credentials.user!r} (from {credentials.origin}) may not write here: "
        "use an account with write rights"
    )
