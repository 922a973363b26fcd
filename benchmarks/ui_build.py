"""The web UI's build time and what its first page costs to download.

1. Times `npm run build` in ui/ twice: cold (Next's cache ui/.next removed first) and
   warm (the cache kept), as `make ui` meets them on a fresh clone and after an edit.
2. Reads the built runs page (ui/out/runs/index.html, the page `/ui/` leads to), sums the
   gzip-compressed size (level 9, as a server or CDN would send it) of every script and
   stylesheet it loads (not the `noModule` polyfills modern browsers skip), and compares it with the not-found page's: the framework alone
   (React, Next's runtime), the baseline measured in the same build, so the ratio says
   what the app's own code adds to the first page.

Run: .venv/bin/python benchmarks/ui_build.py [--skip-build]   (needs `make ui`'s
node_modules; writes ui/out like `make ui`).
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

UI = Path(__file__).resolve().parent.parent / "ui"
# a tag loading a script or stylesheet of the build; `noModule` polyfills are skipped:
# browsers with ES modules (every one the UI supports) never download them
TAG = re.compile(r'<(?:script|link)\b[^>]*?(?:src|href)="(/ui/_next/static/[^"]+\.(?:js|css))"[^>]*>')


def timed_build() -> float:
    started = time.perf_counter()
    subprocess.run(["npm", "run", "build"], cwd=UI, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def first_load(page: Path) -> tuple[int, int, int]:
    """(files, raw bytes, gzip bytes) of the scripts and stylesheets `page` loads."""
    html = page.read_text()
    assets = sorted({m.group(1) for m in TAG.finditer(html) if "noModule" not in m.group(0)})
    raw = zipped = 0
    for asset in assets:
        data = (UI / "out" / asset.removeprefix("/ui/")).read_bytes()
        raw += len(data)
        zipped += len(gzip.compress(data, compresslevel=9))
    return len(assets), raw, zipped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-build", action="store_true", help="measure the existing ui/out")
    args = parser.parse_args()
    if not args.skip_build:
        shutil.rmtree(UI / ".next", ignore_errors=True)
        cold = timed_build()
        warm = timed_build()
        print(f"build: cold {cold:.1f} s, warm {warm:.1f} s (warm/cold {warm / cold:.2f})")
    runs = first_load(UI / "out" / "runs" / "index.html")
    base = first_load(UI / "out" / "404.html")
    print(f"runs page first load: {runs[0]} files, {runs[1] / 1024:.0f} KiB raw, "
          f"{runs[2] / 1024:.1f} KiB gzip")
    print(f"framework baseline (404 page): {base[0]} files, {base[2] / 1024:.1f} KiB gzip")
    print(f"runs page / baseline (gzip): {runs[2] / base[2]:.2f}")


if __name__ == "__main__":
    sys.exit(main())
