"""Attachments that belong to a person: which they are, sealed in storage, served opened.

A photo inside a person's entry of a checklist (a worker's card, a screened person's document)
and every signature are stored encrypted (``backend/privacy/files.py``, under
``PERSONAL_DATA_KEYS``), the original and its served copy alike; the database says so with
``Attachment.personal``. They are opened only as they are sent to someone the API or page has
already allowed to see the submission, and erased with the person's identifying answers.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO, Any

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from backend.checklists import engine
from backend.checklists.services import parsed_definition
from backend.core.errors import DomainError, Gone
from backend.inspections.models import Attachment
from backend.privacy import files as sealed


class PersonalFileUnreadable(DomainError):
    """The server holds no key that opens this file (a backup restored without its key)."""

    code = "personal_file_unreadable"
    status = 503
    title = _("This file is encrypted under a key the server does not hold.")


def belongs_to_person(attachment: Attachment) -> bool:
    """Whether the submission's answers put this attachment inside a person's entry, or use it
    as a signature."""
    submission = attachment.submission
    definition = parsed_definition(submission.template_version)
    return attachment.name in engine.personal_attachment_refs(definition, submission.answers)


def seal(source: IO[bytes]) -> IO[bytes]:
    """An encrypted temporary copy of ``source`` (from its start), positioned at its start. The
    caller closes it."""
    out = tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR)  # noqa: SIM115  (returned open)
    source.seek(0)
    sealed.encrypt_file(source, out)
    out.seek(0)
    return out


def _opened(handle: IO[bytes]) -> Iterator[bytes]:
    try:
        yield from sealed.decrypt_chunks(handle)
    finally:
        handle.close()


def plain_chunks(field_file: Any) -> Iterator[bytes]:
    """The plain bytes of a stored personal file, chunk by chunk. The first chunk is opened
    before this returns, so a missing key is an error answer, not a cut-off download."""
    handle = field_file.open("rb")
    chunks = _opened(handle)
    try:
        first = next(chunks, b"")
    except sealed.UnreadableFile as exc:
        handle.close()
        raise PersonalFileUnreadable() from exc

    def rest() -> Iterator[bytes]:
        yield first
        yield from chunks

    return rest()


def served_response(attachment: Attachment) -> FileResponse | StreamingHttpResponse:
    """The served copy (metadata removed) as an HTTP response; opened if it is a person's."""
    if attachment.erased_at is not None:
        raise Gone(str(_("This file was erased under the retention policy.")))
    if attachment.personal:
        # Streamed as it is opened (no Content-Length: the plain size is known only then).
        chunks = plain_chunks(attachment.served_file)
        return StreamingHttpResponse(chunks, content_type=attachment.content_type)
    return FileResponse(attachment.served_file.open("rb"), content_type=attachment.content_type)


def original_chunks(attachment: Attachment) -> Iterator[bytes]:
    """The original file as the officer sent it (opened if it is a person's), chunk by chunk."""
    if attachment.personal:
        yield from plain_chunks(attachment.file)
        return
    with attachment.file.open("rb") as handle:
        while chunk := handle.read(1 << 16):
            yield chunk


def read_original(attachment: Attachment) -> bytes:
    return b"".join(original_chunks(attachment))


def rotate(attachment: Attachment) -> int:
    """Re-encrypt a person's files under the first key, each to a new name (a backup being made
    still finds the old one), the row moved over only if nobody changed it meanwhile, the old
    file removed after. Returns how many files were re-encrypted; a file no key opens is left."""
    from django.core.files import File
    from django.db import transaction

    rotated = 0
    for column in ("file", "served_file"):
        field_file = getattr(attachment, column)
        if not field_file:
            continue
        with field_file.open("rb") as handle:
            if sealed.is_current(handle):
                continue
        temp_dir = settings.FILE_UPLOAD_TEMP_DIR
        with field_file.open("rb") as handle, tempfile.TemporaryFile(dir=temp_dir) as out:
            try:
                sealed.rotate_file(handle, out)
            except sealed.UnreadableFile:
                continue
            out.seek(0)
            old = field_file.name
            new = field_file.storage.save(old, File(out))
        with transaction.atomic():
            moved = Attachment.objects.filter(pk=attachment.pk, **{column: old}).update(**{column: new})
        field_file.storage.delete(old if moved else new)
        rotated += moved
    return rotated


def erase_person_files(entries: list[tuple[int, str]], *, now: Any) -> int:
    """Erase the files inside these (submission id, entry path) persons' entries: the rows keep
    their declaration (name, SHA-256, size) and say when they were erased; the stored files go
    once the erasure commits. Returns the number of attachments erased."""
    from django.db import transaction

    from backend.inspections.models import Submission

    paths: dict[int, set[str]] = {}
    for submission_id, entry_path in entries:
        paths.setdefault(submission_id, set()).add(entry_path)
    erased = 0
    submissions = Submission.objects.filter(pk__in=paths).select_related("template_version")
    for submission in submissions:
        definition = parsed_definition(submission.template_version)
        refs = {
            ref
            for path, ref in engine.attachment_refs(definition, submission.answers)
            if any(path.startswith(f"{entry}.") for entry in paths[submission.pk])
        }
        rows = list(submission.attachments.filter(name__in=refs, erased_at__isnull=True))
        for attachment in rows:
            names = [f.name for f in (attachment.file, attachment.served_file) if f]
            storage = attachment.file.storage
            transaction.on_commit(lambda names=names, storage=storage: [storage.delete(n) for n in names])
        erased += Attachment.objects.filter(pk__in=[a.pk for a in rows]).update(
            file="", served_file="", erased_at=now
        )
    return erased
