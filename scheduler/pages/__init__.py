"""The planner's pages in the console (mounted at /planning/ by ``scheduler.pages_urls``)."""
