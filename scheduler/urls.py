from scheduler.apis import urlpatterns

__all__ = ["urlpatterns"]
