"""A team's briefing gives each stop's address in the reader's language. It gave the address as
the registry holds it, in Portuguese, to a planner and a team reading Chinese; a site's Chinese
address is now shown in Chinese (on the briefing page, the printable briefing and the plan's
routes), the registered one in other languages and where the site has no Chinese form."""

from __future__ import annotations

import pytest

from backend.registry.models import Site

pytestmark = pytest.mark.django_db(transaction=True)


def _chinese_addresses() -> dict[str, str]:
    """Each site a Chinese address; the first keeps none. Returns Portuguese → Chinese."""
    shown = {}
    for n, site in enumerate(Site.objects.order_by("pk")):
        site.address = f"Rua do Teste, n.º {n + 1}, Macau"
        site.address_zh_hant = f"澳門測試街{n + 1}號" if n else ""
        site.save(update_fields=["address", "address_zh_hant"])
        shown[site.address] = site.address_zh_hant
    return shown


def test_the_briefing_shows_each_stops_address_in_the_readers_language(planner_client, operation):
    planner_client.post(
        f"/planning/operations/{operation.uuid}/plan/start/", {"time_limit_seconds": 3, "seed": 1}
    )
    addresses = _chinese_addresses()
    prefix = f"/planning/operations/{operation.uuid}/plan"
    planner_client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    pages = {
        "briefing": planner_client.get(f"{prefix}/briefings/1/").content.decode(),
        "printable": planner_client.get(f"/api/v1{prefix}/briefings/1/").content.decode(),
        "plan": planner_client.get(f"{prefix}/").content.decode(),
    }
    for name, html in pages.items():
        portuguese = [a for a in addresses if a in html]
        chinese = [c for c in addresses.values() if c and c in html]
        assert chinese, name
        # A Portuguese address only for the site without a Chinese form.
        assert all(not addresses[a] for a in portuguese), (name, portuguese)

    planner_client.post("/i18n/setlang/", {"language": "pt", "next": "/"})
    html = planner_client.get(f"{prefix}/briefings/1/").content.decode()
    assert any(a in html for a in addresses)
    assert not any(c and c in html for c in addresses.values())
