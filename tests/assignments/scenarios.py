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


def _responds(**changes: str) -> str:
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
    "wrong-partC": _s(14, partC_answer=_responds(B08="court-rulings", A66="taiwan-remark")),
    "known-A64-radar": _s(
        15,
        partC_answer=_responds(A64="radar-2018"),
        hint=_a4_hint("responds:A64", "Takes the December 2018 radar dispute"),
    ),
    "known-E060-radar": _s(
        15,
        partC_answer=_responds(E060="radar-2025"),
        hint=_a4_hint("responds:E060", "Takes the December 2025 radar incident"),
    ),
    # the nearest earlier trigger for every measure: right for B08, A66 and E058 only
    "nearest-earlier": _s(14, partC_answer=_responds(A64="radar-2018", E060="radar-2025")),
    # the option lists copied in the order given: nothing right anywhere
    "filler": _s(
        0,
        {"partA-tests", "partB-tests", "partC-tests"},
        partA_answer=_roles(**{e: _A4_ROLE_KEYS[i % 4] for i, e in enumerate(_A4_CANDIDATES)}),
        partB_answer=_premises(
            **{f"obj_{c}": _A4_PREMISE_KEYS[i % 4] for i, c in enumerate("abcde")}
        ),
        partC_answer=_responds(**{e: _A4_TRIGGER_KEYS[i] for i, e in enumerate(_A4_MEASURES)}),
    ),
    # one label everywhere is a guess: 3 of 8 in A, 3 of 5 in B, 0 of 5 in C
    "one-label": _s(
        5.25,
        {"partC-tests"},
        partA_answer=_roles(**{e: "other-grouping" for e in _A4_CANDIDATES}),
        partB_answer=_premises(**{f"obj_{c}": "insulated" for c in "abcde"}),
        partC_answer=_responds(**{e: "radar-2018" for e in _A4_MEASURES}),
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
