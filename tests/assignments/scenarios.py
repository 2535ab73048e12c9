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
    hint: str | None = None
    """A known-wrong hint that must appear in the output of the cells the scenario changes."""


def _longest_hiatus() -> dict[str, int]:
    """The right answer to a3's question 5, from the course data as they stand."""
    from coursekit import analysis, data

    meetings = data.meetings()
    meetings = meetings[meetings["year"].between(2008, 2024)]
    return {
        t: max((b - a + 1 for a, b in analysis.hiatus_spans(meetings, t)), default=0)
        for t in ("US-JP-ROK", "CN-JP-ROK")
    }


def _s(
    score: float, lost: set[str] | None = None, *, hint: str | None = None, **changes: str
) -> Scenario:
    return Scenario(
        {k.replace("_", "-"): v for k, v in changes.items()},
        score,
        frozenset(lost or set()),
        hint=hint,
    )


def _hint(assignment: str, question: str, mistake: str) -> str:
    """The hint of ``question``'s known mistake whose instructor note starts with ``mistake``."""
    from coursekit.checks.hints import known_wrong_table

    found = [
        m.hint for m in known_wrong_table(assignment)[question] if m.mistake.startswith(mistake)
    ]
    assert len(found) == 1, (assignment, question, mistake)
    return found[0]


A0_ID = "a0-working-with-the-data"
A0 = {
    "correct": _s(5),
    "blank": Scenario({}, 0, blank=True),
    "wrong-p1": _s(
        4,
        {"p1-tests"},
        p1_answer=(
            'summits = events.loc[(events["trilateral"] == "US-JP-ROK")'
            ' & (events["category"] == "ministerial"), ["id", "date", "title"]]'
        ),
    ),
    "known-wrong-p1": _s(
        4,
        {"p1-tests"},
        hint=_hint(A0_ID, "p1", "filtered on category only"),
        p1_answer='summits = events.loc[events["category"] == "summit", ["id", "date", "title"]]',
    ),
    "wrong-p2": _s(
        4,
        {"p2-tests"},
        p2_answer=(
            'tone_counts = events[events["trilateral"] == "US-JP-ROK"].groupby("category").size()'
        ),
    ),
    "known-wrong-p2": _s(
        4,
        {"p2-tests"},
        hint=_hint(A0_ID, "p2", "counted tones over the whole table"),
        p2_answer='tone_counts = events.groupby("tone").size()',
    ),
    "wrong-p3": _s(4, {"p3-tests"}, p3_answer='first_after = "A72"'),
    "known-wrong-p3": _s(
        4,
        {"p3-tests"},
        hint=_hint(A0_ID, "p3", "included the article's own date"),
        p3_answer=(
            '_later = events[events["date"] >= pd.Timestamp("2021-03-21")].sort_values("date")\n'
            'first_after = str(_later["id"].iloc[0])'
        ),
    ),
    "half-right-p4a": _s(
        4, p4a_answer='chart_reading = {"most friction": 2010, "most cooperation": 1990}'
    ),
    "known-wrong-p4a": _s(
        3,
        {"p4a-tests"},
        hint=_hint(A0_ID, "p4a", "read total bar height"),
        p4a_answer='chart_reading = {"most friction": 2020, "most cooperation": 2020}',
    ),
    "wrong-types": _s(
        1,
        {"p1-tests", "p2-tests", "p4a-tests"},
        p1_answer='summits = list(events["id"])',
        p2_answer='tone_counts = {"cooperation": 3}',
        p4a_answer='chart_reading = {"most friction": "2010", "most cooperation": "2020"}',
    ),
}

A1_ID = "a1-timeline"
_SIGNED = {
    "US-ROK Mutual Defense Treaty": "A11",
    "Japan-ROK Treaty on Basic Relations": "A15",
    "San Francisco Peace Treaty": "A06",
    "Revised US-Japan Security Treaty": "A13",
    "US-Japan Security Treaty": "A07",
}


def _signed(**swap: str) -> str:
    keys = {
        "usrok": "US-ROK Mutual Defense Treaty",
        "jprok": "Japan-ROK Treaty on Basic Relations",
        "sf": "San Francisco Peace Treaty",
        "revised": "Revised US-Japan Security Treaty",
        "first": "US-Japan Security Treaty",
    }
    return f"signed = { ({**_SIGNED, **{keys[k]: v for k, v in swap.items()}})!r}"


_CHA = {
    "A18": "cooperation-as-predicted",
    "A21": "friction-as-predicted",
    "A22": "friction-as-predicted",
    "A26": "friction-as-predicted",
    "A27": "cooperation-against-prediction",
    "A28": "cooperation-against-prediction",
}


def _cha(**swap: str) -> str:
    return f"cha_reading = { ({**_CHA, **swap})!r}"


def _q1_known(mistake: str, **swap: str) -> Scenario:
    return _s(11, {"q1-tests"}, hint=_hint(A1_ID, "q1", mistake), q1_answer=_signed(**swap))


def _q2_known(mistake: str, order: list[str]) -> Scenario:
    return _s(11, {"q2a-tests"}, hint=_hint(A1_ID, "q2", mistake), q2_answer=f"cascade = {order!r}")


A1 = {
    "correct": _s(14),
    "blank": Scenario({}, 0, blank=True),
    "other-right-order": _s(14, q2_answer='cascade = ["A61", "A65", "A64", "A66", "A67"]'),
    # partial credit: 4 of 5 ids, 2 of 3 for the chain, 5 of 6 episodes
    "wrong-q1": _s(13.4, q1_answer=_signed(sf="A09")),
    "wrong-q2": _s(13, q2_answer='cascade = ["A61", "A66", "A65", "A64", "A67"]'),
    "wrong-q2-decoy": _s(12, q2_answer='cascade = ["A61", "A64", "A44", "A66", "A67"]'),
    "wrong-q3": _s(13.3333, q3_answer=_cha(A26="friction-against-prediction")),
    "wrong-q4a": _s(
        12,
        {"q4a-tests"},
        q4a_answer=(
            '_codes = events["actors"].str.split(";")\n'
            '_pair = _codes.map(lambda c: "JP" in c and "KR" in c)\n'
            'jk_friction = events[_pair & (events["tone"] == "friction")].groupby("year").size()'
        ),
    ),
    "wrong-q4b": _s(13, {"q4b-tests"}, q4b_answer='friction_reading = "steady-rise"'),
    "wrong-q4c": _s(13, {"q4c-tests"}, q4c_answer='friction_indicator = "severity"'),
    "broken-q2": _s(11, {"q2a-tests"}, q2_answer="cascade = sorted(("),
    "wrong-types": _s(
        2,
        {"q1-tests", "q2a-tests", "q3a-tests", "q4b-tests", "q4c-tests"},
        q1_answer='signed = ["A11", "A15", "A06", "A13", "A07"]',
        q2_answer='cascade = "A61, A64, A65, A66, A67"',
        q3_answer='cha_reading = ["cooperation-as-predicted"] * 6',
        q4b_answer="friction_reading = 3",
        q4c_answer='friction_indicator = ["coded-events"]',
    ),
    # each known mistake: no points for the part, and the hint in the output
    "known-q1-usrok-in-force": _q1_known("US-ROK treaty: entry into force", usrok="A12"),
    "known-q1-usrok-initialed": _q1_known("US-ROK treaty: initialing", usrok="E022"),
    "known-q1-revised-in-force": _q1_known("revised US-Japan treaty: entry", revised="A14"),
    "known-q1-revised-diet": _q1_known("revised US-Japan treaty: Diet", revised="E019"),
    "known-q1-jprok-in-force": _q1_known("Japan-ROK treaty: entry", jprok="A16"),
    "known-q1-ratification": _q1_known("San Francisco treaties", sf="E017", first="E017"),
    "known-q1-all-in-force": _q1_known(
        "entry into force chosen throughout", usrok="A12", revised="A14", jprok="A16"
    ),
    "known-q2-all-seven": _q2_known(
        "all seven options", ["A44", "A57", "A61", "A64", "A65", "A66", "A67"]
    ),
    "known-q2-missile": _q2_known("the 2017 Hokkaido", ["A57", "A61", "A64", "A65", "A66", "A67"]),
    "known-q2-2012": _q2_known("the 2012 GSOMIA", ["A44", "A61", "A64", "A65", "A66", "A67"]),
    "known-q2-security-first": _q2_known(
        "GSOMIA decision placed", ["A61", "A66", "A64", "A65", "A67"]
    ),
    "known-q2-no-suspension": _q2_known("chain ends with", ["A61", "A64", "A65", "A66"]),
    "known-q3-all-fit": _s(
        10,
        {"q3a-tests"},
        hint=_hint(A1_ID, "q3", "every episode read as matching"),
        q3_answer=_cha(A27="cooperation-as-predicted", A28="cooperation-as-predicted"),
    ),
    "known-q3-detente": _s(
        10,
        {"q3a-tests"},
        hint=_hint(A1_ID, "q3", "détente read as shared abandonment"),
        q3_answer=_cha(A21="friction-against-prediction", A22="friction-against-prediction"),
    ),
    "known-q4b-severity": _s(
        13,
        {"q4b-tests"},
        hint=_hint(A1_ID, "q4b", "reads a count"),
        q4b_answer='friction_reading = "worse-than-1973"',
    ),
    "known-q4c-opinion": _s(
        13,
        {"q4c-tests"},
        hint=_hint(A1_ID, "q4c", "confuses the event count"),
        q4c_answer='friction_indicator = "opinion"',
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
    A0_ID: A0,
    A1_ID: A1,
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
