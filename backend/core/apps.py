from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "backend.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Load the Celery app with Django so that @shared_task binds to it in every process.
        import backend.celery  # noqa: F401
