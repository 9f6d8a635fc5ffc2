"""The ranked picker's Python side: its options, its payload, and what it accepts back.

The ranking itself runs in the browser (picker.js); test_browser_picker.py tests it there.
"""

from __future__ import annotations

import json

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dashboard import picker
from dashboard.map.jsdata import rows_of

MEMBERS = pd.DataFrame({
    "id": ["pt-setubal", "tr-bursa", "kr-seoul", "pt-amadora"],
    "city": ["Setúbal", "Bursa", "Seoul", "Amadora"],
    "country": ["Portugal", "Türkiye", "Republic of Korea", "Portugal"],
    "iso2": ["PT", "TR", "KR", "PT"],
})


def test_country_options_are_alphabetical_and_carry_the_names_people_type():
    options = picker.country_options({"TR": "Türkiye", "GB": "United Kingdom of Great "
                                      "Britain and Northern Ireland", "AT": "Austria"})
    assert [o.value for o in options] == ["AT", "TR", "GB"]
    turkiye = options[1]
    assert turkiye.label == "Türkiye" and turkiye.names[0] == "Türkiye"
    assert "Turkey" in turkiye.names and "Republic of Türkiye" in turkiye.names
    assert "UK" in options[2].names
    assert len(set(turkiye.names)) == len(turkiye.names)


def test_city_options_share_their_country_names_once():
    options, groups = picker.city_options(MEMBERS)
    assert [o.value for o in options] == ["pt-amadora", "tr-bursa", "kr-seoul", "pt-setubal"]
    setubal = options[-1]
    assert (setubal.label, setubal.group) == ("Setúbal", "PT")
    assert set(groups) == {"PT", "TR", "KR"}
    assert groups["KR"][0] == "Republic of Korea" and "South Korea" in groups["KR"]


def test_a_published_picker_sends_its_words_and_the_offered_row_set_only():
    options, groups = picker.city_options(MEMBERS)
    chooser = picker.Picker("Find a city", multiple=False, placeholder="Type", hint="Hint",
                            empty="None").with_options(
        picker.Choices(options, groups, "/app/static/data/cities-x.json"),
        frozenset({"kr-seoul", "pt-amadora"}))
    sent = json.loads(json.dumps(chooser.payload(["kr-seoul"])))
    assert sent["selected"] == ["kr-seoul"] and sent["multiple"] is False
    assert "options" not in sent and sent["optionsUrl"].endswith("cities-x.json")
    offered = [options[i].value for i in rows_of(sent["visible"], len(options))]
    assert offered == chooser.offered_values() and sorted(offered) == ["kr-seoul", "pt-amadora"]
    assert sent["module"].startswith("/app/static/atlas/picker.js?v=")
    published = json.loads(picker.options_text(options, groups))
    # Only what the browser cannot infer: names that are just the label are left out.
    assert published["options"][0] == ["pt-amadora", "Amadora", "PT"]
    assert picker.Option("x", "X", names=("X", "Y")).payload() == ["x", "X", "", ["X", "Y"]]
    assert published["groups"]["TR"][0] == "Türkiye" and published["folds"]


def test_without_a_published_file_the_offered_options_travel_inline():
    options, groups = picker.city_options(MEMBERS)
    chooser = picker.Picker("Find a city", multiple=False, placeholder="Type", hint="Hint",
                            empty="None").with_options(picker.Choices(options, groups, None),
                                                       frozenset({"kr-seoul"}))
    sent = chooser.payload([])
    assert [o[0] for o in sent["options"]] == ["kr-seoul"] and "optionsUrl" not in sent


def test_only_known_values_come_back():
    allowed = ["GB", "UA", "US"]
    assert picker.chosen_values({"values": ["GB", "XX", "US", "GB"]}, allowed, True) == [
        "GB", "US"]
    assert picker.chosen_values({"values": ["GB", "US"]}, allowed, False) == ["US"]
    for sent in (None, "GB", {"values": "GB"}, {"values": [1, None, ["GB"]]}, {}):
        assert picker.chosen_values(sent, allowed, True) == []


@given(st.lists(st.one_of(st.text(max_size=5), st.integers(), st.none()), max_size=8))
def test_whatever_the_browser_sends_only_options_get_through(values):
    allowed = ["a", "b", ""]
    kept = picker.chosen_values({"values": values}, allowed, True)
    assert set(kept) <= set(allowed) and len(kept) == len(set(kept))
    assert kept == [v for v in dict.fromkeys(values) if v in allowed]


def test_namesakes_in_the_shipped_data_have_names_that_tell_them_apart():
    """Two members of one country whose names fold alike ("Seo-gu" of Busan and of Gwangju)
    would read the same in the picker, the marker's screen-reader name ("city, country
    (round)"), the table and the exports, which all show the city field. In the committed data,
    only a city admitted twice (declared one place by an override) may share its name."""
    from pathlib import Path

    from dashboard.data import load_atlas
    from dashboard.names import fold
    from geodata.checks import same_place_pairs
    from geodata.roster import load_seeds

    root = Path(__file__).resolve().parents[2]
    members = load_atlas(root / "geodata" / "members.geojson").members
    same = same_place_pairs(load_seeds(root / "seeds"))
    options, _ = picker.city_options(members)
    by_name: dict[tuple[str, str], list[str]] = {}
    for option in options:
        by_name.setdefault((fold(option.label), option.group), []).append(option.value)
    shared = {tuple(ids) for ids in by_name.values() if len(ids) > 1}
    assert all(len(ids) == 2 and frozenset(ids) in same for ids in shared), shared
    seo_gu = [o for o in options if fold(o.label).startswith("seo-gu") and o.group == "KR"]
    assert len(seo_gu) >= 2 and len({o.label for o in seo_gu}) == len(seo_gu)
    assert len({o.value for o in options}) == len(options)  # ids, hence links, are unique
