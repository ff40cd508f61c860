"""The clinic logo, the one file the content copies into every handout, and what WeasyPrint
may fetch while it lays a handout out: only what the project ships."""

from __future__ import annotations

import base64
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import edit

SECRET = "daemon:*:20228:0:99999:7:::"
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
       'width="40" height="20">{}</svg>')


def with_logo(content: Path, name: str) -> None:
    edit(content / "clinic.yaml", "paper: a4", f"paper: a4\nlogo: {name}")


def check_logo(run, content: Path, name: str) -> tuple[int, str]:
    with_logo(content, name)
    code, _, stderr = run("check", "--facts", str(content))
    return code, stderr


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    """A file outside the content folder that must never reach a handout."""
    path = tmp_path / "outside" / "shadow.png"
    path.parent.mkdir()
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + SECRET.encode())
    return path


@pytest.mark.parametrize("name", ["ABSOLUTE", "../outside/shadow.png"])
def test_a_logo_outside_the_content_folder_is_refused(run, content, secret_file, name):
    name = str(secret_file) if name == "ABSOLUTE" else name
    code, stderr = check_logo(run, content, name)
    assert code == 1
    assert "is outside the content folder" in stderr and "clinic.yaml" in stderr
    assert SECRET not in stderr and "Traceback" not in stderr


def test_a_logo_symlinked_out_of_the_content_folder_is_refused_and_never_embedded(
        run, content, secret_file, tmp_path):
    (content / "logo.png").symlink_to(secret_file)
    with_logo(content, "logo.png")
    out = tmp_path / "out"
    code, _, stderr = run("--facts", str(content), "--output", str(out), "--variant", "standard")
    assert code == 1
    assert "is a link to a file outside the content folder" in stderr
    assert not out.exists() or not any(out.rglob("*.html"))
    encoded = base64.b64encode(secret_file.read_bytes()).decode()
    assert all(encoded[:24] not in p.read_text(errors="replace") for p in out.rglob("*.html"))


@pytest.mark.parametrize("name", ["/etc/passwd", "/dev/zero.png"])
def test_a_system_file_as_logo_is_a_clear_error(run, content, name):
    code, stderr = check_logo(run, content, name)
    assert code == 1 and "Traceback" not in stderr
    assert "logo" in stderr and "clinic.yaml" in stderr


def test_a_fifo_named_as_logo_is_refused_without_hanging(run, content):
    os.mkfifo(content / "logo.png")
    code, stderr = check_logo(run, content, "logo.png")
    assert code == 1
    assert "is not an ordinary file" in stderr


def test_a_logo_whose_bytes_are_not_the_image_its_name_says_is_refused(run, content):
    (content / "logo.png").write_text("just text", encoding="utf-8")
    code, stderr = check_logo(run, content, "logo.png")
    assert code == 1
    assert "is not a PNG image, though its name says so" in stderr


@pytest.mark.parametrize("reference", [
    '<image href="http://127.0.0.1:9/secret.png" width="9" height="9"/>',
    '<image xlink:href="file:///etc/passwd" width="9" height="9"/>',
    '<style>@import "http://127.0.0.1:9/x.css";</style>',
    '<rect width="9" height="9" style="fill: url(file:///etc/hostname)"/>',
])
def test_an_svg_logo_that_refers_outside_itself_is_refused(run, content, reference):
    (content / "logo.svg").write_text(SVG.format(reference), encoding="utf-8")
    code, stderr = check_logo(run, content, "logo.svg")
    assert code == 1
    assert "outside the image" in stderr


def test_an_svg_logo_with_only_internal_references_is_accepted(run, content):
    inner = ('<defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>'
             '<rect width="40" height="20" fill="url(#g)"/><use href="#g"/>')
    (content / "logo.svg").write_text(SVG.format(inner), encoding="utf-8")
    code, stderr = check_logo(run, content, "logo.svg")
    assert code == 0, stderr


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(b"\x89PNG\r\n\x1a\n")

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    _Recorder.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(autouse=True)
def own_font_configuration(monkeypatch):
    """These tests add fonts of their own: keep them out of the font set that later
    builds in this process share, which would change those builds' bytes."""
    import factsheet.output.parallel as parallel

    monkeypatch.setattr(parallel, "_font_config", None)


@pytest.mark.parametrize("kind", ["web", "file"])
def test_the_pdf_renderer_fetches_nothing_the_project_did_not_ship(tmp_path, local_server,
                                                                   secret_file, kind):
    """Even if a template or an image slipped through, WeasyPrint is refused the request
    and the build stops with a clear error instead of embedding what it fetched."""
    from factsheet.output.parallel import PdfJob, RefusedResource, render_one
    from factsheet.output.render import TEMPLATES, body_font

    url = f"{local_server}/secret.png" if kind == "web" else secret_file.as_uri()
    html = f'<html><body><p>Hello</p><img src="{url}" alt="x"></body></html>'
    shipped = (TEMPLATES, *{p.parent for p in body_font().faces.values()})
    job = PdfJob(tmp_path / "x.pdf", html, str(TEMPLATES), "t", "en", "a", b"0" * 32, shipped)
    with pytest.raises(RefusedResource) as refused:
        render_one(job)
    assert refused.value.url == url
    assert _Recorder.requests == []
    assert not job.path.exists()


def test_the_pdf_renderer_still_reads_the_shipped_fonts(tmp_path):
    from factsheet.output.parallel import PdfJob, render_one
    from factsheet.output.render import TEMPLATES, body_font

    font = body_font()
    faces = "".join(f'@font-face {{ font-family: "Shipped"; font-weight: {w}; '
                    f'src: url("{p.as_uri()}"); }}' for w, p in font.faces.items())
    html = f'<html><head><style>{faces} p {{ font-family: "Shipped"; }}</style></head>' \
           '<body><p>Hello</p></body></html>'
    shipped = (TEMPLATES, *{p.parent for p in font.faces.values()})
    render_one(PdfJob(tmp_path / "x.pdf", html, str(TEMPLATES), "t", "en", "a", b"0" * 32,
                      shipped))
    import pikepdf

    with pikepdf.open(tmp_path / "x.pdf") as pdf:
        fonts = [str(f.get("/BaseFont")) for page in pdf.pages
                 for f in page.Resources.get("/Font", {}).values()]
    assert any(name.endswith("+Shipped") for name in fonts)  # embedded, not a fallback


def test_a_template_that_fetches_from_outside_stops_the_build_with_a_clear_error(
        run, content, tmp_path, monkeypatch, secret_file):
    import shutil

    import factsheet.build.pipeline as pipeline
    from factsheet.output.render import TEMPLATES

    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    head = templates / "_head.html.j2"
    head.write_text(head.read_text(encoding="utf-8").replace(
        "<style>", f'<link rel="stylesheet" href="{secret_file.as_uri()}"><style>', 1),
        encoding="utf-8")
    monkeypatch.setattr(pipeline, "TEMPLATES", templates)
    real_render_html = pipeline.render_html
    monkeypatch.setattr(pipeline, "render_html",
                        lambda *a, **k: real_render_html(*a, templates=templates, **k))
    out = tmp_path / "out"
    code, _, stderr = run("--facts", str(content), "--output", str(out), "--jobs", "1",
                          "--variant", "standard")
    assert code == 1, stderr
    assert f"asked for '{secret_file.as_uri()}'" in stderr
    assert "Traceback" not in stderr
