"""`podcastfeed serve`: build into a temporary folder, serve it on 127.0.0.1, rebuild on change."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from podcastfeed.cli.common import ConfigOption, command, err
from podcastfeed.errors import ExitCode
from podcastfeed.source import CONFIG_NAME


@command("serve")
def serve_command(
    config: ConfigOption = Path(CONFIG_NAME),
    port: Annotated[
        int, typer.Option("--port", "-p", min=0, max=65535, help="Port on 127.0.0.1 (0: any).")
    ] = 8000,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the show page in the default browser.")
    ] = False,
) -> None:
    """Preview the show page and feed locally, rebuilt when an episode or feed.toml changes.

    Builds into a temporary folder (podcastfeed.lock is not written) and serves it on
    127.0.0.1; local audio is served from the show folder with Range support, so the players
    can seek. Build errors appear on the page and here. Ctrl-C stops it.

    Examples:

      podcastfeed serve                    # http://127.0.0.1:8000/

      podcastfeed serve --port 0 --open    # any free port, opened in the browser
    """
    from podcastfeed.serve import Preview, make_server

    preview = Preview(config, clock=lambda: datetime.now(UTC), log=err)
    try:
        server = make_server(preview, port)
    except OSError as exc:
        preview.close()
        err(f"Error: cannot listen on 127.0.0.1:{port}: {exc.strerror}")
        raise typer.Exit(int(ExitCode.USAGE)) from None
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
    try:
        preview.rebuild()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        err(f"Serving {url} (Ctrl-C to stop)")
        watcher.start()
        if open_browser:
            import webbrowser

            webbrowser.open(url)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:  # how a preview stops: exit 0 (before the server: 130)
        err("Stopped")
    finally:
        stop.set()
        server.server_close()
        if watcher.is_alive():
            watcher.join(timeout=2)
        preview.close()
