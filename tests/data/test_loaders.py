"""The packaged data loads, is typed as the contract says, and holds its invariants."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pandas as pd
import pytest

from coursekit import data
from coursekit.data import SCHEMAS, TAGS, events, indicators, mechanisms, meetings, opinion


def test_import_is_lazy() -> None:
    code = "import sys; import coursekit.data; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", "importing coursekit.data must not import pandas"


def test_public_api() -> None:
    assert set(data.__all__) >= {"events", "meetings", "mechanisms", "indicators", "opinion"}
    assert issubclass(data.DataError, ValueError)


def test_events_columns_and_types() -> None:
    ev = events()
    expected = list(SCHEMAS["events"].names)
    expected.insert(expected.index("date_precision") + 1, "year")
    assert list(ev.columns) == expected
    assert str(ev["date"].dtype).startswith("datetime64")
    assert str(ev["year"].dtype) == "Int64"
    for col in ("date_precision", "trilateral", "category", "tone", "confidence"):
        assert isinstance(ev[col].dtype, pd.CategoricalDtype), col
    assert ev["id"].is_unique
    assert ev["date"].is_monotonic_increasing


def test_events_counts_and_coverage() -> None:
    ev = events()
    assert len(ev) >= 160
    ids = set(ev["id"])
    assert {f"A{i:02d}" for i in range(1, 84)} <= ids
    assert {f"B{i:02d}" for i in range(1, 26)} <= ids
    assert {f"C{i:02d}" for i in range(1, 21)} <= ids
    assert sum(i.startswith("E") for i in ids) >= 35
    assert ev["year"].min() >= 1945
    assert ev["year"].max() <= date.today().year
    assert (ev["source"].str.len() > 0).all()


def test_dates_are_first_of_period_for_coarse_precision() -> None:
    ev = events()
    month = ev[ev["date_precision"] == "month"]
    year = ev[ev["date_precision"] == "year"]
    assert (month["date"].dt.day == 1).all()
    assert ((year["date"].dt.day == 1) & (year["date"].dt.month == 1)).all()
    assert ev.set_index("id").loc["A08", "date"] == pd.Timestamp("1951-10-01")
    assert ev.set_index("id").loc["C02", "date_precision"] == "year"


@pytest.mark.parametrize(
    ("event_id", "needle"),
    [
        ("A12", "18 Nov"),
        ("A31", "12 Oct"),
        ("A32", "15 Mar"),
        ("A14", "19 Jun"),
        ("A46", "13 Feb"),
        ("A48", "28 Dec"),
        ("B07", "30 May"),
        ("B21", "2020 to 2023"),
    ],
)
def test_disputed_dates_carry_a_note(event_id: str, needle: str) -> None:
    note = events().set_index("id").loc[event_id, "note"]
    assert isinstance(note, str)
    assert needle in note


def test_tags_and_actors_use_the_vocabulary() -> None:
    ev = events()
    used = {t for tags in ev["tags"] for t in tags.split(";")}
    assert used <= set(TAGS)
    for needed in ("cyber", "pandemic", "climate", "critical-inputs", "health", "ai"):
        assert needed in used, f"no event tagged {needed}"


def test_every_trilateral_has_events() -> None:
    present = set(events()["trilateral"].astype(str))
    assert present >= {"US-JP-ROK", "CN-JP-ROK", "US-JP-AU", "QUAD", "US-JP-IN", "AUKUS"}


def test_meetings_follow_facts_section_d() -> None:
    mt = meetings()
    leaders = mt[(mt["trilateral"] == "US-JP-ROK") & (mt["level"] == "leaders")]
    by_year = leaders.groupby("year").size().to_dict()
    assert by_year == {2002: 1, 2008: 1, 2014: 1, 2016: 1, 2017: 2, 2022: 2, 2023: 3, 2024: 1}
    standalone = leaders[leaders["format"] == "standalone"]
    assert list(standalone["event_id"]) == ["A79"]
    cjk = mt[(mt["trilateral"] == "CN-JP-ROK") & (mt["level"] == "leaders")]
    cjk_standalone = cjk[cjk["format"] == "standalone"]
    assert sorted(cjk_standalone["year"].tolist()) == [
        2008,
        2009,
        2010,
        2011,
        2012,
        2015,
        2018,
        2019,
        2024,
    ]
    assert set(mt["event_id"].dropna()) <= set(events()["id"])


def test_mechanisms_invariants() -> None:
    mech = mechanisms().set_index("name")
    assert mech.loc["Japan-ROK GSOMIA", "status"] == "active"
    assert mech.loc["Japan-ROK GSOMIA", "start"] == pd.Timestamp("2016-11-23")
    assert mech.loc["Korean Peninsula Energy Development Organization (KEDO)", "start"] == (
        pd.Timestamp("1995-03-09")
    )
    assert mech.loc["Trilateral Coordination and Oversight Group (TCOG)", "confidence"] == "low"
    ended = mech[mech["status"].isin(["ended", "lapsed"])]
    assert ended["end"].notna().all()
    assert (mech["end"].isna() | (mech["end"] >= mech["start"])).all()


def test_opinion_matches_section_e() -> None:
    op = opinion()
    assert len(op) == 40
    assert op["value"].between(0, 100).all()
    key = ["year", "survey", "respondents", "target", "measure"]
    assert not op.duplicated(key).any()
    row = op[(op["survey"] == "genron-eai") & (op["year"] == 2020) & (op["respondents"] == "KR")]
    assert float(row[row["measure"] == "bad"]["value"].iloc[0]) == 71.6
    jpri = op[op["survey"] == "jpri"]
    assert jpri["value"].tolist() == [44.0]


def test_indicators_are_derived() -> None:
    ind = indicators()
    assert list(ind.columns) == ["trilateral", "year", "indicator", "value"]
    assert set(ind["indicator"].astype(str)) == set(data.INDICATORS)
    wide = ind.pivot_table(
        index=["trilateral", "year"], columns="indicator", values="value", observed=True
    )
    us = wide.loc["US-JP-ROK"]
    assert us.loc[2023, "leaders_meetings"] == 3
    assert us.loc[2023, "leaders_standalone"] == 1
    assert wide.loc["CN-JP-ROK"]["leaders_standalone"].sum() == 9
    assert us.loc[2024, "exercises"] == 2  # Freedom Edge in June and November
    assert us.loc[2025, "exercises"] == 1
    assert us.loc[2025, "leaders_meetings"] == 0  # no US-Japan-ROK leaders' meeting in 2025
    # TISA, GSOMIA, missile warning, secretariat etc. are active in 2024
    assert us.loc[2024, "mechanisms_active"] >= 6  # type: ignore[arg-type]  # pandas-stubs types .loc reads as a union
    assert us.loc[2000, "mechanisms_active"] == 2  # TCOG and KEDO


def test_loaders_return_copies() -> None:
    first = events()
    first.loc[0, "title"] = "changed"
    assert events().loc[0, "title"] != "changed"
