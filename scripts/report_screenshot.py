#!/usr/bin/env python3
"""Writes the screenshots of the HTML report shown in docs/report.md: the 000
example (XX镇, 2021) as of 2021-09-15 (mid-campaign) and 2021-12-31, each the
whole page in headless Chromium (Debian's chromium, chromium-driver and
python3-selenium; scripts/setup.sh installs them).

    /usr/bin/python3 scripts/report_screenshot.py [--cli build/canbao] [--out docs/images]

The page is 800 px wide (about A4's printed width); the PNG is reduced to a
palette of 16 colours when Pillow is installed (python3-pil), which keeps each
file under 300 KB without changing what a reader sees."""

import argparse
import io
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "python"))
import html_browser  # noqa: E402

DAYS = ["2021-09-15", "2021-12-31"]
WIDTH = 800


def shrink(png):
    try:
        from PIL import Image
    except ImportError:
        return png
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=16, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cli", default=str(ROOT / "build" / "canbao"))
    parser.add_argument("--out", default=str(ROOT / "docs" / "images"))
    args = parser.parse_args()
    why = html_browser.missing()
    if why:
        sys.exit(f"report_screenshot: {why}")
    out_dir = pathlib.Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    driver = html_browser.start(WIDTH, 600)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for day in DAYS:
                page = pathlib.Path(tmp) / f"report-{day}.html"
                page.write_bytes(subprocess.run(
                    [args.cli, "report", "examples/policies/000-xx-town-2021.json", "--progress",
                     "examples/progress/000-xx-town-2021.csv", "--as-of", day, "--format", "html"],
                    cwd=ROOT, check=True, capture_output=True).stdout)
                html_browser.set_viewport(driver, WIDTH, 600)
                driver.get(page.as_uri())
                height = driver.execute_script(
                    "return Math.ceil(document.documentElement.scrollHeight)")
                html_browser.set_viewport(driver, WIDTH, height)
                png = shrink(driver.get_screenshot_as_png())
                target = out_dir / f"report-000-{day}.png"
                target.write_bytes(png)
                print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: "
                      f"{html_browser.png_size(png)[0]}x{html_browser.png_size(png)[1]}, "
                      f"{len(png) // 1024} KB")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
