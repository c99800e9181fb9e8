from celery import shared_task

from backend.registry_import.services import import_apply, import_check


@shared_task(name="registry_import.check", ignore_result=True)
def check(import_id: int) -> None:
    """The dry run of an uploaded registry file (safe to run twice: it starts over)."""
    import_check(import_id=import_id)


@shared_task(name="registry_import.apply", ignore_result=True)
def apply(import_id: int) -> None:
    """Apply a checked import, all or nothing (safe to run twice: an applied import is left alone)."""
    import_apply(import_id=import_id)
