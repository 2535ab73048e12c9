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
    hints: dict[str, str] = field(default_factory=dict)
    """Test cell -> text its output must show (a known mistake's hint, with its section)."""


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
    import json
    from pathlib import Path

    from coursekit.checks.hints import known_wrong_table

    notes_path = Path(__file__).resolve().parents[2] / "assignments" / "_known_wrong_notes"
    notes = json.loads((notes_path / f"{assignment}.json").read_text(encoding="utf-8"))
    marks = [f for f, note in notes[question].items() if note.startswith(mistake)]
    assert len(marks) == 1, (assignment, question, mistake)
    found = [m.hint for m in known_wrong_table(assignment)[question] if m.fingerprint == marks[0]]
    assert len(found) == 1, (assignment, question, mistake)
    return found[0]


def _k(score: float, lost: set[str], hints: dict[str, str], **changes: str) -> Scenario:
    """A known mistake: its score, the cells it loses and the hint each cell must show."""
    return Scenario(
        {k.replace("_", "-"): v for k, v in changes.items()}, score, frozenset(lost), hints=hints
    )


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
    # the hint shows, but the hidden part still gives the right cooperation decade its point
    "known-wrong-p4a": _s(
        4,
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


def _q1_known(question: str, mistake: str, score: float, **swap: str) -> Scenario:
    return _s(score, hint=_hint(A1_ID, question, mistake), q1_answer=_signed(**swap))


_RESPONDS = {"A64": "A61", "A65": "A61", "A66": "A65", "A67": "A66"}


def _responds(links: dict[str, str]) -> str:
    return f"responds_to = {links!r}"


def _q2_known(mistake: str, score: float, links: dict[str, str]) -> Scenario:
    return _s(score, hint=_hint(A1_ID, "q2", mistake), q2_answer=_responds(links))


# a1: Q1 5 ids x 0.2, Q2a 3 (what belongs 0.75, the keys 0.25, each link 0.5), Q3a 6 x 1/3,
# Q4a 2, Q4b 1, Q4c 1 (10 in all)
A1 = {
    "correct": _s(10),
    "blank": Scenario({}, 0, blank=True),
    "other-accepted-steps": _s(10, q2_answer=_responds({**_RESPONDS, "A64": "A62", "A66": "A64"})),
    # partial credit: 4 of 5 ids, 3 of 4 steps, 5 of 6 episodes
    "wrong-q1": _s(9.8, q1_answer=_signed(sf="A09")),
    "wrong-q2": _s(9.5, q2_answer=_responds({**_RESPONDS, "A66": "A61"})),
    "wrong-q2-decoy": _s(9, q2_answer=_responds({**_RESPONDS, "A63": "A61"})),
    "wrong-q3": _s(9.6667, q3_answer=_cha(A26="friction-against-prediction")),
    "wrong-q4a": _s(
        8,
        {"q4a-tests"},
        q4a_answer=(
            '_codes = events["actors"].str.split(";")\n'
            '_pair = _codes.map(lambda c: "JP" in c and "KR" in c)\n'
            'jk_friction = events[_pair & (events["tone"] == "friction")].groupby("year").size()'
        ),
    ),
    "wrong-q4b": _s(9, {"q4b-tests"}, q4b_answer='friction_reading = "steady-rise"'),
    "wrong-q4c": _s(9, {"q4c-tests"}, q4c_answer='friction_indicator = "severity"'),
    "broken-q2": _s(7, {"q2a-tests"}, q2_answer="responds_to = sorted(("),
    "wrong-types": _s(
        2,
        {"q1-tests", "q2a-tests", "q3a-tests", "q4b-tests", "q4c-tests"},
        q1_answer='signed = ["A11", "A15", "A06", "A13", "A07"]',
        q2_answer='responds_to = "A64: A61"',
        q3_answer='cha_reading = ["cooperation-as-predicted"] * 6',
        q4b_answer="friction_reading = 3",
        q4c_answer='friction_indicator = ["coded-events"]',
    ),
    # each known mistake: its hint in the output, and partial credit where the part gives it
    "known-q1-usrok-in-force": _q1_known("q1-usrok", "US-ROK treaty: entry", 9.8, usrok="A12"),
    "known-q1-usrok-initialed": _q1_known("q1-usrok", "US-ROK treaty: init", 9.8, usrok="E022"),
    "known-q1-revised-in-force": _q1_known(
        "q1-revised", "revised US-Japan treaty: entry", 9.8, revised="A14"
    ),
    "known-q1-revised-diet": _q1_known(
        "q1-revised", "revised US-Japan treaty: Diet", 9.8, revised="E019"
    ),
    "known-q1-jprok-in-force": _q1_known("q1-jprok", "Japan-ROK treaty: entry", 9.8, jprok="A16"),
    "known-q1-ratification": _q1_known(
        "q1-sf", "San Francisco Peace Treaty", 9.6, sf="E017", first="E017"
    ),
    "known-q2-date-chain": _q2_known(
        "each event from 2018",
        8,
        {"A63": "A61", "A64": "A63", "A65": "A64", "A66": "A65", "A67": "A66"},
    ),
    "known-q2-trade-chain": _q2_known("white-list removal", 9.5, {**_RESPONDS, "A65": "A64"}),
    "known-q2-no-suspension": _q2_known(
        "chain ends with", 9.25, {"A64": "A61", "A65": "A61", "A66": "A65"}
    ),
    "known-q3-all-fit": _s(
        9.3333,
        hint=_hint(A1_ID, "q3", "every episode read as matching"),
        q3_answer=_cha(A27="cooperation-as-predicted", A28="cooperation-as-predicted"),
    ),
    "known-q3-detente": _s(
        9.3333,
        hint=_hint(A1_ID, "q3", "détente read as shared abandonment"),
        q3_answer=_cha(A21="friction-against-prediction", A22="friction-against-prediction"),
    ),
    "known-q4b-severity": _s(
        9,
        {"q4b-tests"},
        hint=_hint(A1_ID, "q4b", "reads a count"),
        q4b_answer='friction_reading = "worse-than-1973"',
    ),
    "known-q4c-opinion": _s(
        9,
        {"q4c-tests"},
        hint=_hint(A1_ID, "q4c", "confuses the event count"),
        q4c_answer='friction_indicator = "opinion"',
    ),
}

_A2_OBJECTIONS = {
    "no-direct-stake": "claim-not-stake",
    "cjk-falls-prey": "japanese-actions",
    "most-successful": "counting-rules",
    "postwar-record": "not-a-clean-slate",
    "nontraditional-common-ground": "securitization",
    "disputed-objective": "issue-by-issue",
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
            A66=("against", "us-took-a-side"),
        ),
        q3_answer=_a2_data_tests(shared_objective="none", domestic_politics="none"),
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
    # two of seven premises wrong: 1 point each
    "wrong-q2": _s(
        18,
        q2_answer=_a2_objections(no_direct_stake="counting-rules", postwar_record="securitization"),
    ),
    "decoys-q2": _s(
        13,
        {"q2-tests"},
        q2_answer="objections_to = "
        + repr(dict.fromkeys(_A2_OBJECTIONS, "article-ignores-north-korea")),
    ),
    "known-q2-no-direct-stake": _k(
        19,
        set(),
        {"q2-tests": "see 5.10 Is the United States outside the history debate?"},
        q2_answer=_a2_objections(no_direct_stake="us-track-also-froze"),
    ),
    "known-q2-postwar-record": _k(
        19,
        set(),
        {"q2-tests": "see 9.7 Critiques of the recommendation"},
        q2_answer=_a2_objections(postwar_record="values-agenda-is-a-bloc"),
    ),
    "known-q2-nontraditional": _k(
        19,
        set(),
        {"q2-tests": "see 10.10 Assessing the recommendation"},
        q2_answer=_a2_objections(nontraditional_common_ground="issue-by-issue"),
    ),
    "wrong-q3": _s(
        18,
        q3_answer=_a2_data_tests(
            most_successful="quad-ministerials", shared_objective="opinion-impressions"
        ),
    ),
    "known-q3-no-direct-stake": _k(
        19,
        set(),
        {"q3-tests": "see 5.10 Is the United States outside the history debate?"},
        q3_answer=_a2_data_tests(no_direct_stake="hiatus-vs-friction"),
    ),
    # the right stance with a reason that does not fit: half of that event
    "wrong-q4": _s(19.5, q4_answer=_a2_evidence(A47=("for", "us-took-a-side"))),
    # one stance and reason repeated for all three events is a guess: B15's fails
    "one-pair-everywhere": _s(
        19,
        q4_answer=_a2_evidence(
            A47=("against", "us-took-a-side"),
            B15=("against", "us-took-a-side"),
            A66=("against", "us-took-a-side"),
        ),
    ),
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
    # the rules on key words and repeats: tests/assignments/test_a2_quotations.py
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
    "worst-years": (True, "friction_events"),
    "cjk-more-institutionalised": (False, "mechanisms_active"),
    "quad-outmet-cjk": (True, "leaders_meetings"),
    "camp-david-first": (True, "leaders_standalone"),
}
_A3_RULES = {"cjk-met-more": "format", "cjk-silent-2023": "level", "cjk-met-2019": "neither"}


def _a3_rules(**changes: str) -> str:
    values = {**_A3_RULES, **{k.replace("_", "-"): v for k, v in changes.items()}}
    return f"counting_rule = {values!r}"


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
        14,
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
        13,
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
        q3_answer=_a3_claims(cjk_more_institutionalised=(True, "mechanisms_active")),
    ),
    "known-q3-standalone-indicator": _k(
        14.5,
        set(),
        {"q3-tests": "see 6.8 Counting summits: a lesson in definitions"},
        q3_answer=_a3_claims(camp_david_first=(True, "leaders_meetings")),
    ),
    "known-q3-any-format-false": _k(
        14,
        set(),
        {"q3-tests": "see 6.8 Counting summits: a lesson in definitions"},
        q3_answer=_a3_claims(camp_david_first=(False, "leaders_meetings")),
    ),
    # "met more often" may be read as stand-alone summits only: judged on that indicator
    "other-right-answers": _s(
        15, q3_answer=_a3_claims(quad_outmet_cjk=(True, "leaders_standalone"))
    ),
    # every verdict reversed, every indicator right: half of each claim
    "wrong-q3": _s(
        13,
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
    "wrong-rules": _s(
        13, rules_answer=_a3_rules(cjk_met_more="neither", cjk_silent_2023="neither")
    ),
    "swapped-rules": _s(13, rules_answer=_a3_rules(cjk_met_more="level", cjk_silent_2023="format")),
    "wrong-types": _s(
        6,
        {"q1-tests", "q2-tests", "q3-tests"},
        q1_answer="leaders_table = meetings.groupby('year').size()",
        q2_answer="hiatus = [2015, 2018]",
        q3_answer='claims = "all true"',
    ),
}

_A4_ROLES = {
    "A95": "other-grouping",
    "E060": "shows-the-problem",
    "E029": "supports",
    "A81": "other-issue",
    "C14": "other-grouping",
    "A64": "shows-the-problem",
    "E033": "supports",
    "E075": "other-grouping",
}
_A4_PREMISES = {
    "obj-a": "insulated",
    "obj-b": "parallel-standards",
    "obj-c": "insulated",
    "obj-d": "shared-exposure",
    "obj-e": "rules-or-china",
}
_A4_RESPONDS = {
    "E060": "taiwan-remark",
    "A64": "court-rulings",
    "B08": "captain-detained",
    "A66": "export-curbs",
    "E058": "taiwan-remark",
}
# what a4 lists for students, in the order given there ("filler": the lists copied as given)
_A4_CANDIDATES = ["A95", "E060", "E029", "A81", "C14", "A64", "E033", "E075"]
_A4_ROLE_KEYS = ["other-issue", "supports", "other-grouping", "shows-the-problem"]
_A4_PREMISE_KEYS = ["shared-exposure", "insulated", "parallel-standards", "rules-or-china"]
_A4_MEASURES = ["E060", "A64", "B08", "A66", "E058"]
_A4_TRIGGER_KEYS = [
    "radar-2018",
    "taiwan-remark",
    "export-curbs",
    "new-prime-minister",
    "captain-detained",
    "radar-2025",
    "court-rulings",
]


def _roles(**changes: str) -> str:
    return f"roles = { ({**_A4_ROLES, **changes})!r}"


def _premises(**changes: str) -> str:
    changed = {k.replace("_", "-"): v for k, v in changes.items()}
    return f"premise_of = { ({**_A4_PREMISES, **changed})!r}"


def _a4_responds(**changes: str) -> str:
    return f"responds_to = { ({**_A4_RESPONDS, **changes})!r}"


def _a4_hint(question: str, mistake: str) -> str:
    return _hint("a4-policy-memo", question, mistake)


# a4: Part A 8 items x 0.75, Part B 5 x 1, Part C 5 x 1 (16 points in all)
A4 = {
    "correct": _s(16),
    "blank": Scenario({}, 0, blank=True),
    "other-right-answers": _s(
        16, partB_answer=_premises(obj_a="rules-or-china", obj_e="insulated")
    ),
    "wrong-partA": _s(14.5, partA_answer=_roles(E029="other-issue", A64="supports")),
    "known-E075": _s(
        15.25,
        partA_answer=_roles(E075="supports"),
        hint=_a4_hint("roles:E075", "Counts the US-Japan critical-minerals framework"),
    ),
    "known-A95": _s(
        15.25,
        partA_answer=_roles(A95="supports"),
        hint=_a4_hint("roles:A95", "Counts the Japan-Korea agreement at Nara"),
    ),
    "known-C14": _s(
        15.25,
        partA_answer=_roles(C14="supports"),
        hint=_a4_hint("roles:C14", "Takes the Quad's"),
    ),
    "wrong-partB": _s(
        14, partB_answer=_premises(obj_b="shared-exposure", obj_e="parallel-standards")
    ),
    "known-obj-c": _s(
        15,
        partB_answer=_premises(obj_c="rules-or-china"),
        hint=_a4_hint("premise:obj-c", "Matches the CJK summit hiatus"),
    ),
    "known-obj-d": _s(
        15,
        partB_answer=_premises(obj_d="insulated"),
        hint=_a4_hint("premise:obj-d", "Reads the 2019 chip-materials case"),
    ),
    "wrong-partC": _s(14, partC_answer=_a4_responds(B08="court-rulings", A66="taiwan-remark")),
    "known-A64-radar": _s(
        15,
        partC_answer=_a4_responds(A64="radar-2018"),
        hint=_a4_hint("responds:A64", "Takes the December 2018 radar dispute"),
    ),
    "known-E060-radar": _s(
        15,
        partC_answer=_a4_responds(E060="radar-2025"),
        hint=_a4_hint("responds:E060", "Takes the December 2025 radar incident"),
    ),
    # the nearest earlier trigger for every measure: right for B08, A66 and E058 only
    "nearest-earlier": _s(14, partC_answer=_a4_responds(A64="radar-2018", E060="radar-2025")),
    # the option lists copied in the order given: nothing right anywhere
    "filler": _s(
        0,
        {"partA-tests", "partB-tests", "partC-tests"},
        partA_answer=_roles(**{e: _A4_ROLE_KEYS[i % 4] for i, e in enumerate(_A4_CANDIDATES)}),
        partB_answer=_premises(
            **{f"obj_{c}": _A4_PREMISE_KEYS[i % 4] for i, c in enumerate("abcde")}
        ),
        partC_answer=_a4_responds(**{e: _A4_TRIGGER_KEYS[i] for i, e in enumerate(_A4_MEASURES)}),
    ),
    # one label everywhere is a guess: 3 of 8 in A, 3 of 5 in B, 0 of 5 in C
    "one-label": _s(
        5.25,
        {"partC-tests"},
        partA_answer=_roles(**{e: "other-grouping" for e in _A4_CANDIDATES}),
        partB_answer=_premises(**{f"obj_{c}": "insulated" for c in "abcde"}),
        partC_answer=_a4_responds(**{e: "radar-2018" for e in _A4_MEASURES}),
    ),
    "wrong-types": _s(
        0,
        {"partA-tests", "partB-tests", "partC-tests"},
        partA_answer='roles = ["other-grouping"] * 8',
        partB_answer='premise_of = "insulated"',
        partC_answer='responds_to = ["taiwan-remark", "court-rulings"]',
    ),
}

_A5_TESTS_OF = {
    "E058": "china-vote",
    "A90": "objective-north-korea",
    "E053": "uncertainty-domestic",
    "A98": "convener",
    "E031": "nontraditional",
    "A96": "uncertainty-america",
    "B27": "china-vote",
    "E073": "uncertainty-domestic",
}
_A5_OUTCOMES = {
    "reenergized": {"outcome": "partly", "evidence": ["A79", "A83", "A91"]},
    "china-vote": {"outcome": "happened", "evidence": ["E058", "B27", "E060"]},
    "domestic-politics": {"outcome": "partly", "evidence": ["E050", "E053", "A89"]},
    "north-korea": {"outcome": "happened", "evidence": ["A80", "A90", "E062"]},
    "nontraditional": {"outcome": "partly", "evidence": ["E031", "E033", "A95"]},
}


def _tests_of(**changes: str) -> str:
    return f"tests_of = { ({**_A5_TESTS_OF, **changes})!r}"


def _a5_counts() -> dict[str, int]:
    """The right answer to a5's A2, from the course data as they stand."""
    from coursekit import data

    m = data.meetings()
    m = m[(m["trilateral"].astype(str) == "US-JP-ROK") & (m["year"] == 2025)]
    levels = ["senior-officials", "leaders", "defense-ministers", "foreign-ministers"]
    return {lv: int((m["level"].astype(str) == lv).sum()) for lv in levels}


def _a2(counts: dict[str, int] | None = None) -> str:
    return f"meetings_2025 = {(counts or _a5_counts())!r}"


_A5_REASONS = {
    "tariff-deals": "design",
    "acting-president": "scheduling",
    "summits-renounced": "not-in-record",
    "g7-departure": "scheduling",
}


def _a3(**changes: str) -> str:
    changed = {k.replace("_", "-"): v for k, v in changes.items()}
    return f"reason_kind = { ({**_A5_REASONS, **changed})!r}"


def _a5_outcomes(**rows: dict[str, object]) -> str:
    changed = {
        k.replace("_", "-"): {**_A5_OUTCOMES[k.replace("_", "-")], **v} for k, v in rows.items()
    }
    return f"outcomes = { ({**_A5_OUTCOMES, **changed})!r}"


def _a5_hint(question: str, mistake: str) -> str:
    return _hint("a5-after-the-article", question, mistake)


def _with_extra_foreign_ministers() -> dict[str, int]:
    counts = _a5_counts()
    return {**counts, "foreign-ministers": counts["foreign-ministers"] + 1}


# a5: A1 8 items x 0.5, A2 4 counts x 0.5, A3 4 x 0.5, B1 5 rows x 0.4, B2 2 x 1 (12 in all)
A5 = {
    "correct": _s(12),
    "blank": Scenario({}, 0, blank=True),
    "other-right-answers": _s(
        12,
        a1_answer=_tests_of(A98="uncertainty-america", E031="objective-north-korea"),
        b_answer=_a5_outcomes(
            reenergized={"outcome": "happened", "evidence": ["A85", "A86"]},
            nontraditional={"outcome": "did-not-happen", "evidence": ["A86", "E075"]},
        ),
    ),
    "wrong-a1": _s(11, a1_answer=_tests_of(A90="convener", B27="uncertainty-domestic")),
    "known-E058": _s(
        11.5,
        a1_answer=_tests_of(E058="nontraditional"),
        hint=_a5_hint("claims:E058", "Files China's seafood ban"),
    ),
    "known-A96": _s(
        11.5,
        a1_answer=_tests_of(A96="convener"),
        hint=_a5_hint("claims:A96", "Files Ishiba's first summit"),
    ),
    "wrong-a2": _s(11.5, a2_answer=_a2(_with_extra_foreign_ministers())),
    "wrong-a3": _s(11, a3_answer=_a3(g7_departure="design", summits_renounced="design")),
    "known-tariff-deals": _s(
        11.5,
        a3_answer=_a3(tariff_deals="scheduling"),
        hint=_a5_hint("reasons:tariff-deals", "Reads Washington's separate tariff deals"),
    ),
    "wrong-b1": _s(
        11.2,
        b_answer=_a5_outcomes(
            # before the article, and nothing from 2025 on
            china_vote={"evidence": ["B08"]},
            # fits the rule but nothing from 2025 or later
            north_korea={"evidence": ["A80", "A81"]},
        ),
    ),
    "known-A87": _s(
        11.6,
        b_answer=_a5_outcomes(reenergized={"evidence": ["A79", "A87"]}),
        hint=_a5_hint("evidence:reenergized", "Cites the Lee-Ishiba summit"),
    ),
    "known-A94": _s(
        11.6,
        b_answer=_a5_outcomes(reenergized={"evidence": ["A94", "A91"]}),
        hint=_a5_hint("evidence:reenergized", "Cites the Lee-Takaichi summit"),
    ),
    "known-A87-A94": _s(
        11.6,
        b_answer=_a5_outcomes(reenergized={"evidence": ["A87", "A94"]}),
        hint=_a5_hint("evidence:reenergized", "Cites both of Lee's bilateral summits"),
    ),
    "unfit-evidence": _s(
        11.6, b_answer=_a5_outcomes(domestic_politics={"evidence": ["A72", "E053"]})
    ),
    "known-verdict": _s(
        11,
        b_answer=_a5_outcomes(north_korea={"outcome": "did-not-happen"}),
        hint=_a5_hint("verdict:north-korea", "Reads a growing North Korean threat"),
    ),
    "wrong-types": _s(
        0,
        {"a1-tests", "a2-tests", "a3-tests", "b1-tests", "b2-tests"},
        a1_answer='tests_of = "china-vote"',
        a2_answer="meetings_2025 = 5",
        a3_answer='reason_kind = ["design", "scheduling"]',
        b_answer='outcomes = [{"prediction": "china-vote", "outcome": "happened"}]',
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
