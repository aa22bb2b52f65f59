#!/usr/bin/env python3
"""Trunk post-build hook: put a strict Content-Security-Policy into the built index.html.

Trunk loads the app with an inline module script whose text names the hashed file names, so
its hash changes with every build: this computes it and allows exactly that script. The
policy allows nothing from other origins and no network access but our own files.
`frame-ancestors` cannot be set in a <meta> tag (browsers ignore it there): hosts that embed
the page set it as an HTTP header (docs/deploying.md)."""
import base64
import hashlib
import os
import re
import sys

dist = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")
path = os.path.join(dist, "index.html")
html = open(path, encoding="utf-8").read()
hashes = []
for m in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S):
    digest = base64.b64encode(hashlib.sha256(m.group(1).encode("utf-8")).digest()).decode()
    hashes.append(f"'sha256-{digest}'")
policy = "; ".join([
    "default-src 'none'",
    # Our own scripts, the loader's inline module (by hash) and compiling our own wasm.
    "script-src 'self' " + " ".join(hashes) + " 'wasm-unsafe-eval'",
    "worker-src 'self'",
    "style-src 'self'",
    # Charts are inline SVG; downloads are blob: URLs made on this computer.
    "img-src 'self' data: blob:",
    # Only our own files (the wasm modules); no data leaves the page.
    "connect-src 'self'",
    "manifest-src 'self'",
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
])
meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}" />'
html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\s*', "", html)
html = html.replace('<meta charset="utf-8" />', '<meta charset="utf-8" />\n    ' + meta, 1)
open(path, "w", encoding="utf-8").write(html)
print(f"csp: {len(hashes)} inline script(s) allowed by hash")
