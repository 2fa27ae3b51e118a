"""`advisory serve`: the web service, under uvicorn."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import click

from advisories.cli.messages import Command
from advisories.cli.options import load, rules_option

# asyncio's own loop, not uvloop: with 50 keep-alive clients uvloop left the first ones waiting
# up to a second while later ones were answered (check p99 400-700 ms against 46-58 ms, at the
# same rate: the issue 12 note). httptools parses HTTP about twice as fast as h11.
EVENT_LOOP = "asyncio"
HTTP_PARSER = "httptools"


@click.command(cls=Command)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(1, 32), help="Processes."
)
@rules_option
def serve(host: str, port: int, workers: int, rules_dirs: tuple[Path, ...]) -> None:
    """Serve the pages (place, trip, orders, PDFs) and the JSON API under /api/v1/ (described
    at /docs and /openapi.json)."""
    import uvicorn  # only this command needs the server: `advisory check` starts without it
    from uvicorn.supervisors import Multiprocess

    from advisories.web.app import RULES_ENVIRONMENT

    load(rules_dirs)  # broken rules stop here, with the usual message, before any worker starts
    # As given, not resolved: the workers share this working folder, and the same spelling
    # names the files alike, so they read the compiled cache this load wrote.
    os.environ[RULES_ENVIRONMENT] = os.pathsep.join(str(p) for p in rules_dirs)
    config = uvicorn.Config(
        "advisories.web.app:from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop=EVENT_LOOP,
        http=HTTP_PARSER,
        server_header=False,
    )
    listening = config.bind_socket()
    # uvicorn binds it without naming TCP, so asyncio leaves Nagle's algorithm on for the
    # connections it accepts: an answer's body then waits for the client's delayed ACK of its
    # headers, 40 ms each (health p50 44 ms with two workers). Accepted sockets inherit this.
    listening.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        if workers > 1:
            Multiprocess(config, sockets=[listening]).run()
        else:
            uvicorn.Server(config).run(sockets=[listening])
    except KeyboardInterrupt:
        pass
