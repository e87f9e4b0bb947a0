"""Take the README's screenshot of the network page in headless Chromium.

Renders the project's page (``moikg render``), opens it in Debian's ``chromium`` through
Playwright with every outside request blocked, clicks IIPP so the details panel shows its
sources, and saves a PNG (default ``docs/network-page.png``).

Run: ``.venv/bin/python scripts/screenshot.py [--page build/network.html] [--out PNG]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from moikg.network.page import RenderOptions, render

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ROOT = Path(__file__).resolve().parents[1]


def shoot(page_path: Path, out: Path, *, select: str | None, width: int, height: int) -> list[str]:
    """Open the page, optionally select an actor, save the screenshot; return blocked URLs."""
    blocked: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": width, "height": height})

        def route(handle: Any) -> None:
            url = handle.request.url
            if url.startswith(("file:", "data:", "blob:")):
                handle.continue_()
            else:
                blocked.append(url)
                handle.abort()

        page.route("**/*", route)
        page.goto(page_path.as_uri())
        page.wait_for_selector("body[data-ready=true]", timeout=60_000)
        if select:
            page.fill("#search", select)
            page.click("#search-form button")
            page.evaluate("window.moikg.network.fit({animation: false})")
            page.evaluate(
                "window.moikg.network.moveTo({scale: window.moikg.network.getScale() * 0.9})"
            )
        page.wait_for_timeout(300)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        browser.close()
    return blocked


def main() -> int:
    """Command line: render (or take) a page and photograph it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--page", type=Path, help="an existing page (default: render one)")
    parser.add_argument("--projection", default="actor")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "network-page.png")
    parser.add_argument("--select", default="IIPP", help="actor to click ('' for none)")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        page_path = args.page or render(
            out=Path(tmp) / "network.html", options=RenderOptions(projection=args.projection)
        )
        blocked = shoot(
            page_path, args.out, select=args.select or None, width=args.width, height=args.height
        )
    if blocked:
        print(f"screenshot: the page asked for {len(blocked)} outside URL(s)", file=sys.stderr)
        return 1
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
