"""Synthetic submissions for every assignment, each with the score it must get.

A scenario replaces some answer cells of the released notebook. ``CORRECT`` stands for the
instructor's solution of every code answer (markers removed); ``BLANK`` leaves the released
stub. Every other cell of a scenario starts from the correct answers, so each scenario
changes one thing. Golden scores were worked out by hand from the test cells' points and
are the autograded (code) points only; written answers always wait for a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["QUOTATION_PARTS", "SCENARIOS", "WRITTEN_ANSWER", "Scenario", "without_article"]

WRITTEN_ANSWER = "My answer, which a person will grade, cites (A47) and Cha (1999)."


@dataclass(frozen=True)
class Scenario:
    """One submission: the answer cells it changes, its total and the cells it loses."""

    changes: dict[str, str]
    score: float
    lost: frozenset[str] = field(default_factory=frozenset)
    blank: bool = False


def _longest_hiatus() -> dict[str, int]:
    """The right answer to a3's question 5, from the course data as they stand."""
    from coursekit import analysis, data

    meetings = data.meetings()
    meetings = meetings[meetings["year"].between(2008, 2024)]
    return {
        t: max((b - a + 1 for a, b in analysis.hiatus_spans(meetings, t)), default=0)
        for t in ("US-JP-ROK", "CN-JP-ROK")
    }


def _s(score: float, lost: set[str] | None = None, **changes: str) -> Scenario:
    return Scenario(
        {k.replace("_", "-"): v for k, v in changes.items()}, score, frozenset(lost or set())
    )


A1 = {
    "correct": _s(28),
    "blank": Scenario({}, 0, blank=True),
    "wrong-q1": _s(
        24,
        {"q1-tests"},
        q1_answer=(
            'nuclear_tests = events.loc[events["category"].isin(["nuclear-test", "missile-test"]),'
            ' ["id", "date", "title"]]'
        ),
    ),
    "wrong-q2": _s(
        24,
        {"q2-tests"},
        q2_answer=('decade_counts = events.groupby(events["year"] // 10 * 10).size()'),
    ),
    "broken-q2": _s(24, {"q2-tests"}, q2_answer="decade_counts = events.groupby(("),
    "wrong-q3": _s(
        25,
        {"q3b-tests"},
        q3_answer=(
            'treaty_years = {"San Francisco Peace Treaty": 1951, "US-Japan Security Treaty": 1951,'
            ' "US-ROK Mutual Defense Treaty": 1954, "Revised US-Japan Security Treaty": 1960,'
            ' "Japan-ROK Treaty on Basic Relations": 1965}'
        ),
    ),
    "wrong-q4": _s(
        22,
        {"q4a-tests", "q4b-tests"},
        q4a_answer=(
            "def era_of(date):\n"
            "    for start, label in [(1965, 'occupation'), (1990, 'normalization'),\n"
            "                         (2012, 'nuclear-crises'), (2021, 'history-and-identity')]:\n"
            "        if date.year < start:\n"
            "            return label\n"
            "    return 'after-the-article'\n"
        ),
    ),
    "wrong-q5": _s(25, {"q5b-tests"}, q5b_answer="peak_years = [int(jk_friction.idxmin())]"),
    "wrong-q6": _s(26, {"q6a-tests"}, q6a_answer='cited_ids = ["A21", "A18"]'),
    "wrong-types": _s(
        9,
        {"q1-tests", "q2-tests", "q3a-tests", "q3b-tests", "q4b-tests", "q5b-tests"},
        q1_answer='nuclear_tests = list(events.loc[events["category"] == "nuclear-test", "id"])',
        q2_answer="decade_counts = {2010: 3}",
        q3_answer=(
            'treaty_years = {"San Francisco Peace Treaty": "1951", "US-Japan Security Treaty":'
            ' "1951", "US-ROK Mutual Defense Treaty": "1953", "Revised US-Japan Security'
            ' Treaty": "1960", "Japan-ROK Treaty on Basic Relations": "1965"}'
        ),
        q4b_answer="eras = [era_of(d) for d in events.set_index('id').loc[TO_CLASSIFY, 'date']]",
        q5b_answer="peak_years = 2019",
    ),
}

_A2_RECS = """
recommendations = [
    {"label": "recognize-uncertainties",
     "answers": ["skepticism-of-us-leadership", "domestic-politics"],
     "evidence": {E0!r}},
    {"label": {L1!r},
     "answers": ["liberal-order-under-pressure", "history-disputes"],
     "evidence": "the liberal rules-based order which the United States helped create"},
    {"label": "nontraditional-security",
     "answers": {A2!r},
     "evidence": "Globalization has ushered, along with all its benefits, the threat of"},
]
"""


def _recs(
    e0: str = "There are major uncertainties that could change the prognosis",
    l1: str = "lean-into-history",
    a2: tuple[str, ...] = ("cyberattacks", "pandemics", "climate-change"),
) -> str:
    return (
        _A2_RECS.replace("{E0!r}", repr(e0))
        .replace("{L1!r}", repr(l1))
        .replace("{A2!r}", repr(list(a2)))
    )


A2 = {
    "correct": _s(25),
    "blank": Scenario({}, 0, blank=True),
    "other-right-answers": _s(25, q3_answer=_recs()),
    "wrong-q1": _s(23, {"q1-tests"}, q1_answer='thesis = "Trilateral cooperation matters."'),
    "wrong-q2": _s(
        21,
        {"q2b-tests"},
        q2_answer=(
            'objectives = [{"objective": "Deter North Korea", "status": "disputed"},'
            ' {"objective": "Unite against China", "status": "shared"}]'
        ),
    ),
    "wrong-q3a": _s(21, {"q3a-tests"}, q3_answer=_recs(l1="mediate-history-disputes")),
    "wrong-q3b": _s(21, {"q3b-tests"}, q3_answer=_recs(a2=("cyberattacks", "troop-costs"))),
    "wrong-q3c": _s(
        21,
        {"q3c-tests"},
        q3_answer=_recs(
            e0="Washington, Tokyo, and Seoul could form the core in developing solutions"
        ),
    ),
    "paraphrase-q3c": _s(
        21,
        {"q3c-tests"},
        q3_answer=_recs(e0="There are big uncertainties that might change the prognosis"),
    ),
    "wrong-q4": _s(
        20,
        {"q4-tests"},
        q4_answer=(
            "uncertainties = [\n"
            '    {"uncertainty": "Domestic politics in Seoul and Tokyo",\n'
            '     "category": "domestic-politics"},\n'
            '    {"uncertainty": "Whether the world welcomes US leadership",\n'
            '     "category": "global-leadership"},\n'
            '    {"uncertainty": "A new COVID wave and a recession",\n'
            '     "category": "pandemic-economy"},\n'
            "]"
        ),
    ),
    "wrong-types": _s(
        5,
        {"q1-tests", "q2a-tests", "q2b-tests", "q3a-tests", "q3b-tests", "q3c-tests"},
        q1_answer='thesis = ["Washington", "Tokyo", "Seoul"]',
        q2_answer='objectives = {"shared": "deter North Korea", "disputed": "China"}',
        q3_answer='recommendations = {"first": "recognize-uncertainties"}',
    ),
}

_A3_HIATUS_FROM_DATA = """
from coursekit import analysis
_m = meetings[meetings["year"].between(2008, 2024)]
hiatus = {t: analysis.hiatus_years(_m, t) for t in ("US-JP-ROK", "CN-JP-ROK")}
"""

A3 = {
    "correct": _s(22),
    "blank": Scenario({}, 0, blank=True),
    "wrong-q1": _s(
        20,
        {"q1-tests"},
        q1_answer=(
            '_l = meetings[(meetings["trilateral"] == "US-JP-ROK")\n'
            '              & (meetings["level"] == "leaders")]\n'
            'sidelines_count = int((_l["format"] == "standalone").sum())'
        ),
    ),
    "wrong-q2": _s(
        18,
        {"q2b-tests"},
        q2_answer=(
            '_rows = meetings[(meetings["level"] == "leaders")'
            ' & meetings["trilateral"].isin(["US-JP-ROK", "CN-JP-ROK"])'
            ' & meetings["year"].between(2008, 2024)]\n'
            '_grid = pd.MultiIndex.from_product([["US-JP-ROK", "CN-JP-ROK"], range(2008, 2025)],'
            ' names=["trilateral", "year"])\n'
            "leaders_table = (_rows.groupby(['trilateral', 'year'], observed=True).size()"
            ".reindex(_grid, fill_value=0).rename('leaders_meetings').reset_index())\n"
            "leaders_table['leaders_standalone'] = leaders_table['leaders_meetings']"
        ),
    ),
    "no-zero-years-q2": _s(
        16,
        {"q2a-tests", "q2b-tests"},
        q2_answer=(
            '_rows = meetings[(meetings["level"] == "leaders")'
            ' & meetings["trilateral"].isin(["US-JP-ROK", "CN-JP-ROK"])'
            ' & meetings["year"].between(2008, 2024)]\n'
            "leaders_table = (_rows.assign(s=_rows['format'] == 'standalone')"
            ".groupby(['trilateral', 'year'], observed=True)"
            ".agg(leaders_meetings=('id', 'size'), leaders_standalone=('s', 'sum')).reset_index())"
        ),
        q3_answer=_A3_HIATUS_FROM_DATA,
    ),
    "wrong-q3": _s(
        18,
        {"q3-tests"},
        # A common slip: a year with a leaders' meeting on the sidelines counted as a hiatus.
        q3_answer=(
            "hiatus = {}\n"
            "for t, rows in leaders_table.groupby('trilateral'):\n"
            "    met = set(rows.loc[rows['leaders_standalone'] > 0, 'year'])\n"
            "    hiatus[t] = [y for y in range(int(min(met)), int(max(met)) + 1) if y not in met]"
        ),
        # q5 answered right (from the data, not from the wrong hiatus), so only q3 is lost.
        q5_answer=f"longest_hiatus = {_longest_hiatus()!r}",
    ),
    "wrong-q4": _s(
        18,
        {"q4b-tests"},
        q4_answer=(
            "_sel = indicators[indicators['trilateral'].isin(['US-JP-ROK', 'CN-JP-ROK', 'QUAD'])"
            " & indicators['indicator'].isin(['leaders_meetings', 'leaders_standalone'])]\n"
            "summary = _sel.pivot_table(index='trilateral', columns='indicator', values='value',"
            " aggfunc='sum', observed=True)\n"
            "summary.columns.name = None\n"
            "summary = summary.reset_index()\n"
            "summary['standalone_share'] = (summary['leaders_standalone']\n"
            "                             / summary['leaders_meetings'])"
        ),
    ),
    "wrong-q5": _s(
        18, {"q5-tests"}, q5_answer=("longest_hiatus = {t: len(ys) for t, ys in hiatus.items()}")
    ),
    "wrong-types": _s(
        6,
        {"q1-tests", "q2a-tests", "q2b-tests", "q3-tests", "q5-tests"},
        q1_answer='sidelines_count = "9"',
        q2_answer="leaders_table = meetings.groupby('year').size()",
        q3_answer="hiatus = [2015, 2018]",
    ),
}

_A4_MEMO = """
memo = {{
    "area": {area!r},
    "recommendation": {recommendation!r},
    "actors": {actors!r},
    "evidence": {evidence!r},
    "risks": {risks!r},
    {metric_key!r}: {metric!r},
}}
"""

_A4_RECOMMENDATION = (
    "Washington, Tokyo and Seoul should turn their working group on North Korean cyber "
    "activities into a standing trilateral cyber center that shares threat indicators in real "
    "time, runs a yearly joint exercise on defending critical infrastructure and coordinates "
    "sanctions against the hackers whose thefts fund Pyongyang's weapons."
)


def _memo(**changes: object) -> str:
    values: dict[str, object] = {
        "area": "cyber",
        "recommendation": _A4_RECOMMENDATION,
        "actors": ["US", "JP", "KR"],
        "evidence": ["E031", "E033"],
        "risks": ["A change of government in Seoul or Tokyo could downgrade the center."],
        "metric_key": "success_metric",
        "metric": "By 2028 the three jointly attribute at least two North Korean cyber attacks.",
    }
    values.update(changes)
    return _A4_MEMO.format(**values)


A4 = {
    "correct": _s(21),
    "blank": Scenario({}, 0, blank=True),
    "other-right-memo": _s(21, memo_answer=_memo()),
    "wrong-schema": _s(
        12, {"t1-schema", "t6-lengths", "t7-metric"}, memo_answer=_memo(metric_key="metric")
    ),
    "wrong-area": _s(
        10,
        {"t2-area-actors", "t4-evidence-relevant", "t6-lengths"},
        memo_answer=_memo(area="cybersecurity"),
    ),
    "wrong-actors": _s(18, {"t2-area-actors"}, memo_answer=_memo(actors=["US", "JP"])),
    "unknown-evidence": _s(
        14,
        {"t3-evidence-exists", "t4-evidence-relevant"},
        memo_answer=_memo(evidence=["E031", "X999"]),
    ),
    "irrelevant-evidence": _s(
        17, {"t4-evidence-relevant"}, memo_answer=_memo(evidence=["A79", "A73"])
    ),
    "old-evidence": _s(
        19,
        {"t5-evidence-recent"},
        memo_answer=_memo(
            area="critical-inputs",
            recommendation=_A4_RECOMMENDATION.replace("cyber center", "supply chain center"),
            evidence=["E021", "E004"],
        ),
    ),
    "too-long": _s(
        17, {"t6-lengths"}, memo_answer=_memo(recommendation=" ".join([_A4_RECOMMENDATION] * 3))
    ),
    "no-target-year": _s(
        19,
        {"t7-metric"},
        memo_answer=_memo(
            metric="The three jointly attribute at least 2 North Korean cyber attacks each year."
        ),
    ),
    "wrong-types": _s(
        6,
        {
            "t1-schema",
            "t2-area-actors",
            "t3-evidence-exists",
            "t4-evidence-relevant",
            "t5-evidence-recent",
        },
        memo_answer=_memo(evidence="E031", actors="US;JP;KR"),
    ),
}

_A5_OUTCOMES = """
outcomes = [
    {{"prediction": "g7-invitation", "outcome": {g7!r}, "evidence": {e0!r}}},
    {{"prediction": "nk-response", "outcome": "partly", "evidence": {e1!r}}},
    {row2},
    {row3},
]
"""
_ROW2 = (
    '{"prediction": "trilateral-reenergized", "outcome": "happened",'
    ' "evidence": ["A74", "A79", "A83"]}'
)
_ROW3 = (
    '{"prediction": "nontraditional-security", "outcome": "partly", "evidence": ["E029", "E031"]}'
)


def _outcomes(
    g7: str = "happened",
    e0: tuple[str, ...] = ("A72",),
    e1: tuple[str, ...] = ("A73", "A80"),
    swap: bool = False,
) -> str:
    rows = (_ROW3, _ROW2) if swap else (_ROW2, _ROW3)
    return _A5_OUTCOMES.format(g7=g7, e0=list(e0), e1=list(e1), row2=rows[0], row3=rows[1])


_A5_DATES = (
    'camp_david = "{0}"\nfreedom_edge = "{1}"\ngsomia_normalized = "{2}"\n'
    'secretariat_launch = "{3}"'
)

A5 = {
    "correct": _s(23),
    "blank": Scenario({}, 0, blank=True),
    "other-right-answers": _s(23, b_answer=_outcomes()),
    "dates-as-text": _s(
        15,
        {"a1-camp-david", "a2-freedom-edge", "a3-gsomia", "a4-secretariat"},
        a1_answer=_A5_DATES.format("2023-08-18", "2024-06-27", "2023-03-21", "2024-11-20"),
    ),
    "wrong-gsomia": _s(
        21,
        {"a3-gsomia"},
        a1_answer=(
            '_d = events.set_index("id")["date"]\n'
            'camp_david, freedom_edge = _d["A79"], _d["A81"]\n'
            'gsomia_normalized, secretariat_launch = _d["A76"], _d["A83"]'
        ),
    ),
    "wrong-counts": _s(
        19,
        {"a5-madrid-gap", "a6-leaders-count"},
        a5_answer=(
            "madrid_gap = 2022 - 2016\n"
            '_l = meetings[(meetings["trilateral"] == "US-JP-ROK")\n'
            '              & (meetings["level"] == "leaders")]\n'
            'leaders_2022_2024 = int(_l["year"].between(2022, 2023).sum())'
        ),
    ),
    "swapped-rows": _s(19, {"b1-structure", "b5-nontraditional"}, b_answer=_outcomes(swap=True)),
    "evidence-before-article": _s(21, {"b3-nk"}, b_answer=_outcomes(e1=("A73", "A70"))),
    "irrelevant-evidence": _s(21, {"b2-g7"}, b_answer=_outcomes(e0=("A79",))),
    "wrong-verdict": _s(22, {"b6-g7-verdict"}, b_answer=_outcomes(g7="partly")),
    "wrong-types": _s(
        12,
        {"b1-structure", "b2-g7", "b3-nk", "b4-trilateral", "b5-nontraditional", "b6-g7-verdict"},
        b_answer='outcomes = {"g7-invitation": "happened"}',
    ),
}

SCENARIOS: dict[str, dict[str, Scenario]] = {
    "a1-timeline": A1,
    "a2-argument-map": A2,
    "a3-comparing-trilaterals": A3,
    "a4-policy-memo": A4,
    "a5-after-the-article": A5,
}


QUOTATION_PARTS: dict[str, dict[str, float]] = {"a2-argument-map": {"q3c-tests": 4.0}}
"""Test cells (and their points) that check quotations against the article's wording."""


def without_article(assignment: str, scenario: Scenario) -> Scenario:
    """The scenario as graded where no copy of the article is at hand (the repository's tests).

    The quotation parts then score nothing for anyone: the checker never guesses.
    """
    parts = QUOTATION_PARTS.get(assignment, {})
    if scenario.blank or not parts:
        return scenario
    unchecked = sum(v for k, v in parts.items() if k not in scenario.lost)
    return Scenario(
        changes=scenario.changes,
        score=scenario.score - unchecked,
        lost=scenario.lost | frozenset(parts),
    )
