from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "backend.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Load the Celery app with Django so that @shared_task binds to it in every process, and
        # import every app's tasks now: the web process runs tasks in-process (no broker) or
        # relays them by name, and must know them all, not only a worker.
        from backend.celery import app

        app.autodiscover_tasks(force=True)
