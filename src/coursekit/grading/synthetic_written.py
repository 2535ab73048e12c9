"""Written answers for the synthetic class: what students of varied quality might write.

Per written question of the course's assignments, a few answers at three levels: ``good``
(accurate, argued, evidence cited), ``fair`` (right in outline, thin on mechanism or
evidence) and ``weak`` (vague, or misreading the question). They paraphrase the course's own
material; none repeats the model answer. Questions not listed (a fixture assignment, a new
question) get short generic answers at the same levels.
"""

from __future__ import annotations

import random

__all__ = ["TIERS", "written_answer"]

TIERS = ("good", "fair", "weak")

ANSWERS: dict[str, dict[str, tuple[str, ...]]] = {
    "q6b-written": {
        "good": (
            "Cha (1999) argues that Japan and South Korea behave as quasi-allies: each is allied "
            "with the United States but not with the other, so how they treat each other depends "
            "on whether they fear being abandoned or entrapped by Washington. My cooperation "
            "event, the Sato–Nixon joint statement of November 1969 (A18), came a few months "
            "after the Nixon Doctrine told Asian allies to do more for their own defence. Tokyo "
            "saying that Korea's security mattered to Japan fits the model: both capitals worried "
            "about US retrenchment at once, so they moved closer despite the colonial past. The "
            "friction event, the abduction of Kim Dae-jung by South Korean agents in Tokyo in "
            "August 1973 (A21), fits less neatly. Cha would say détente eased the shared fear of "
            "abandonment, which let old grievances return, but the crisis was also about "
            "sovereignty and Park's authoritarian politics, which the model treats as background.",
            '"Alignment despite antagonism" is Victor Cha\'s answer to a puzzle: why two '
            "neighbours with bitter memories sometimes cooperate closely. In his account (Cha "
            "1999, which chapter 5 uses) the key variable is the United States. When Japan and "
            "South Korea both fear that Washington will pull back, they draw together; when only "
            "one of them has that fear, or neither does, friction returns. The Korea clause of "
            "the Sato–Nixon statement (A18) is an example of the first case, since it followed "
            "Nixon's Guam speech and worry about US troop cuts. The 1973 kidnapping of Kim "
            "Dae-jung in Tokyo (A21) shows the second: with détente under way the pressure to "
            "cooperate was weaker and the two governments traded accusations. I think the model "
            "explains the timing well, but not why the abduction happened in the first place.",
        ),
        "fair": (
            "Alignment despite antagonism means that Japan and Korea cooperate even though they "
            "dislike each other because of history. Cha says this happens because of the United "
            "States. In 1969 Japan and the US made a joint statement about Korea (A18), which "
            "shows cooperation. In 1973 Kim Dae-jung was kidnapped in Japan (A21) and this caused "
            "friction between the two countries. So the events fit the theory because there was "
            "cooperation and then friction.",
            "Victor Cha explains that Japan and South Korea are linked through their alliances "
            "with America. They cooperate when there is a common threat, such as North Korea or "
            "the Soviet Union, and argue when there is not. Event A18 from 1969 shows Japan "
            "supporting South Korea's security. Event A21, when an opposition politician was "
            "taken from a Tokyo hotel in 1973, shows friction. Both events fit the idea that the "
            "relationship goes up and down.",
        ),
        "weak": (
            "Japan and South Korea have a difficult history because of the colonial period, so "
            "they do not always get along. But they are both allies of America so they have to "
            "work together sometimes. My two events show this: one is cooperation and one is "
            "friction. This is what alignment despite antagonism means.",
            "The two countries were aligned in 1969 and then antagonism came in 1973 when there "
            "was a kidnapping. This shows the theory is right. The US wanted them to be friends.",
        ),
    },
    "critique-written": {
        "good": (
            "Aum and Silverberg argue that Washington should convene Tokyo and Seoul around "
            "interests the three share, above all deterring North Korea, rather than around "
            "containing China, which Seoul is reluctant to sign up to; they recommend recognizing "
            'the uncertainties ahead, "leaning into" the postwar record, and widening '
            "cooperation into nontraditional security. A strength is that the agenda is realistic "
            "about South Korea: work on supply chains or cyber lets Seoul cooperate without "
            "appearing to join a coalition against Beijing, and later practice went this way, "
            "for example the working group on North Korean cyber activities (E031). A weakness "
            "is the assumption that stressing post-1945 achievements can cool disputes that come "
            "from the colonial period itself. The forced-labor rulings of 2018 (A61, A62) and the "
            "export-control and GSOMIA crisis of 2019 (A64, A66) show how quickly those disputes "
            "spilled into security, as Glosserman and Snyder (2015) would expect from their "
            "focus on national identity.",
            "The article's thesis is that the United States can strengthen its relations with "
            "Japan and South Korea by acting as a convenor and choosing common ground: deterrence "
            "of North Korea, which all three share, over competition with China, which they do "
            "not. Its three recommendations follow from this. The strongest part is the contrast "
            "with the China–Japan–ROK trilateral: because Washington is not a party to the "
            "history dispute, it can bring the two together in a way Beijing cannot. The weakest "
            "part is how little it says about domestic politics. The turn after 2023 came from a "
            "political decision in Seoul, the third-party compensation plan (A75), which "
            "Washington did not control; the article lists domestic politics as one uncertainty "
            "among several. Cha (1999) also suggests that what pushes the two together is fear "
            "about the US commitment, not US convening.",
        ),
        "fair": (
            "The article says America should help Japan and South Korea cooperate more, mainly "
            "against North Korea, and should not make the partnership about China. A strength is "
            "that North Korea threatens all three countries, so it makes sense to focus on it. A "
            "weakness is that Japan and Korea still have big problems with history, like the "
            "court rulings (A61) and the trade fight in 2019. The article does not really say how "
            "to fix this. Overall it is a good argument but a bit optimistic.",
            "Aum and Silverberg want the US to lead a trilateral partnership with Japan and "
            "Korea. Their recommendations are about uncertainties, history and new kinds of "
            "security cooperation. One strength is that they suggest areas like health and "
            "cyber, where it is easier to agree. One weakness is that they assume the US can "
            "manage the politics in Seoul and Tokyo, but in 2019 GSOMIA almost ended anyway "
            "(A66). The book's chapter on history and identity also argues the disputes go "
            "deeper.",
        ),
        "weak": (
            "The article is about how America can make Japan and South Korea work together to "
            "contain China. This is a good idea because China is getting stronger. The weakness "
            "is that Korea and Japan do not like each other. I agree with the article.",
            "The authors think the three countries should cooperate more. They give three "
            "recommendations. I think it is a strong article because the authors are experts. A "
            "weakness might be that it is from 2021 so some things changed.",
        ),
    },
    "verdict-written": {
        "good": (
            "Partly. By frequency the claim holds: in my leaders_table the US–Japan–ROK "
            "leaders met eleven times between 2008 and 2024, one more than the China–Japan–ROK "
            "leaders. But only Camp David in 2023 was a stand-alone summit, a share of about "
            "0.09, while nine of the ten CJK meetings were summits of their own, so the US-led "
            "format met mostly on the "
            "sidelines of other gatherings. Both formats stopped for years: my hiatus results "
            "show no US–JP–ROK leaders' meeting in 2009–2013 or 2018–2021, and CJK stalled three "
            "times. "
            "The widget adds that ministerial meetings and active mechanisms rose after 2022. The "
            "numbers cannot show whether meetings produced anything, and success could mean "
            "institutions, where CJK had a secretariat from 2011. Counting rules matter too: if "
            "the very short Hiroshima and San Francisco encounters of 2023 are dropped, that "
            "year has one meeting instead of three.",
            "The data give mixed support. On raw counts the US–Japan–ROK trilateral looks busy: "
            "eleven leaders' meetings in 2008–2024 against ten for China–Japan–ROK. However, my "
            "stand-alone share shows that ten of the eleven US-led meetings happened at the edges "
            "of other summits, whereas the CJK leaders nearly always met on their own. Neither "
            "group was steady: my hiatus years show gaps for both, including 2018–2021 for the "
            "US-led format. In the widget the number of active mechanisms only climbs in the last "
            'few years, so "most successful" fits recent momentum better than the whole record. '
            "Meeting counts say nothing about outcomes such as sharing missile-warning data. "
            "Whether the brief 2023 exchanges count as meetings is contested, and leaving them "
            "out changes 2023 a lot.",
        ),
        "fair": (
            "I think the data mostly supports the claim because the US–Japan–ROK leaders met "
            "more often than the China–Japan–ROK leaders (11 against 10). There were some hiatus "
            "years, for example 2018–2021, but in the end they met at Camp David. The widget "
            "shows more mechanisms after 2022. The numbers cannot show if the meetings were "
            "useful.",
            "The US, Japan and South Korea have had many meetings, more than China, Japan and "
            "South Korea, so in that sense they are successful. But most of their meetings were "
            "not stand-alone summits. Also the CJK trilateral has a secretariat. I would say the "
            "claim is half true.",
        ),
        "weak": (
            "Yes, the data supports the claim because the trilateral has met many times and has "
            "done a lot together, like Camp David. It is one of the most successful in Asia.",
            "The widget shows that the US–JP–ROK line goes up at the end. So the article is right.",
        ),
    },
    "argument": {
        "good": (
            "Cyber is the right place to start because it joins the article's call for "
            "nontraditional cooperation to the one objective all three governments share, "
            "deterring North Korea. Pyongyang's hackers steal money that pays for its weapons "
            "and probe infrastructure in all three countries, so none of them can treat the "
            "problem as someone else's. The three are already building habits: diplomats set up "
            "a working group on North Korean cyber activities in December 2023 (E031) and met "
            "again in March 2024 (E032), and Freedom Edge in June 2024 (A81) included defensive "
            "cyber training. The Quad would be the wrong forum: not all its members face "
            "Pyongyang, while the intelligence channels that matter already run among these three. "
            "The main counter-argument is political turnover: a new government in Seoul or Tokyo "
            "could let the centre wither, as the 2019 GSOMIA crisis showed. Reporting each year "
            "through the new Trilateral Secretariat (A83) would make abandoning it visible and "
            "costly. Because it targets North Korea and not China, Seoul can join without being "
            'seen to sign up to an "anti-China" bloc.',
            "My memo proposes a standing trilateral cyber cell. The case for this area is that "
            "North Korean cyber operations are a shared threat that the article's third "
            "recommendation, on nontraditional security, can address without dividing the three "
            "over China. Why trilateral and not bilateral? The United States has separate "
            "alliances with Japan and South Korea, but a cyber incident usually hits all three, "
            "and the working group on North Korean cyber activities (E031, E032) already brings "
            "the right diplomats together. The economic-security dialogue in Busan (E033) also "
            "put cyber on the agenda. The strongest objection is Chinese pressure on Seoul; I "
            "would answer it by keeping the cell's mandate to North Korean activity and "
            "publishing that mandate. My success metric, a joint public attribution of North "
            "Korean attacks every year by 2028, can be checked.",
        ),
        "fair": (
            "Cyber is important because North Korea carries out many cyber attacks. The three "
            "countries should work together because they are all allies of the US. There was "
            "already a working group (E031). China might not like this, but it is about North "
            "Korea so it should be fine. I think the centre would be a good idea and it could be "
            "checked by counting the number of meetings.",
            "The memo is about cyber security. The US, Japan and Korea should cooperate because "
            "they face the same threats. Events like Freedom Edge (A81) show they can already "
            "cooperate. The risk is that governments change, which could stop the project. To "
            "manage it we should make an agreement. A bigger group like the Quad would also work "
            "but would be slower.",
        ),
        "weak": (
            "Cyber is a big problem today and all countries should work together on it. The US, "
            "Japan and South Korea are democracies so they should cooperate. This memo will make "
            "the world safer.",
            "I chose cyber because it is interesting. The three countries should make a centre. "
            "There are risks but it is worth it.",
        ),
    },
    "c-judgement": {
        "good": (
            "On the whole the article's central bet held up. After the leaders met in Madrid in "
            "June 2022 (A73), their first trilateral meeting since 2017, they agreed the Phnom "
            "Penh statement (A74), met at Camp David for their first summit held on its own "
            "(A79), began sharing missile-warning data in real time (A80) and opened a "
            "secretariat in Seoul "
            "in November 2024 (A83). What the article did not foresee was where the opening came "
            'from. It was not mainly "leaning into" postwar history but a domestic decision in '
            "Seoul: President Yoon's third-party compensation plan (A75), followed by the Tokyo "
            "summit (A76) and the normalization of GSOMIA (A77). My Part B verdicts on the G7 "
            "invitation and on nontraditional security are judgements: the 2021 invitation was "
            "as a guest, and nontraditional cooperation grew but stayed small next to "
            "deterrence. The main uncertainty at the end of 2024 was whether any of this would "
            "outlast new governments in Washington, Seoul and Tokyo.",
            "I would call the article half right. Its expectation that Washington could revive "
            "trilateral cooperation around North Korea came true faster than it suggested: Camp "
            "David in August 2023 (A79) set up yearly summits, and by mid-2024 the three held the "
            "multi-domain exercise Freedom Edge (A81). But it underrated how much depended on "
            "South Korean politics. The compensation plan of March 2023 (A75) is what unlocked "
            "the Tokyo summit and GSOMIA's normalization (A76, A77), and that was a choice made "
            "in Seoul, not an effect of US convening. Some of my Part B answers are contested: "
            "whether the brief encounter at Hiroshima (A78) counts as a summit depends on the "
            "counting rules. What remained uncertain in late 2024 was whether Korean public "
            "opinion would accept the forced-labor settlement.",
        ),
        "fair": (
            "The article's argument held up well because the three countries cooperated much "
            "more after 2021. They met at Camp David (A79) and made a secretariat (A83). The "
            "article did not predict how fast this would happen. Also Japan and Korea improved "
            "relations in 2023. It is still uncertain whether this will last.",
            "Most of the predictions in Part B happened. South Korea went to the G7 in 2021, the "
            "three countries cooperated against North Korea, and there was a summit at Camp "
            "David. The article did not foresee President Yoon's policy toward Japan. Something "
            "still uncertain is China's reaction.",
        ),
        "weak": (
            "The article held up very well because everything it predicted happened. The "
            "countries are now close allies and there are no more problems.",
            "I think the article was right. Camp David was a big success.",
        ),
    },
}

_GENERIC = {
    "good": (
        "My answer rests on the chapter and the course data: the commitment mattered because it "
        "kept the United States engaged in the region, and the events I cited show it renewed "
        "at moments of crisis.",
        "I would say the main reason is security: the agreement tied the partners together and "
        "gave each a reason to coordinate, which the events in the data bear out.",
    ),
    "fair": (
        "It mattered because of the Cold War and because the countries needed each other.",
        "It was important for security, as the chapter explains.",
    ),
    "weak": ("I am not sure, but I think it was important.", "Because it is."),
}


def written_answer(grade_id: str, tier: str, used: set[str], rng: random.Random) -> str:
    """An answer to ``grade_id`` at level ``tier``, not one in ``used`` while any is left.

    When every answer of the level has been given (a larger synthetic class), one of them is
    stitched together sentence by sentence with another answer to the question, as a student
    borrowing from a classmate might: the report's originality flags then have work to do.
    """
    answers = ANSWERS.get(grade_id, _GENERIC)
    pool = answers[tier]
    fresh = [a for a in pool if a not in used]
    if fresh:
        choice = rng.choice(fresh)
        used.add(choice)
        return choice
    everything = [a for level in TIERS for a in answers[level]]
    mixes = [
        _stitch(first, second, start)
        for first in pool
        for second in everything
        if second != first
        for start in (0, 1)
    ]
    unused = [m for m in mixes if m not in used] or mixes
    choice = rng.choice(unused)
    used.add(choice)
    return choice


def _stitch(first: str, second: str, start: int) -> str:
    """Sentences taken in turn from ``first`` and ``second`` (``start`` picks who begins)."""
    a, b = first.split(". "), second.split(". ")
    picked = []
    for i in range(max(len(a), len(b))):
        own, other = (a, b) if (i + start) % 2 == 0 else (b, a)
        if i < len(own):
            picked.append(own[i])
        elif i < len(other):
            picked.append(other[i])
    return ". ".join(p.rstrip(".") for p in picked) + "."
