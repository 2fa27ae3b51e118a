"""`advisory serve`: the web service, under uvicorn."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import click

from advisories.cli.messages import Command
from advisories.cli.options import load, rules_option
from advisories.errors import QueryError

# asyncio's own loop, not uvloop: with many keep-alive clients uvloop left the first ones
# waiting while later ones were answered again and again (commit 9d46cc0 has the figures);
# httptools parses HTTP faster than h11; our subclass of its protocol bounds each request's
# time and head (web/connections.py).
EVENT_LOOP = "asyncio"
HTTP_PARSER = "advisories.web.connections:BoundedHttpToolsProtocol"


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

    from advisories.web.app import RULES_ENVIRONMENT
    from advisories.web.connections import request_seconds
    from advisories.web.pdfs import renderer_from_environment
    from advisories.web.workers import listening_socket, serve_workers

    renderer_from_environment(os.environ)  # a bad limit stops here, as a usage error
    request_seconds(os.environ)
    load(rules_dirs)  # broken rules stop here, with the usual message, before any worker starts
    # As given, not resolved: the workers share this working folder, and the same spelling
    # names the files alike, so they read the compiled cache this load wrote.
    os.environ[RULES_ENVIRONMENT] = os.pathsep.join(str(p) for p in rules_dirs)
    config = uvicorn.Config(
        "advisories.web.app:from_environment",
        factory=True,
        host=host,
        port=port,
        loop=EVENT_LOOP,
        http=HTTP_PARSER,
        server_header=False,
    )
    sockets: list[socket.socket] = []
    try:
        for _ in range(workers):
            sockets.append(listening_socket(host, port, shared=workers > 1))
    except OSError as error:
        for sock in sockets:
            sock.close()
        raise QueryError(f"cannot listen on {host}:{port} ({error.strerror})", "port") from None
    try:
        if workers > 1:
            serve_workers(config, sockets)
        else:
            uvicorn.Server(config).run(sockets=sockets)
    except KeyboardInterrupt:
        pass
    finally:
        for sock in sockets:
            sock.close()
