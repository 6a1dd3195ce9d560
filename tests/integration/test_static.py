"""Static files served by the real `famigo` binary.

Builds a small asset folder, runs `famigo collectstatic` on it, starts
`famigo serve` through the `famigo_server` fixture of conftest.py and checks
what a browser, a CDN and an attacker see: 200 with validators, 304, 206/416,
gzip/br negotiation, HEAD, large files (sent with sendfile), the development
mode, and path traversal attempts sent byte for byte over a raw socket.
"""

import gzip
import json
import os
import pathlib
import shutil
import socket
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
FAMIGO = pathlib.Path(os.environ.get("FAMIGO_BIN", ROOT / "build/release/src/famigo"))
SECRET = "famigo-secret-do-not-serve"

CSS = (
    "body { background: url(../img/logo.svg) no-repeat; }\n"
    + "".join(f".c{i} {{ margin: {i}px; padding: {i}px; }}\n" for i in range(60))
)
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>\n'
BIG = bytes((i * 7 + i // 256) % 256 for i in range(300 * 1024))  # over static.memory_max_file


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not FAMIGO.exists():
        pytest.skip(f"{FAMIGO} is not built")
    base = tmp_path_factory.mktemp("static-site")
    source, build = base / "src", base / "build"
    (source / "css").mkdir(parents=True)
    (source / "img").mkdir()
    (source / "css/site.css").write_text(CSS)
    (source / "img/logo.svg").write_text(LOGO)
    (source / "big.bin").write_bytes(BIG)
    (source / ".env").write_text(SECRET)
    (base / "secret.txt").write_text(SECRET)
    result = subprocess.run(
        [str(FAMIGO), "collectstatic", "--set", f"static.source={source}",
         "--set", f"static.build_dir={build}"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "collectstatic:" in result.stdout
    manifest = json.loads((build / "manifest.json").read_text())
    assert manifest["version"] == 1
    return {"base": base, "source": source, "build": build, "files": manifest["files"]}


@pytest.fixture
def server(famigo_server, site):
    return famigo_server({"static.source": site["source"], "static.build_dir": site["build"]})


def raw_request(server, path, headers=None, method="GET"):
    """Sends one request exactly as given (no client-side path clean-up)."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{server.port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    reply = b"".join(chunks)
    head, _, body = reply.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split(" ")[1])
    parsed = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        parsed[name.strip().lower()] = value.strip()
    return status, parsed, body


def test_get_serves_file_with_validators(server, site):
    status, headers, body = raw_request(server, "/static/css/site.css")
    assert status == 200
    assert body == (site["build"] / "css/site.css").read_bytes()
    assert headers["content-type"] == "text/css; charset=utf-8"
    assert headers["content-length"] == str(len(body))
    assert headers["etag"].startswith('"')
    assert headers["last-modified"].endswith(" GMT")
    assert headers["cache-control"] == "public, max-age=300"
    assert headers["accept-ranges"] == "bytes"
    assert headers["vary"] == "Accept-Encoding"
    # The stylesheet points at the fingerprinted logo.
    assert site["files"]["img/logo.svg"].split("/")[-1].encode() in body


def test_fingerprinted_name_is_immutable(server, site):
    status, headers, _ = raw_request(server, "/static/" + site["files"]["css/site.css"])
    assert status == 200
    assert headers["cache-control"] == "public, max-age=31536000, immutable"


def test_conditional_requests_get_304(server):
    _, first, _ = raw_request(server, "/static/css/site.css")
    status, headers, body = raw_request(server, "/static/css/site.css",
                                        {"If-None-Match": first["etag"]})
    assert status == 304 and body == b""
    assert headers["etag"] == first["etag"]
    status, _, body = raw_request(server, "/static/css/site.css",
                                  {"If-Modified-Since": first["last-modified"]})
    assert status == 304 and body == b""
    status, _, _ = raw_request(server, "/static/css/site.css", {"If-None-Match": '"stale"'})
    assert status == 200


def test_ranges(server, site):
    status, headers, body = raw_request(server, "/static/big.bin", {"Range": "bytes=10-19"})
    assert status == 206
    assert body == BIG[10:20]
    assert headers["content-range"] == f"bytes 10-19/{len(BIG)}"
    status, headers, body = raw_request(server, "/static/big.bin", {"Range": "bytes=-5"})
    assert status == 206 and body == BIG[-5:]
    status, headers, _ = raw_request(server, "/static/big.bin", {"Range": f"bytes={len(BIG)}-"})
    assert status == 416
    assert headers["content-range"] == f"bytes */{len(BIG)}"


def test_large_file_whole(server):
    status, headers, body = raw_request(server, "/static/big.bin")
    assert status == 200
    assert headers["content-length"] == str(len(BIG))
    assert body == BIG


def test_client_gone_mid_sendfile_leaves_server_up(server):
    # A reader that resets the connection while a large file is still going
    # out makes sendfile(2) fail with EPIPE; that must not kill the process.
    import struct
    for _ in range(20):
        sock = socket.create_connection((server.host, server.port), timeout=10)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.sendall(f"GET /static/big.bin HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode())
        sock.recv(1024)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()  # reset with unread data
    status, _, body = raw_request(server, "/static/big.bin")
    assert status == 200 and body == BIG
    assert server.proc.poll() is None


def test_gzip_and_brotli_negotiation(server, site):
    original = (site["build"] / "css/site.css").read_bytes()
    status, headers, body = raw_request(server, "/static/css/site.css",
                                        {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(body) == original

    status, headers, body = raw_request(server, "/static/css/site.css",
                                        {"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200
    assert headers["content-encoding"] == "br"
    assert len(body) < len(original)
    if shutil.which("brotli"):
        decoded = subprocess.run(["brotli", "-d", "-c"], input=body, capture_output=True, check=True)
        assert decoded.stdout == original

    status, headers, body = raw_request(server, "/static/css/site.css",
                                        {"Accept-Encoding": "br;q=0, gzip;q=0"})
    assert "content-encoding" not in headers and body == original


def test_head_has_headers_and_no_body(server):
    _, get_headers, get_body = raw_request(server, "/static/css/site.css")
    status, headers, body = raw_request(server, "/static/css/site.css", method="HEAD")
    assert status == 200 and body == b""
    assert headers["etag"] == get_headers["etag"]
    assert headers["content-length"] == str(len(get_body))


HOSTILE_PATHS = [
    "/static/../secret.txt",
    "/static/../../secret.txt",
    "/static/%2e%2e/secret.txt",
    "/static/%2E%2E/%2E%2E/secret.txt",
    "/static/.%2e/secret.txt",
    "/static/..%2fsecret.txt",
    "/static/css/..%2f..%2fsecret.txt",
    "/static/%2e%2e%2fsecret.txt",
    "/static/..%5csecret.txt",
    "/static/..\\secret.txt",
    "/static/%c0%ae%c0%ae/secret.txt",
    "/static/%c0%ae%c0%ae%c0%afsecret.txt",
    "/static/%252e%252e/secret.txt",
    "/static/css/site.css%00.png",
    "/static/.env",
    "/static/%2eenv",
    "/static//etc/passwd",
    "/static/./css/site.css",
    "/static/css/./site.css",
    "/static/%",
]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_path_traversal_is_refused(server, path):
    status, _, body = raw_request(server, path)
    assert status in (400, 404), path
    assert SECRET.encode() not in body


def test_development_mode_serves_sources(famigo_server, site, tmp_path):
    dev = famigo_server({"static.source": site["source"],
                         "static.build_dir": tmp_path / "no-build-yet"})
    status, headers, body = raw_request(dev, "/static/css/site.css")
    assert status == 200
    assert body == CSS.encode()
    assert headers["cache-control"] == "no-cache"
