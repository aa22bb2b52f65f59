#!/usr/bin/env python3
"""Build dist-single/kpi-lens.html: the whole app in one self-contained HTML file, for
opening from disk (file://), an intranet share or an e-mail attachment.

Browsers will not start a Worker or fetch wasm from a file:// URL, so everything travels
inside the page: the CSS in a <style>, the page's and the worker's JavaScript and wasm as
base64 data blocks. A small loader turns them into blob: URLs and bytes; the app finds its
worker through `window.KPI_LENS_WORKER_URL` (src/worker_client.rs). The page keeps a strict
Content-Security-Policy: only the loader (by hash) and blob: scripts run, no network access
at all (connect-src 'none').

Usage: python3 tools/single_file.py [dist] [out.html]   (after `trunk build --release`)
"""
import base64
import hashlib
import os
import re
import sys

dist = sys.argv[1] if len(sys.argv) > 1 else "dist"
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join("dist-single", "kpi-lens.html")
html = open(os.path.join(dist, "index.html"), encoding="utf-8").read()


def read(name):
    return open(os.path.join(dist, name), "rb").read()


main_js = re.search(r"from '\./(kpi-lens-app-[0-9a-f]+\.js)'", html).group(1)
main_wasm = re.search(r"module_or_path: '\./(kpi-lens-app-[0-9a-f]+_bg\.wasm)'", html).group(1)
css = re.search(r'href="\./(main-[0-9a-f]+\.css)"', html).group(1)
blocks = {
    "kpi-main-js": read(main_js),
    "kpi-main-wasm": read(main_wasm),
    "kpi-worker-js": read("worker.js"),
    "kpi-worker-wasm": read("worker_bg.wasm"),
}
loader = """
const bytes = (id) => Uint8Array.from(atob(document.getElementById(id).textContent.trim()), (c) => c.charCodeAt(0));
const text = (id) => new TextDecoder().decode(bytes(id));
const blobUrl = (source) => URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
// The worker: its glue, then its wasm (bytes, base64 inside the blob) handed to wasm-bindgen.
window.KPI_LENS_WORKER_URL = blobUrl(text('kpi-worker-js') +
  '\\nwasm_bindgen({ module_or_path: Uint8Array.from(atob("' +
  document.getElementById('kpi-worker-wasm').textContent.trim() + '"), (c) => c.charCodeAt(0)) });');
const bindings = await import(blobUrl(text('kpi-main-js')));
await bindings.default({ module_or_path: bytes('kpi-main-wasm') });
window.wasmBindings = bindings;
"""
style = read(css).decode("utf-8")


def sha256(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


policy = "; ".join([
    "default-src 'none'",
    f"script-src {sha256(loader)} blob: 'wasm-unsafe-eval'",
    "worker-src blob:",
    f"style-src {sha256(style)}",
    "img-src data: blob:",
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
])
data = "\n".join(
    f'<script type="application/octet-stream" id="{k}">{base64.b64encode(v).decode()}</script>'
    for k, v in blocks.items()
)
page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta http-equiv="Content-Security-Policy" content="{policy}" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>KPI Lens</title>
<style>{style}</style>
{data}
<script type="module">{loader}</script>
</head>
<body></body>
</html>
"""
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
open(out, "w", encoding="utf-8").write(page)
print(f"single file: {out}, {len(page.encode('utf-8')):,} bytes")
