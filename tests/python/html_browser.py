"""Helpers for the HTML report's browser test and screenshot script: headless
Chromium through selenium (Debian's chromium, chromium-driver,
python3-selenium), and a small PNG reader (zlib only, no imaging library) to
look at a screenshot's pixels."""

import os
import shutil
import struct
import zlib

CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def missing():
    """Why the browser cannot run here, or None when it can."""
    try:
        import selenium.webdriver  # noqa: F401
    except ImportError:
        return "python3-selenium is not installed (scripts/setup.sh installs it)"
    if not CHROMIUM:
        return "chromium is not installed (scripts/setup.sh installs it)"
    if not os.path.exists(CHROMEDRIVER):
        return "chromedriver is not installed (chromium-driver; scripts/setup.sh installs it)"
    return None


def start(width, height):
    """A headless Chromium with a fixed window size, offline: the page must
    not need the network."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}", "--hide-scrollbars",
                "--force-device-scale-factor=1", "--lang=zh-CN"):
        options.add_argument(arg)
    # The browser is not ours to sanitize: under an ASan build ctest preloads
    # the ASan runtime for the interpreter, which chromium must not inherit.
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "ASAN_OPTIONS")}
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER, env=env), options=options)
    set_viewport(driver, width, height)
    return driver


def set_viewport(driver, width, height):
    """The page's viewport (and so the screenshot) exactly width x height CSS
    pixels at scale 1: the window size also counts the browser's own bars."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def png_size(data):
    """(width, height) from a PNG's IHDR."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def png_rows(data):
    """The pixels of an 8-bit RGB or RGBA non-interlaced PNG (what Chromium
    writes): a list of rows, each a bytes object of width * channels."""
    width, height = png_size(data)
    depth, colour, _, _, interlace = data[24:29]
    assert depth == 8 and colour in (2, 6) and interlace == 0, "unexpected PNG layout"
    channels = 3 if colour == 2 else 4
    idat = b""
    pos = 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = prev[i]
                c = prev[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return rows, channels
