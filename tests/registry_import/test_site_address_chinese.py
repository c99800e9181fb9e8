"""A site's Chinese address through the registry import: the optional ``address_zh_hant``
column sets it, a later file without the column leaves it as it is, and the export and the
templates carry it. Before, a registry had no way in for the Chinese form, and readers of
Chinese saw every site's address in Portuguese."""

from __future__ import annotations

import pytest
from django.utils import translation

from backend.registry.models import Site
from backend.registry_import import services
from backend.registry_import.columns import SITES
from backend.registry_import.models import RegistryImport
from tests import factories
from tests.registry_import.support import apply, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_psp(db):
    return factories.officer("PSP", username="admin-psp", roles=("administrator",))


def _import(capture, user, name, data):
    item = apply(capture, user, upload(capture, user, "sites", name, data.encode()))
    assert item.status == RegistryImport.Status.APPLIED, (item.failure, list(item.rows.values("problems")))
    return item


def test_the_chinese_address_comes_in_and_a_file_without_it_keeps_it(
    django_capture_on_commit_callbacks, admin_psp
):
    user = admin_psp.user
    _import(
        django_capture_on_commit_callbacks,
        user,
        "a.csv",
        "external_id,name_en,kind,venue_type,address,address_zh_hant,parish,latitude,longitude\n"
        "S-1,Golden Lotus Karaoke,venue,karaoke,Rua de Pequim 126,澳門北京街126號,se,22.192100,113.547300\n",
    )
    site = Site.objects.get(external_id="S-1")
    assert (site.address, site.address_zh_hant) == ("Rua de Pequim 126", "澳門北京街126號")
    with translation.override("zh-hant"):
        assert site.address_shown == "澳門北京街126號"
    with translation.override("pt"):
        assert site.address_shown == "Rua de Pequim 126"

    # A file made from an older template, without the column: the Chinese address stays.
    _import(
        django_capture_on_commit_callbacks,
        user,
        "b.csv",
        "external_id,name_en,kind,venue_type,address,parish,latitude,longitude\n"
        "S-1,Golden Lotus Karaoke,venue,karaoke,Rua de Pequim 128,se,22.192100,113.547300\n",
    )
    site.refresh_from_db()
    assert (site.address, site.address_zh_hant) == ("Rua de Pequim 128", "澳門北京街126號")

    # The export carries it, beside the address, and imports again as unchanged.
    exported = services.export_file("sites", "csv", agency_id=None).decode("utf-8-sig")
    header = exported.splitlines()[0].split(",")
    assert header[header.index("address") + 1] == "address_zh_hant"
    assert ",Rua de Pequim 128,澳門北京街126號," in exported

    # An empty cell in a file with the column clears it.
    _import(
        django_capture_on_commit_callbacks,
        user,
        "c.csv",
        "external_id,name_en,kind,venue_type,address,address_zh_hant,parish,latitude,longitude\n"
        "S-1,Golden Lotus Karaoke,venue,karaoke,Rua de Pequim 128,,se,22.192100,113.547300\n",
    )
    site.refresh_from_db()
    assert site.address_zh_hant == ""


def test_the_templates_have_the_column():
    assert "address_zh_hant" in SITES.keys
    template = services.template_file("sites", "csv", "zh-hant").decode("utf-8-sig")
    assert "address_zh_hant" in template and "澳門北京街126號" in template
