"""Site settings in the admin: brand colour with contrast check, delivered as a stylesheet."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from portal.colours import DARK_SURFACE, contrast_ratio, dark_mode_variant
from portal.models import PortalSettings, validate_primary_colour

pytestmark = pytest.mark.django_db


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("colour", ["#005a9c", "#7a1f5c", "#000000", "#1f6b3a"])
def test_the_dark_theme_gets_a_lighter_variant_readable_on_dark_surfaces(colour):
    variant = dark_mode_variant(colour)
    assert variant != colour
    assert contrast_ratio(variant, DARK_SURFACE) >= 4.5
    # and black button text on it (KERN's dark theme) stays readable
    assert contrast_ratio(variant, "#000000") >= 4.5


@pytest.mark.parametrize("colour", ["#005a9c", "#767676", "#000000", "#B00020"])
def test_colours_dark_enough_for_white_text_are_accepted(colour):
    validate_primary_colour(colour)


@pytest.mark.parametrize("colour", ["#777777", "#ffcc00", "#ffffff", "red", "#12345", "#gggggg"])
def test_light_or_malformed_colours_are_rejected(colour):
    with pytest.raises(ValidationError):
        validate_primary_colour(colour)


def settings_form_data(primary_colour, **fields):
    return {
        "primary_colour": primary_colour,
        "contact_address": "",
        "contact_email": "",
        "contact_phone": "",
        "social_links-count": "0",
        "funder_url": "",
        "data_licence": PortalSettings.DEFAULT_LICENCE,
        "data_attribution": "",
        "regional_key": "",
        **fields,
    }


def test_the_open_data_settings_take_a_dcat_ap_de_licence_and_a_regional_key(admin_client, portal):
    site = portal["site"]
    url = f"/admin/settings/portal/portalsettings/{site.pk}/"
    wrong = admin_client.post(url, settings_form_data("#005a9c", regional_key="05913"))
    assert wrong.status_code == 200
    assert "Zwölf Ziffern" in BeautifulSoup(wrong.content, "html.parser").get_text(" ")
    licence = "http://dcat-ap.de/def/licenses/cc-by/4.0"
    fields = {"regional_key": "059130000000", "data_licence": licence, "data_attribution": "X"}
    assert admin_client.post(url, settings_form_data("#005a9c", **fields)).status_code == 302
    saved = PortalSettings.for_site(site)
    assert (saved.regional_key, saved.data_licence) == ("059130000000", licence)


def test_admin_shows_a_clear_error_for_a_low_contrast_colour(admin_client, portal):
    site = portal["site"]
    url = f"/admin/settings/portal/portalsettings/{site.pk}/"
    response = admin_client.post(url, settings_form_data("#ffcc00"))
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").get_text(" ")
    assert "nur einen Kontrast von 1,5:1" in text  # the admin speaks German by default
    assert PortalSettings.for_site(site).primary_colour == "#005a9c"


def test_admin_saves_an_accessible_colour_and_the_stylesheet_follows(admin_client, client, portal):
    site = portal["site"]
    url = f"/admin/settings/portal/portalsettings/{site.pk}/"
    response = admin_client.post(url, settings_form_data("#7a1f5c"))
    assert response.status_code == 302
    assert PortalSettings.for_site(site).primary_colour == "#7a1f5c"

    page = BeautifulSoup(client.get("/de/").content, "html.parser")
    href = next(
        link["href"]
        for link in page.select('link[rel="stylesheet"]')
        if "theme.css" in link["href"]
    )
    stylesheet = client.get(href)
    assert stylesheet.status_code == 200
    assert stylesheet["Content-Type"].startswith("text/css")
    css = stylesheet.content.decode()
    # the colour becomes KERN's action colour; the dark theme gets a lighter variant
    light, dark = css.split("prefers-color-scheme: dark")
    assert "--kern-color-action-default: #7a1f5c;" in light
    dark_colour = re.search(r"--kern-color-action-default: (#[0-9a-f]{6});", dark).group(1)
    assert contrast_ratio(dark_colour, DARK_SURFACE) >= 4.5
    assert "immutable" in stylesheet["Cache-Control"]


def test_theme_stylesheet_with_an_outdated_version_is_cached_briefly(client, portal):
    response = client.get("/theme.css?v=outdated")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    assert client.head("/theme.css").status_code == 200
