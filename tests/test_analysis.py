"""coursekit.analysis: pure functions, checked on the packaged data and on tiny frames."""

from __future__ import annotations

import pandas as pd
import pytest

from coursekit import analysis
from coursekit.data import (
    INDICATOR_INFO,
    INDICATORS,
    events,
    indicators,
    mechanisms,
    meetings,
    opinion,
)


def test_filter_events_each_filter() -> None:
    ev = events()
    assert set(analysis.filter_events(ev, trilaterals="QUAD")["trilateral"]) == {"QUAD"}
    tests = analysis.filter_events(ev, categories=["nuclear-test"])
    assert sorted(tests["id"]) == ["A42", "A43", "A46", "A50", "A52", "A58"]
    assert set(analysis.filter_events(ev, tones="friction")["tone"]) == {"friction"}
    cyber = analysis.filter_events(ev, tags="cyber")
    assert all("cyber" in t.split(";") for t in cyber["tags"])
    span = analysis.filter_events(ev, years=(2019, 2019))
    assert set(span["year"]) == {2019}
    gsomia = analysis.filter_events(ev, text="GSOMIA")
    assert {"A44", "A53", "A66", "A67"} <= set(gsomia["id"])
    assert len(analysis.filter_events(ev)) == len(ev)


def test_filters_combine_with_and() -> None:
    ev = events()
    both = analysis.filter_events(ev, trilaterals="US-JP-ROK", tags="history", tones="friction")
    assert len(both) > 0
    assert (both["trilateral"] == "US-JP-ROK").all()
    assert (both["tone"] == "friction").all()


def test_compare_fills_zeros_and_orders_columns() -> None:
    table = analysis.compare(
        indicators(), ["CN-JP-ROK", "US-JP-ROK"], "leaders_meetings", (2012, 2016)
    )
    assert list(table.columns) == ["CN-JP-ROK", "US-JP-ROK"]
    assert list(table.index) == [2012, 2013, 2014, 2015, 2016]
    assert table.loc[2014].tolist() == [0, 1]
    assert table.loc[2012].tolist() == [1, 0]
    assert table.dtypes.tolist() == ["int64", "int64"]


def test_compare_rejects_unknown_names() -> None:
    with pytest.raises(ValueError, match="unknown indicator"):
        analysis.compare(indicators(), ["QUAD"], "summits", None)
    with pytest.raises(ValueError, match="unknown trilateral"):
        analysis.compare(indicators(), ["NATO"], "exercises", None)


def test_every_indicator_has_a_label() -> None:
    assert set(analysis.INDICATOR_LABELS) == set(INDICATORS)


def test_hiatus_years_us_jp_rok() -> None:
    mt = meetings()
    gaps = [*range(2003, 2008), *range(2009, 2014), 2015, 2018, 2019, 2020, 2021]
    assert analysis.hiatus_years(mt, "US-JP-ROK") == gaps
    assert analysis.hiatus_spans(mt, "US-JP-ROK") == [
        (2003, 2007),
        (2009, 2013),
        (2015, 2015),
        (2018, 2021),
    ]
    assert analysis.hiatus_spans(mt, "CN-JP-ROK", formats="standalone") == [
        (2013, 2014),
        (2016, 2017),
        (2020, 2023),
    ]
    assert analysis.hiatus_years(mt, "US-JP-ROK", level="other-ministers") == []


def test_ratios() -> None:
    assert analysis.ratio(1, 0) is None
    assert analysis.ratio(1, 4) == 0.25
    assert analysis.standalone_share(indicators(), "US-JP-ROK") == pytest.approx(1 / 12)
    shares = analysis.cooperation_ratio(events())
    assert 0 < shares.loc["US-JP-ROK", "cooperation_share"] < 1  # type: ignore[arg-type]  # pandas-stubs types .loc reads as a union


def test_tone_balance_small_frame() -> None:
    frame = pd.DataFrame(
        {
            "trilateral": ["US-JP-ROK"] * 3,
            "year": pd.array([2000, 2000, 2002], dtype="Int64"),
            "tone": pd.Categorical(
                ["cooperation", "friction", "friction"],
                categories=["cooperation", "friction", "neutral"],
            ),
            "tags": ["history"] * 3,
        }
    )
    table = analysis.tone_balance(frame, years=(2000, 2002))
    assert table["balance"].tolist() == [0, 0, -1]
    assert table.loc[2001].tolist() == [0, 0, 0, 0]


def test_opinion_series_never_mixes_surveys() -> None:
    genron = analysis.opinion_series(opinion(), "genron-eai", "good")
    assert list(genron.columns) == ["JP on KR", "KR on JP"]
    assert genron.loc[2023, "KR on JP"] == 28.9  # not the 44% JPRI figure
    assert pd.isna(genron.loc[2013, "JP on KR"])  # type: ignore[arg-type]  # pandas-stubs types .loc reads as a union
    with pytest.raises(ValueError, match="no opinion data"):
        analysis.opinion_series(opinion(), "pew", "bad")


def test_format_date_respects_precision() -> None:
    ev = events().set_index("id")
    labels = {
        i: analysis.format_date(ev.loc[i, "date"], str(ev.loc[i, "date_precision"]))
        for i in ("A47", "A19", "C02")
    }
    assert labels == {"A47": "25 March 2014", "A19": "March 1971", "C02": "2002"}


def test_format_date_handles_missing_and_wrong_input_one_way() -> None:
    """The one formatter of the book, its timeline and the widgets: NaT and None are blank."""
    import datetime as dt

    from coursekit.book import timeline

    assert analysis.format_date(dt.date(1965, 6, 22), "day") == "22 June 1965"
    assert analysis.format_date(pd.NaT, "day") == ""
    assert analysis.format_date(None, "month") == ""
    missing = pd.Series({"date": pd.NaT, "date_precision": "day"})
    assert timeline._date(missing) == ""  # the book's timeline, as the widgets show it
    with pytest.raises(ValueError, match="unknown date precision 'decade'"):
        analysis.format_date(pd.NaT, "decade")
    with pytest.raises(TypeError, match="not str"):
        analysis.format_date("1965-06-22", "day")


def test_every_indicator_names_its_unit_and_how_it_totals() -> None:
    assert list(INDICATOR_INFO) == list(INDICATORS)
    for name, info in INDICATOR_INFO.items():
        assert info.name == name
        assert info.unit
        assert info.verb
        assert info.per_year.startswith(info.unit.capitalize())
    assert INDICATOR_INFO["mechanisms_active"].kind == "stock"
    assert not INDICATOR_INFO["mechanisms_active"].summable
    flows = {n for n, i in INDICATOR_INFO.items() if i.summable}
    assert flows == set(INDICATORS) - {"mechanisms_active"}


def _tiny(values: dict[str, list[int]], first: int = 2000) -> pd.DataFrame:
    years = range(first, first + len(next(iter(values.values()))))
    frame = pd.DataFrame(values, index=pd.RangeIndex(years.start, years.stop, name="year"))
    frame.columns.name = "trilateral"
    return frame


def test_summarize_a_stock_gives_the_last_year_and_the_peak_never_a_sum() -> None:
    frame = _tiny({"A": [1, 3, 2, 2], "B": [0, 0, 0, 0]})
    table = analysis.summarize(frame, "mechanisms_active")
    assert list(table.columns) == ["Mechanisms active in 2003", "Most at once", "Years with any"]
    assert table.loc["A"].tolist() == [2, "3 (2001)", 4]
    assert table.loc["B"].tolist() == [0, "-", 0]
    text = analysis.summary_text(frame, "mechanisms_active")
    assert "Mechanisms active in 2003: A 2; B 0." in text
    assert "A 8" not in text  # 1 + 3 + 2 + 2 mechanism-years


def test_summarize_a_flow_sums_the_years() -> None:
    frame = _tiny({"A": [1, 3, 0, 2]})
    table = analysis.summarize(frame, "leaders_meetings")
    assert table.loc["A"].tolist() == [6, 3, "3 (2001)"]
    assert list(table.columns) == ["Total meetings", "Years with any", "Most in one year"]
    assert analysis.summary_text(frame, "leaders_meetings").endswith(
        "2000–2003. Total meetings held: A 6."
    )


def test_the_stock_total_is_the_number_of_mechanisms_running_that_year() -> None:
    mech = mechanisms()
    table = analysis.compare(indicators(), ["US-JP-ROK"], "mechanisms_active", (1995, 2024))
    summary = analysis.summarize(table, "mechanisms_active")
    ours = mech[mech["trilateral"] == "US-JP-ROK"]
    running = ours[(ours["start"].dt.year <= 2024) & ~(ours["end"].dt.year < 2024)]
    assert summary.loc["US-JP-ROK", "Mechanisms active in 2024"] == len(running)
    assert summary.loc["US-JP-ROK", "Mechanisms active in 2024"] < table["US-JP-ROK"].sum()  # type: ignore[arg-type]  # pandas-stubs types .loc reads as a union


def test_the_flow_total_is_the_number_of_meetings_in_the_data() -> None:
    table = analysis.compare(indicators(), ["CN-JP-ROK"], "leaders_meetings", (1995, 2024))
    mt = meetings()
    held = mt[
        (mt["trilateral"] == "CN-JP-ROK")
        & (mt["level"] == "leaders")
        & mt["year"].between(1995, 2024)
    ]
    assert analysis.summarize(table, "leaders_meetings").loc["CN-JP-ROK", "Total meetings"] == len(
        held
    )


def test_summarize_rejects_an_unknown_indicator() -> None:
    with pytest.raises(ValueError, match="unknown indicator"):
        analysis.summarize(_tiny({"A": [1]}), "summits")
