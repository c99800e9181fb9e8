"""Holding a page's answers back, so that changes land while one is on its way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class HeldAnswers:
    """Holds the answers to the requests ``matches`` picks while ``holding``, so that every change
    in a burst is made while an answer is still on its way, however fast the test server is."""

    def __init__(self, page: Any, matches: Callable[[str], bool]) -> None:
        self.holding = False
        self.held: list[Any] = []
        self.asked: list[str] = []
        page.route(matches, self._route)

    def _route(self, route: Any) -> None:
        self.asked.append(route.request.url)
        if self.holding:
            self.held.append(route)
        else:
            route.continue_()

    def release(self) -> None:
        self.holding = False
        held, self.held = self.held, []
        for route in held:
            route.continue_()
