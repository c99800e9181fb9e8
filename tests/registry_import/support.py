"""Helpers of the registry import tests: run an import through its services as the console does
(the check and the apply run as the outbox hands them over after commit), and a geocoding server
that answers as Nominatim's /search does."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from backend.registry_import import services
from backend.registry_import.models import RegistryImport

FILES = Path(__file__).parent / "files"


def upload(django_capture_on_commit_callbacks, user, kind: str, name: str, data: bytes | None = None):
    """Receive a file and run its dry run (the task the outbox hands over after commit)."""
    if data is None:
        data = (FILES / name).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        item = services.import_receive(actor=user, kind=kind, file_name=name, data=data)
    return RegistryImport.objects.get(pk=item.pk)


def apply(django_capture_on_commit_callbacks, user, item):
    with django_capture_on_commit_callbacks(execute=True):
        services.import_apply_request(actor=user, registry_import=item)
    return RegistryImport.objects.get(pk=item.pk)


class Nominatim:
    """A local HTTP server answering /search as Nominatim does (jsonv2 list of places), from a
    table of address → (lat, lon); every query is recorded."""

    def __init__(self, places: dict[str, tuple[float, float]]):
        self.places = places
        self.queries: list[dict[str, list[str]]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlsplit(self.path)
                query = parse_qs(url.query)
                owner.queries.append(query)
                if url.path != "/search":
                    self.send_response(404)
                    self.end_headers()
                    return
                found = owner.places.get(query.get("q", [""])[0])
                body = (
                    [
                        {
                            "place_id": 1,
                            "lat": str(found[0]),
                            "lon": str(found[1]),
                            "display_name": query["q"][0],
                            "boundingbox": [str(found[0]), str(found[0]), str(found[1]), str(found[1])],
                        }
                    ]
                    if found
                    else []
                )
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
