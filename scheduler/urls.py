from backend.planning.apis import urlpatterns as due_work_urls
from scheduler.apis import urlpatterns as planning_urls

urlpatterns = [*due_work_urls, *planning_urls]

__all__ = ["urlpatterns"]
