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
    hints: dict[str, str] = field(default_factory=dict)
    """Test cell -> text its output must show (a known mistake's hint, with its section)."""


def _s(score: float, lost: set[str] | None = None, **changes: str) -> Scenario:
    return Scenario(
        {k.replace("_", "-"): v for k, v in changes.items()}, score, frozenset(lost or set())
    )


def _k(score: float, lost: set[str], hints: dict[str, str], **changes: str) -> Scenario:
    """A known mistake: its score, the cells it loses and the hint each cell must show."""
    return Scenario(
        {k.replace("_", "-"): v for k, v in changes.items()}, score, frozenset(lost), hints=hints
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

_A2_OBJECTIONS = {
    "no-direct-stake": "claim-not-stake",
    "cjk-falls-prey": "japanese-actions",
    "most-successful": "counting-rules",
    "postwar-record": "not-a-clean-slate",
    "nontraditional-common-ground": "securitization",
    "disputed-objective": "issue-by-issue",
    "china-gets-a-vote": "values-agenda-is-a-bloc",
    "uncertainties-first": "incomplete-list",
}
_A2_DATA_TESTS = {
    "most-successful": "standalone-and-mechanisms",
    "cjk-falls-prey": "hiatus-vs-friction",
    "shared-objective": "tests-then-cooperation",
    "domestic-politics": "opinion-impressions",
    "no-direct-stake": "none",
}
_A2_EVIDENCE = {
    "A47": ("for", "convened-despite-freeze"),
    "B15": ("for", "cjk-stalled-over-history"),
    "A66": ("against", "dispute-spilled-into-security"),
}


def _a2_objections(**changes: str) -> str:
    values = {**_A2_OBJECTIONS, **{k.replace("_", "-"): v for k, v in changes.items()}}
    return f"objections_to = {values!r}"


def _a2_data_tests(**changes: str) -> str:
    values = {**_A2_DATA_TESTS, **{k.replace("_", "-"): v for k, v in changes.items()}}
    return f"data_tests = {values!r}"


def _a2_evidence(**changes: tuple[str, str]) -> str:
    pairs = {**_A2_EVIDENCE, **changes}
    values = {k: {"stance": s, "reason": r} for k, (s, r) in pairs.items()}
    return f"evidence = {values!r}"


A2 = {
    "correct": _s(20),
    "blank": Scenario({}, 0, blank=True),
    # every other accepted answer the rubric notes list
    "other-right-answers": _s(
        20,
        q2_answer=_a2_objections(
            cjk_falls_prey="us-track-also-froze",
            most_successful="us-track-also-froze",
            disputed_objective="values-agenda-is-a-bloc",
        ),
        q4_answer=_a2_evidence(
            A47=("against", "us-took-a-side"),
            B15=("against", "us-took-a-side"),
            A66=("against", "us-took-a-side"),
        ),
    ),
    "wrong-q1": _s(18, {"q1-tests"}, q1_answer='thesis_choice = "history-first"'),
    "known-q1-contain-china": _k(
        18,
        {"q1-tests"},
        {"q1-tests": "see 7.8 China: the disputed objective"},
        q1_answer='thesis_choice = "contain-china"',
    ),
    "known-q1-nk-only": _k(
        18,
        {"q1-tests"},
        {"q1-tests": "see 1.4 The anchor article"},
        q1_answer='thesis_choice = "nk-only"',
    ),
    # two of eight premises wrong: 6/8 of 7 points
    "wrong-q2": _s(
        18.25,
        q2_answer=_a2_objections(no_direct_stake="counting-rules", postwar_record="securitization"),
    ),
    "decoys-q2": _s(
        13,
        {"q2-tests"},
        q2_answer="objections_to = "
        + repr(dict.fromkeys(_A2_OBJECTIONS, "article-ignores-north-korea")),
    ),
    "known-q2-no-direct-stake": _k(
        19.125,
        set(),
        {"q2-tests": "see 5.10 Is the United States outside the history debate?"},
        q2_answer=_a2_objections(no_direct_stake="us-track-also-froze"),
    ),
    "known-q2-postwar-record": _k(
        19.125,
        set(),
        {"q2-tests": "see 9.7 Critiques of the recommendation"},
        q2_answer=_a2_objections(postwar_record="values-agenda-is-a-bloc"),
    ),
    "known-q2-nontraditional": _k(
        19.125,
        set(),
        {"q2-tests": "see 10.10 Assessing the recommendation"},
        q2_answer=_a2_objections(nontraditional_common_ground="issue-by-issue"),
    ),
    "wrong-q3": _s(
        18,
        q3_answer=_a2_data_tests(most_successful="quad-ministerials", shared_objective="none"),
    ),
    "known-q3-domestic-politics": _k(
        19,
        set(),
        {"q3-tests": "see 5.8 What the public thinks: reading the opinion data"},
        q3_answer=_a2_data_tests(domestic_politics="none"),
    ),
    "known-q3-no-direct-stake": _k(
        19,
        set(),
        {"q3-tests": "see 5.10 Is the United States outside the history debate?"},
        q3_answer=_a2_data_tests(no_direct_stake="hiatus-vs-friction"),
    ),
    # the right stance with a reason that does not fit: half of that event
    "wrong-q4": _s(19.5, q4_answer=_a2_evidence(A47=("for", "us-took-a-side"))),
    # the stance "against" is defensible for A47 (with another reason), so half of the event
    "known-q4-A47": _k(
        19.5,
        set(),
        {"q4-tests": "see 6.9 Explaining the differences"},
        q4_answer=_a2_evidence(A47=("against", "convened-despite-freeze")),
    ),
    "known-q4-B15": _k(
        19.5,
        set(),
        {"q4-tests": "see 5.10 Is the United States outside the history debate?"},
        q4_answer=_a2_evidence(B15=("for", "us-took-a-side")),
    ),
    "known-q4-A66": _k(
        19,
        set(),
        {"q4-tests": "see 5.7 The 2018–2019 cascade: from courts to trade to security"},
        q4_answer=_a2_evidence(A66=("for", "dispute-spilled-into-security")),
    ),
    "wrong-q5": _s(
        17,
        {"q5-tests"},
        q5_answer=(
            'quotes = {"no-direct-stake": "America has no direct stake in the history debate",'
            ' "disputed-objective": "a united front against China is disputed by Seoul",'
            ' "china-gets-a-vote": "Beijing will have its say on the future of the region"}'
        ),
    ),
    "broken-q3": _s(15, {"q3-tests"}, q3_answer="data_tests = {"),
    "wrong-types": _s(
        11,
        {"q1-tests", "q2-tests"},
        q1_answer="thesis_choice = 3",
        q2_answer='objections_to = ["claim-not-stake", "japanese-actions"]',
    ),
}

_A3_HIATUS_FROM_DATA = """
from coursekit import analysis
_m = meetings[meetings["year"].between(2008, 2024)]
hiatus = {t: analysis.hiatus_years(_m, t) for t in ("US-JP-ROK", "CN-JP-ROK")}
"""
_A3_CLAIMS = {
    "friction-peak": (True, "friction_events"),
    "cjk-more-mechanisms-2024": (False, "mechanisms_active"),
    "quad-outmet-cjk": (True, "leaders_meetings"),
    "first-standalone": (True, "leaders_standalone"),
    "ministerial-surge": (True, "ministerial_meetings"),
}


def _a3_claims(**changes: tuple[bool, str]) -> str:
    pairs = {**_A3_CLAIMS, **{k.replace("_", "-"): v for k, v in changes.items()}}
    values = {k: {"supported": s, "indicator": i} for k, (s, i) in pairs.items()}
    return f"claims = {values!r}"


def _a3_hiatus(**changes: list[int]) -> str:
    lines = [_A3_HIATUS_FROM_DATA]
    lines += [f"hiatus[{k.replace('_', '-')!r}] = {v!r}" for k, v in changes.items()]
    return "\n".join(lines)


_A3_SHARES = """
_sel = indicators[indicators["year"].between(2008, 2024)]
_t = _sel.pivot_table(index="trilateral", columns="indicator", values="value", aggfunc="sum",
                      observed=True)
standalone_share = {g: float(_t.loc[g, "leaders_standalone"] / _t.loc[g, "leaders_meetings"])
                    for g in ["US-JP-ROK", "CN-JP-ROK", "QUAD"]}
"""


def _a3_shares(**changes: float) -> str:
    lines = [_A3_SHARES]
    lines += [f"standalone_share[{k.replace('_', '-')!r}] = {v!r}" for k, v in changes.items()]
    return "\n".join(lines)


A3 = {
    "correct": _s(15),
    "blank": Scenario({}, 0, blank=True),
    # every format counted as stand-alone: the meetings column is right, the other is not
    "wrong-q1": _s(
        13,
        q1_answer=(
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
    "no-zero-years-q1": _s(
        11,
        {"q1-tests"},
        q1_answer=(
            '_rows = meetings[(meetings["level"] == "leaders")'
            ' & meetings["trilateral"].isin(["US-JP-ROK", "CN-JP-ROK"])'
            ' & meetings["year"].between(2008, 2024)]\n'
            "leaders_table = (_rows.assign(s=_rows['format'] == 'standalone')"
            ".groupby(['trilateral', 'year'], observed=True)"
            ".agg(leaders_meetings=('id', 'size'), leaders_standalone=('s', 'sum')).reset_index())"
        ),
        q2_answer=_A3_HIATUS_FROM_DATA,
    ),
    "known-q2-standalone-only": _k(
        13.5,
        set(),
        {"q2-tests": "see 6.8 Counting summits: a lesson in definitions"},
        q2_answer=(
            "hiatus = {}\n"
            "for t, rows in leaders_table.groupby('trilateral'):\n"
            "    met = rows.loc[rows['leaders_standalone'] > 0, 'year']\n"
            "    span = rows[rows['year'].between(met.min(), met.max())]\n"
            "    hiatus[t] = [int(y) for y in span.loc[span['leaders_standalone'] == 0, 'year']]"
        ),
    ),
    "known-q2-from-2014": _k(
        13.5,
        set(),
        {"q2-tests": "see 6.4 The US–Japan–ROK triangle: deep but episodic"},
        q2_answer=_a3_hiatus(US_JP_ROK=[2015, 2018, 2019, 2020, 2021]),
    ),
    "known-q2-every-level": _k(
        13.5,
        set(),
        {"q2-tests": "see 6.5 China–Japan–ROK: institutionalised but fragile"},
        q2_answer=_a3_hiatus(CN_JP_ROK=[2013, 2014, 2016, 2017, 2020, 2021, 2022]),
    ),
    "wrong-q2": _s(12, {"q2-tests"}, q2_answer=_a3_hiatus(US_JP_ROK=[2015], CN_JP_ROK=[2016])),
    "known-q3-mechanism-years": _k(
        14.5,
        set(),
        {"q3-tests": "see 6.7 Exploring the comparison yourself"},
        q3_answer=_a3_claims(cjk_more_mechanisms_2024=(True, "mechanisms_active")),
    ),
    "known-q3-standalone-indicator": _k(
        14.5,
        set(),
        {"q3-tests": "see 6.8 Counting summits: a lesson in definitions"},
        q3_answer=_a3_claims(first_standalone=(True, "leaders_meetings")),
    ),
    "known-q3-any-format": _k(
        14.5,
        set(),
        {"q3-tests": "see 6.8 Counting summits: a lesson in definitions"},
        q3_answer=_a3_claims(quad_outmet_cjk=(True, "leaders_standalone")),
    ),
    # every verdict reversed, every indicator right: half of each claim
    "wrong-q3": _s(
        12.5,
        q3_answer=_a3_claims(
            **{k.replace("-", "_"): (not s, i) for k, (s, i) in _A3_CLAIMS.items()}
        ),
    ),
    "known-q4-without-2008": _k(
        14,
        set(),
        {"q4-tests": "see 6.4 The US–Japan–ROK triangle: deep but episodic"},
        q4_answer=_a3_shares(US_JP_ROK=0.1),
    ),
    "known-q4-sidelines-share": _k(
        14,
        set(),
        {"q4-tests": "see 6.8 Counting summits: a lesson in definitions"},
        q4_answer=_a3_shares(US_JP_ROK=10 / 11),
    ),
    "known-q4-no-virtual": _k(
        14,
        set(),
        {"q4-tests": "see 6.8 Counting summits: a lesson in definitions"},
        q4_answer=_a3_shares(QUAD=0.75),
    ),
    "wrong-types": _s(
        3,
        {"q1-tests", "q2-tests", "q3-tests"},
        q1_answer="leaders_table = meetings.groupby('year').size()",
        q2_answer="hiatus = [2015, 2018]",
        q3_answer='claims = "all true"',
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


QUOTATION_PARTS: dict[str, dict[str, float]] = {"a2-argument-map": {"q5-tests": 3.0}}
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
        hints=scenario.hints,
    )
