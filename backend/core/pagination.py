"""Pages of every list in the back-office API, with their numbers range-checked.

DRF's limit/offset pagination passes any integer to the database, so ``?limit=`` with thirty
digits overflowed the driver (a server error). A limit is at most ``MAX_LIMIT``, an offset at most
``MAX_OFFSET``; anything else is a 400 naming the parameter and its maximum. A larger limit was
once served ``MAX_LIMIT`` rows, as DRF's ``max_limit`` does, and a script asking for 1000 rows
a page read the 500 it got as the whole list when it did not follow ``next``: refused, it is told.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from rest_framework.pagination import LimitOffsetPagination

from backend.core.errors import InvalidInput
from backend.core.strict_input import ascii_digits

MAX_LIMIT = 500
MAX_OFFSET = 2**31 - 1


def _bounded(raw: str, name: str, maximum: int) -> int:
    if not ascii_digits(raw) or len(raw) > 12 or int(raw) > maximum:
        raise InvalidInput(
            errors={name: [gettext("A whole number from 0 to %(maximum)s.") % {"maximum": maximum}]}
        )
    return int(raw)


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT

    def get_limit(self, request: Any) -> int | None:
        raw = request.query_params.get(self.limit_query_param)
        if raw is None or raw == "":
            return self.default_limit
        value = _bounded(raw, self.limit_query_param, self.max_limit)
        return value if value > 0 else self.default_limit

    def get_offset(self, request: Any) -> int:
        raw = request.query_params.get(self.offset_query_param)
        if raw is None or raw == "":
            return 0
        return _bounded(raw, self.offset_query_param, MAX_OFFSET)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["description"] = (
                    f"Number of results to return per page, at most {self.max_limit} (0 or none: "
                    f"{self.default_limit}); a larger number is refused (400)."
                )
                parameter["schema"] = {"type": "integer", "minimum": 0, "maximum": self.max_limit}
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}
        return parameters
