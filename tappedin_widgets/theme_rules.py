"""The rules that suggest feedback themes, each with a polarity: pure and offline.

Text is split into sentences, clauses (at contrast words such as *but*,
*however*) and comma segments; theme cue phrases and sentiment words are found
with compiled regular expressions; each cue takes its polarity from its own
wording ("nervous", "overqualified"), from negators and comparatives just before
it ("not confident", "more concise"), or from the sentiment of its segment and
clause. ``competition`` is always "-". Every tag carries the words that
triggered it (``evidence``), so the form can explain a suggestion.

:mod:`themes` combines these rules with the learned model; ``rule_themes`` is
the rules alone. The rules do no I/O.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .models import COMPETITION, LONG_MAX

__all__ = [
    "CustomTheme", "ThemeTag", "ThemeGroup", "rule_themes", "scan_rules", "RuleScan",
    "compile_custom", "unique_tags", "MAX_CHARS",
]

#: Only this many characters of a text are read (the longest feedback the
#: store accepts); anything after is ignored so a pasted book stays fast.
MAX_CHARS = LONG_MAX

NEGATION_WINDOW = 4     # a negator reaches this many words ahead
COMPARATIVE_WINDOW = 2  # "more" / "too" reaches this many words ahead
WEAK_WINDOW = 4         # a generic cue yields to another theme this close
DEFAULT_SIGN = 1       # a theme named with no sentiment at all reads as a gap


# --------------------------------------------------------------------------
# Public types


@dataclass(frozen=True, order=True)
class ThemeTag:
    """One suggested theme with its polarity: "+" a strength, "-" a gap.

    ``evidence`` (the words that triggered the tag) is for display only; it
    takes no part in equality, ordering or hashing.
    """

    theme: str
    polarity: str
    evidence: str = field(default="", compare=False)


@dataclass(frozen=True)
class CustomTheme:
    """A theme a person added; matched by its key phrases (case-insensitive)."""

    id: str
    label: str
    description: str = ""
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeGroup:
    """Similar feedback texts that matched no theme, with their telling words."""

    name: str
    top_terms: tuple[str, ...]
    indices: tuple[int, ...]
    examples: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.indices)


# --------------------------------------------------------------------------
# Lexicon
#
# Each pattern starts with a literal of at least 3 characters (or is a whole
# short word) so it can be indexed by the first 3 letters of a word: only the
# few patterns that can start at a word are tried there. Patterns must end at
# a word end. The longest match at a word wins, so "people-management
# experience" is one leadership cue and not an experience cue as well.

# "... questions about our roadmap": the topic asked about belongs to the cue.
_ABOUT_WHAT = r"(?: (?:about|on|for)(?: (?:our|the|their|your|how|what))*(?: [\w-]+)?)?"

# Theme cues: theme -> {"~": neutral, "+": praise, "-": gap, "weak": neutral
# cues dropped when a segment also names another theme}.
_THEME_CUES: dict[str, dict[str, list[str]]] = {
    "experience": {
        "~": [
            r"years? (?:of|in|at)(?: [\w-]+)?(?: experience)?", r"years'? experience",
            r"seniority", r"track record", r"industry", r"sector",
            r"domain(?: knowledge| experience| expertise)?", r"in the field",
            r"professional experience", r"real[- ]world experience",
            r"work experience", r"level of experience", r"for this level",
            r"at this level", r"industry experience",
            r"knows? the (?:[\w-]+ ){0,2}(?:space|market|industry|domain|sector)",
            r"(?:relevant|direct|previous|prior) experience", r"years in",
            r"experience in (?:the )?(?:[\w-]+ ){0,2}(?:industry|sector|space|domain|market|field)",
        ],
        "+": [r"senior enough", r"hit the ground running", r"seasoned", r"great match",
              r"strong match", r"good match", r"perfect match"],
        "-": [
            r"over[- ]?qualified", r"too junior", r"too senior", r"more senior",
            r"(?:too|very|quite|rather|a bit|a little|bit|slightly|relatively|fairly|seemed|seems|more)"
            r" junior",
            r"junior for", r"ramp[- ]?up", r"long ramp", r"inexperienced",
            r"not senior enough", r"under[- ]?qualified", r"too specialised",
            r"too specialized", r"too narrow",
        ],
        "weak": [r"experienced?", r"background", r"profile"],
    },
    "technical_skills": {
        "~": [
            r"technical(?:ly)?(?: skills?| depth| knowledge| side| round| interview| questions?"
            r"| exercise| assessment| test| answers?)?",
            r"tech skills", r"hard skills",
            r"cod(?:e|ing|er)(?: round| challenge| test| exercise| interview)?",
            r"programming", r"algorithms?", r"data structures", r"system design",
            r"architecture", r"sql", r"python", r"java(?:script)?", r"typescript", r"react",
            r"back[- ]?end", r"front[- ]?end", r"kubernetes", r"terraform", r"docker", r"aws",
            r"azure", r"gcp", r"excel", r"spreadsheets?", r"tableau", r"power bi", r"looker",
            r"statistic(?:s|al)", r"maths?", r"analytics", r"analytical(?: skills)?",
            r"analysis", r"data model(?:l)?ing", r"modell?ing",
            r"take[- ]home(?: assignment| test| exercise| task)?",
            r"case (?:study|interview|exercise|presentation)", r"skills? (?:test|assessment)(?: results)?",
            r"assessment centre", r"pair[- ]programming", r"design thinking",
            r"whiteboard(?: session| exercise)?", r"api", r"stack", r"tooling", r"tools",
            r"dashboards?", r"market sizing", r"distributed systems", r"caching",
            r"scal(?:ing|ability)", r"window functions", r"machine learning", r"devops",
            r"cloud", r"crm", r"figma", r"debugg(?:ing)?", r"tests? coverage",
            r"unit tests", r"testing", r"code quality", r"clean code", r"hands[- ]on skills",
            r"technical assessment", r"coding challenge", r"the maths", r"financial model(?:l)?ing",
            r"data analysis", r"modell?ing test", r"excel test", r"sql exercise",
            r"engineering skills", r"design skills", r"practical (?:test|exercise|task)", r"the case(?! of)",
            r"(?:systems|infrastructure) at scale", r"at scale",
        ],
        "weak": [r"skills?(?: set)?", r"skillset", r"depth", r"knowledge"],
    },
    "communication": {
        "~": [
            r"communicat(?:e|es|ed|ing|ion|ions|or|ors)(?: skills| style)?", r"comms",
            r"articulat(?:e|ed|es|ing|ion)", r"conciseness", r"clarity", r"explanations?",
            r"explain(?:s|ed|ing)? (?:[\w-]+ ){0,2}(?:concepts|ideas|things|trade-offs|decisions|approach)",
            r"explain(?:s|ed|ing)? (?:it|them|things) (?:simply|clearly)",
            r"listen(?:s|ed|ing|er)?", r"listening skills",
            r"written (?:communication|summary|answers|english)",
            r"presentation skills", r"storytelling", r"train of thought", r"structured thinker",
            r"(?:answers|responses) (?:were|was|are|weren't|wasn't)(?: \w+){0,2}"
            r" (?:clear|unclear|structured|concise|brief|short|long|too \w+)",
            r"communication (?:was|is) (?:clear|unclear)", r"plain language",
            r"spoke (?:very |too )?(?:fast|quickly|slowly)",
            r"talk(?:ed|s)? (?:too much|over people|over others|over the)", r"well[- ]spoken",
        ],
        "+": [r"concise", r"succinct", r"to the point", r"easy to follow", r"clear communicator",
              r"clear and concise", r"clear and well structured", r"well[- ]organised", r"well[- ]organized",
              r"explains? (?:ideas |things |it )?simply", r"crisp and easy to read"],
        "-": [r"rambl(?:e|ed|es|ing)", r"verbose", r"long[- ]winded", r"tangents?",
              r"hard to follow", r"difficult to follow", r"get to the point", r"went off on",
              r"waffl(?:e|ed|ing)", r"monolog(?:ue|ued)", r"inarticulate", r"unclear answers"],
    },
    "examples_results": {
        "~": [
            r"examples?", r"star (?:answers?|method|format|stories|structure|responses?)",
            r"stories", r"specifics", r"specific examples", r"concrete(?: examples)?",
            r"quantif(?:y|ied|ies|ying|iable)", r"metrics", r"numbers", r"impact",
            r"measurable(?: results| outcomes| impact)?", r"achievements?", r"evidence",
            r"results?(?! of)", r"outcomes?", r"(?:individual|own|personal) contributions?",
            r"contribution", r"(?:your|my|her|his|their) part", r"personally",
            r"(?:own|individual|specific) role(?: in)?",
            r"what (?:you|she|he|they|i) (?:personally )?(?:did|delivered|achieved|built|owned|contributed)"
            r"(?: (?:herself|himself|yourself|themselves|myself))?",
            r"real situations", r"back(?:ed)? (?:\w+ ){0,2}(?:with|by) (?:data|numbers|metrics)",
            r"the team did", r"walk (?:\w+ ){0,2}through the decisions",
        ],
        "-": [r"high[- ]level", r"hypothetical", r"kept saying 'we'", r"said 'we'"],
    },
    "preparation": {
        "~": [
            r"prepar(?:e|ed|ing|ation|edness)", r"prep", r"research(?:ed|ing)?", r"homework",
            r"knowledge of (?:our|the|their|your)(?: [\w-]+)?",
            r"knew (?:our|their|the company|about)(?: [\w-]+)?",
            r"know (?:much |little |what |anything )?(?:about )?"
            r"(?:our|their|the company|what the company)(?: [\w-]+)?",
            r"know (?:who|what|how) (?:our|their|the company)(?: [\w-]+)?",
            r"job description", r"looked at (?:our|their|the)(?: [\w-]+)?",
            r"read (?:our|their|the)(?: [\w-]+)?",
            r"mock[- ]ups?", r"business model",
        ],
        "+": [r"well[- ]prepared", r"did (?:your|their|his|her|my) homework",
              r"done (?:your|their|his|her|my) homework",
              r"well[- ]researched", r"did (?:your|their) research", r"done (?:your|their) research"],
        "-": [r"unprepared", r"under[- ]?prepared", r"ill[- ]prepared", r"not prepared"],
    },
    "culture_fit": {
        "~": [
            r"cultur(?:e|al|ally)(?: fit| add)?", r"(?:team|cultural|culture) fit", r"fit in",
            r"fit (?:with|into) the team", r"fit right in", r"values",
            r"working style", r"work(?:ing)? style", r"way of working", r"ways of working",
            r"how we work", r"collaborative(?: approach| culture| team| way)?(?! exercise)",
            r"team player", r"mesh", r"environment", r"rapport",
            r"personable", r"fits? how we work", r"working alone", r"team dynamics?",
        ],
        "+": [r"fit (?:in )?(?:really )?well", r"culture add", r"humble"],
        "weak": [r"(?:good|great|strong|perfect|natural|right|poor|bad|wrong) fit"],
        "-": [r"too corporate", r"not a fit", r"misalign(?:ed|ment)", r"clash(?:ed|es)?"],
    },
    "leadership": {
        "~": [
            r"leader(?:s|ship)?(?: experience| skills| potential)?", r"leading(?: [\w-]+){0,2}", r"led",
            r"lead (?:a|the|teams?|projects?|people|others)",
            r"manag(?:e|ed|es|ing) (?:a |the |\w+ )?"
            r"(?:teams?|people|stakeholders|reports|budgets|others|juniors|change)",
            r"(?:people|team|line|stakeholder) management(?: experience| skills)?", r"management experience",
            r"managing (?:people|teams?|stakeholders|budgets)", r"stakeholders?(?: management| mgmt)?",
            r"people[- ]management(?: experience)?", r"direct reports", r"mentor(?:s|ed|ing)?",
            r"ownership(?: mindset)?", r"owning", r"own(?:ed)? the", r"initiative",
            r"strateg(?:y|ic|ically)(?: thinking| thinker)?",
            r"sets? (?:the )?direction", r"influenc(?:e|ed|ing)", r"drove", r"drive (?:alignment|the|change)",
            r"cross[- ]functional(?: [\w-]+)?", r"executor", r"big(?:ger)? picture", r"vision",
            r"run (?:a|the) team", r"ran (?:a|the) team", r"team of \d+", r"managed teams",
            r"delegat(?:e|ion|ing)", r"decision[- ]making", r"accountability",
            r"influencing without authority", r"leading through ambiguity",
        ],
        "+": [r"took initiative", r"takes initiative", r"self[- ]starter", r"proactive"],
        "-": [r"passive", r"in the weeds", r"never managed"],
    },
    "enthusiasm": {
        "~": [
            r"enthusiasm", r"passion", r"motivation", r"motivations", r"energy",
            r"excitement", r"eagerness", r"keenness",
            r"interest(?:ed)? in (?:the|this|our|joining|working)(?: [\w-]+)?", r"genuine interest",
            r"curiosity", r"why (?:you|she|he|they|i) (?:want|wants|wanted|applied)(?: [\w-]+)?",
            r"want this job", r"drive", r"commitment to", r"mission",
        ],
        "+": [r"infectious", r"genuinely excited", r"enthusiastic", r"passionate", r"eager",
              r"keen", r"excited", r"motivated", r"curious", r"energetic"],
        "-": [r"disengaged", r"lukewarm", r"apath(?:y|etic)", r"uninterested", r"bored",
              r"backup option", r"low energy", r"flat", r"indifferent", r"more interested in"],
    },
    "compensation_logistics": {
        "~": [
            r"salar(?:y|ies)(?: expectations?| range| ask| band| requirements)?", r"comp(?: expectations)?",
            r"compensation(?: expectations)?", r"pay", r"pay range", r"budget", r"band",
            r"(?:day|daily|hourly) rate", r"rate expectations", r"expensive", r"location",
            r"relocat(?:e|ed|ing|ion)", r"remote(?:ly)?",
            r"hybrid(?: setup)?", r"on-site", r"on site", r"in the office", r"office \w+ days",
            r"commute", r"travel(?: requirement)?", r"notice period", r"start date",
            r"start (?:in|right|immediately|on|by)", r"availab(?:le|ility)", r"join in",
            r"night shifts?", r"shifts?", r"hours", r"time ?zones?", r"based in",
            r"days a week", r"benefits", r"contract type", r"visa timing",
            r"right away", r"outside (?:our|the|their) range", r"within (?:our|the|their) range",
            r"ask was", r"move to", r"wrong location",
        ],
        "+": [r"immediately available", r"available immediately", r"happy to relocate",
              r"flexible on start date"],
        "-": [r"too expensive", r"out of budget", r"above (?:the|our|their) (?:budget|band|range)"],
    },
    "competition": {
        "~": [
            r"internal (?:candidate|applicant|hire|transfer|move|promotion)s?", r"internal(?:ly)?",
            r"(?:another|other|stronger|different) (?:candidates?|applicants?|finalists?|person|people)",
            r"someone else", r"filled", r"fill (?:the|this) (?:role|position)", r"not to fill",
            r"on hold", r"put on hold", r"paus(?:e|ed|ing) (?:hiring|the)", r"cancel(?:l)?ed",
            r"headcount(?: was)?(?: frozen| freeze)?", r"hiring freeze", r"budget freeze",
            r"budget constraints", r"frozen", r"restructur(?:e|ed|ing)", r"reorg(?:ani[sz]ation)?",
            r"closer (?:match|fit)", r"(?:more|most) closely (?:match|matches|matched|align|aligns|aligned)",
            r"better (?:match|fit|aligns?|suited)", r"best fits?",
            r"pool of (?:\w+ )?(?:applicants|candidates)",
            r"(?:many|strong|large|high) (?:volume of )?(?:applications|applicants|field)", r"strong field",
            r"runner[- ]up", r"second choice", r"preferred candidate", r"very close between",
            r"close (?:call|decision)", r"came down to a", r"offered the (?:role|position|job) to",
            r"(?:chose|chosen|selected|hired|hire|proceed with|proceeding with|move forward with"
            r"|moving forward with|go with|going with|went with|gone with)"
            r" (?:a|an|another|the other|someone|other|one)(?: [\w-]+)?",
            r"the other (?:candidate|person|finalist)", r"lined up", r"no longer be filled",
            r"candidates? (?:whose|who|with) (?:[\w-]+ ){0,4}?(?:more closely|closer|better|best)(?: \w+)?",
            r"someone (?:whose|who) (?:[\w-]+ ){0,4}?(?:more closely|closer|better|best)(?: \w+)?",
            r"change in (?:business )?priorities",
            r"role (?:was|has been|got) (?:filled|cancelled|closed|withdrawn)",
            r"req (?:was|has been) closed", r"got the offer",
            r"(?:candidate|person|someone) who (?:got|received|accepted|was offered)(?: the)?"
            r" (?:offer|role|job|position)",
        ],
    },
    "questions_asked": {
        "~": [
            r"questions? (?:at the end|for (?:us|them|me|the \w+)|to ask|you asked|asked)",
            r"(?:good|great|thoughtful|insightful|smart|excellent|sharp|generic|follow[- ]up|clarifying"
            r"|few|zero|no|any|single|better|more|relevant|interesting|probing|intelligent|basic"
            r"|superficial) questions?" + _ABOUT_WHAT,
            r"(?:questions?|ask(?:ed|ing)?(?: \w+)?) about"
            r"(?: (?:our|the|their|your|how|what|on))*(?: [\w-]+)?",
            r"ask(?:ed|s|ing)? (?:[\w-]+ ){0,2}questions?" + _ABOUT_WHAT,
            r"any questions", r"questions were", r"(?:your|my|her|his|their) questions",
        ],
        "-": [r"no questions", r"zero questions", r"asked nothing", r"didn't ask anything"],
    },
    "presence": {
        "~": [
            r"confidence", r"presence", r"body language", r"eye contact", r"posture",
            r"appearance", r"attire", r"professionalism", r"demeanou?r", r"in the room",
            r"on camera", r"composure", r"poise", r"handled (?:\w+ ){0,3}pressure",
            r"dress(?:ed)?", r"punctuality", r"nerves", r"polish",
        ],
        "+": [r"confident", r"self[- ]assured", r"calm", r"composed", r"poised", r"punctual",
              r"professional", r"well[- ]presented", r"polished", r"on time",
              r"assured", r"at ease", r"under pressure"],
        "-": [r"nervous(?:ness)?", r"anxious", r"anxiety", r"uncomfortable",
              r"unsure of (?:him|her|my|your|them)sel(?:f|ves)",
              r"fidget(?:ed|ing|y)?", r"slouch(?:ed|ing)?", r"tired", r"distracted", r"dismissive",
              r"arrogant", r"overconfident", r"over[- ]confident", r"cocky", r"minutes late",
              r"late to (?:the|our) (?:interview|call|meeting)", r"late for", r"arrived late",
              r"unprofessional", r"too casual(?:ly)?", r"shy", r"timid", r"quiet",
              r"hesitant", r"shaky", r"flustered", r"rattled", r"defensive"],
    },
    "qualifications": {
        "~": [
            r"degrees?", r"bachelor'?s?(?: degree)?", r"master'?s?(?: degree)?", r"mba", r"phd",
            r"doctorate", r"diploma", r"certifi(?:cation|cations|cate|cates|ed)", r"certs?",
            r"licen[cs]e(?:d|s)?", r"charter(?:ed)?", r"cpa", r"cfa", r"pmp", r"acca", r"cdl",
            r"qualifications?", r"accredit(?:ed|ation)", r"registration", r"registered",
            r"visas?(?: sponsorship)?", r"sponsor(?:ship)?", r"sponsor visas", r"right to work",
            r"work (?:authori[sz]ation|permit)", r"security clearance", r"clearance",
            r"fluen(?:t|cy)(?: in)?(?: [a-z]+)?", r"bilingual", r"native (?:\w+ )?speaker",
            r"language skills",
            r"(?:english|french|german|spanish|dutch|japanese|mandarin|portuguese|italian|arabic)"
            r" (?:level|skills|test)",
            r"academic (?:record|background|credentials)", r"formal requirements?",
            r"minimum requirements?", r"engineering degree", r"nursing degree",
            r"driving licen[cs]e", r"conversational",
            r"(?:phd|degree|masters?|master's|bachelors?|bachelor's|msc|bsc|doctorate|diploma|mba)"
            r" in(?: [\w-]+){1,2}",
            r"(?:aws|azure|gcp|google|microsoft|cisco|salesforce|scrum|agile) certifi(?:cation|cations|ed)",
            r"(?:professional|chartered|licensed|registered) (?:engineer|accountant|nurse)",
            r"(?:visa )?sponsorship available",
        ],
    },
}

# Sentiment words: "+" praise, "-" gap. Negators flip the next sentiment
# within NEGATION_WINDOW words; comparatives ("more", "too") count as a gap
# and turn a following praise cue into a gap ("more concise").
_SENTIMENT: dict[str, list[str]] = {
    "+": [
        r"strong(?:ly)?", r"strengths?", r"great(?:ly)?", r"excellent", r"good",
        r"impress(?:ed|ive|ively|es)",
        r"lov(?:e|ed|es|ing)", r"liked", r"likes", r"enjoy(?:ed|s)?", r"appreciat(?:e|ed|es|ive)",
        r"solid", r"outstanding", r"fantastic", r"brilliant", r"superb", r"stood out", r"standout",
        r"stand out", r"plus", r"pros?", r"assets?", r"advantage", r"valu(?:ed|able)", r"nail(?:ed|s)",
        r"best", r"highest", r"top", r"glowing", r"spot on", r"exactly", r"perfect(?:ly)?",
        r"fine", r"happy", r"prais(?:e|ed)", r"thoughtful", r"insightful", r"sharp", r"genuine(?:ly)?",
        r"relevant", r"positive", r"excel(?:led|s)?", r"shone", r"shin(?:e|ed|ing)", r"aced", r"huge",
        r"nice", r"pleased", r"capable", r"competent", r"effective", r"thorough", r"rigorous",
        r"creative", r"deep", r"well", r"clear", r"easy", r"comfortable", r"quick(?:ly)?",
        r"smooth(?:ly)?", r"right", r"meets?", r"met", r"bright", r"sound", r"confidently", r"clean",
        r"came through", r"shone through",
        r"no concerns?", r"no doubts?", r"no issues?", r"not an issue", r"not the issue",
        r"wasn't (?:the|an) issue", r"wasn't (?:a|the) problem", r"went (?:really |very )?well",
        r"impressive", r"fits", r"great match", r"hit it off", r"kudos", r"wow(?:ed)?",
    ],
    "-": [
        r"lack(?:s|ed|ing)?", r"weak(?:er|ness|nesses)?", r"poor(?:ly)?", r"limited", r"insufficient",
        r"struggl(?:e|ed|es|ing)", r"concern(?:s|ed)?", r"cons", r"worr(?:y|ied|ies)", r"gaps?",
        r"missing", r"miss(?:ed)?", r"unable", r"fail(?:ed|s|ing)?", r"below", r"too", r"light on",
        r"thin", r"vague", r"generic", r"hard", r"difficult", r"unclear", r"need(?:s|ed)? to",
        r"needs? (?:more|work|improvement|a bit more)", r"would need", r"need someone", r"needs someone",
        r"work on", r"improv(?:e|ed|ement|ing)", r"would (?:have|'ve) liked", r"would've liked",
        r"would like to (?:have seen|see) more", r"could (?:have|'ve)", r"could've", r"should (?:have|'ve)",
        r"should've", r"wanted more", r"issues?", r"problems?", r"blocker", r"red flag",
        r"mismatch", r"wrong",
        r"high", r"above", r"outside", r"only", r"not quite", r"not enough", r"not yet", r"little",
        r"few", r"low", r"slow", r"off", r"benefit from", r"room (?:for|to)", r"grow (?:on|into|in)",
        r"unsure", r"not sure", r"rather than", r"instead of", r"doubts?", r"behind", r"short of",
        r"needed", r"shortfall", r"area (?:for|of) (?:growth|development|improvement)",
        r"development area", r"bar", r"below the bar",
        r"hoped for more", r"expected more", r"unconvincing", r"superficial", r"shallow",
        r"basic", r"rusty", r"gap", r"red flags", r"late", r"but not", r"inconsistent",
        r"mixed", r"negative", r"disappoint(?:ed|ing)", r"less", r"lost", r"drift(?:ed)?",
        r"cannot", r"can't", r"couldn't", r"could not",
    ],
}
# Context words mark a gap but are not flipped by a negator: in "you don't
# hold the required licence" the negation belongs to "hold", not "required".
_CONTEXT = [
    r"requir(?:e|es|ed|ement|ements)", r"unfortunately", r"regrettably", r"sadly", r"afraid",
    r"seeking", r"want(?:ed|s)? someone", r"looking for (?:someone|a candidate|more|a)",
]
_NEGATORS = [
    r"not", r"no", r"never", r"nothing", r"none", r"without", r"neither", r"nor", r"hardly",
    r"barely", r"zero", r"don't", r"didn't", r"doesn't", r"wasn't", r"weren't", r"isn't",
    r"aren't", r"haven't", r"hasn't", r"hadn't", r"wouldn't", r"won't", r"shouldn't",
    r"not (?:really|particularly|very|always|the most|that|entirely|fully|overly|all that)",
    r"no real", r"not a single", r"did not", r"do not", r"does not", r"was not", r"were not",
    r"has not", r"have not", r"had not", r"is not", r"are not",
    r"(?:didn't|did not|don't|do not|doesn't|does not|wouldn't|would not)"
    r" (?:think|believe|feel|say|see|sense|find|seem)",
]
_COMPARATIVES = [
    r"more(?! than)", r"deeper", r"stronger", r"broader", r"greater", r"better", r"further",
    r"more of", r"a bit more", r"a little more", r"wider", r"extra", r"clearer",
]
# Words that look like cues but are not: eaten first so they cannot match.
_SKIP = [
    r"as well(?: as)?", r"hiring manager", r"the manager", r"clearly", r"more than",
    r"well as", r"thank(?:s| you)(?: [\w-]+){0,4}", r"best of luck", r"all the best",
    r"best wishes", r"kind regards", r"best regards", r"good luck", r"wish you(?: [\w-]+){0,4}",
    r"really enjoyed (?:meeting|speaking|chatting|talking)(?: with)?(?: you)?",
    r"enjoyed (?:meeting|speaking|chatting|talking)(?: with)?(?: you)?",
    r"liked you", r"interest in the [\w-]+ (?:position|role)", r"your interest", r"highly qualified",
    r"well qualified", r"qualified candidates", r"the requirements of the role",
    r"nothing you did wrong", r"nice to meet", r"great to meet", r"good to meet",
    r"keep (?:you|your)(?: [\w-]+){0,4}",
    r"(?:seemed|seems|seem|felt|feel|feels|looks|looked|sounds|sounded) like",
    r"would like", r"move forward", r"moving forward", r"the team",
    r"team members", r"the panel", r"this time", r"at this time", r"the process",
]

_CONTRAST = (r"but|however|although|though|whereas|while|(?<=, )yet|(?<=; )yet|unfortunately|regrettably"
             r"|sadly|nevertheless|nonetheless|except|despite|even though|that said|on the other hand")

TOKEN = re.compile(r"[^\W_](?:[\w'-]*[^\W_])?|[+]")
_BOUNDARY = re.compile(
    r"(?P<sentence>[.!?]+(?=\s|$)|\n+|(?:^|\s)\u2022)"
    r"|(?P<clause>[;:()]|\s[-\u2013\u2014]+\s|[\u2013\u2014])"
    rf"|(?P<contrast>\b(?:{_CONTRAST})\b)"
    r"|(?P<segment>,)"
)
_BULLET = re.compile(r"(?:^|(?<=[\n,;:(]))[ \t]*([+-])[ \t]*(?=[^\W\d_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


@dataclass(frozen=True)
class _Cue:
    kind: str                 # theme | sent | ctx | negator | comp | skip
    theme: str | None
    polarity: str | None      # fixed polarity of a polar theme cue or a sentiment
    weak: bool
    pattern: re.Pattern[str]


_Index = dict[str, tuple[_Cue, ...]]


def _leading_literal(pattern: str) -> str:
    out = []
    for ch in pattern:
        if ch in "\\()[]{}|.*+?^$":
            if ch in "?*{" and out:
                out.pop()
            break
        out.append(ch)
    return "".join(out)


def _expand(pattern: str) -> list[str]:
    """Spell out a leading group so every pattern starts with a word.

    "(?:good|great) fit" -> ["good fit", "great fit"]; "(?:x )?y" -> ["x y", "y"].
    """
    if not pattern.startswith("(?:"):
        return [pattern]
    depth, bars = 0, [2]
    for i, ch in enumerate(pattern):
        if ch == "\\":
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                break
        elif ch == "|" and depth == 1:
            bars.append(i)
    optional = pattern[i + 1:i + 2] == "?"
    if pattern[i + 1:i + 2] in ("*", "+", "{"):
        raise ValueError(f"cue pattern must start with a word: {pattern!r}")
    rest = pattern[i + 2:] if optional else pattern[i + 1:]
    bars.append(i)
    alternatives = [pattern[a + 1:b] for a, b in zip(bars, bars[1:], strict=False)]
    if optional:
        alternatives.append("")
    return [full for alt in alternatives for full in _expand(alt + rest)]


def _key(word: str) -> str:
    return word[:3]


def _cues(kind: str, pattern: str, theme: str | None = None,
          polarity: str | None = None, weak: bool = False) -> list[tuple[str, _Cue]]:
    out = []
    for expanded in _expand(pattern):
        literal = _leading_literal(expanded)
        first = literal.split(" ")[0]
        if len(first) < 3 and literal != expanded and not literal.startswith(first + " "):
            raise ValueError(f"cue pattern must start with a word: {pattern!r}")
        # A cue ends where a word ends; hyphenated words are one word.
        compiled = re.compile(rf"(?:{expanded})(?![\w'-])")
        out.append((_key(first), _Cue(kind, theme, polarity, weak, compiled)))
    return out


def _build_index(entries: Iterable[tuple[str, _Cue]]) -> _Index:
    index: dict[str, list[_Cue]] = {}
    for key, cue in entries:
        index.setdefault(key, []).append(cue)
    return {k: tuple(v) for k, v in index.items()}


def _builtin_entries() -> list[tuple[str, _Cue]]:
    entries = []
    # Skips first: on a tie in length the earlier entry wins.
    for p in _SKIP:
        entries += _cues("skip", p)
    for theme, groups in _THEME_CUES.items():
        for group, patterns in groups.items():
            polarity = group if group in "+-" else None
            for p in patterns:
                entries += _cues("theme", p, theme, polarity, weak=(group == "weak"))
    for p in _NEGATORS:
        entries += _cues("negator", p)
    for p in _CONTEXT:
        entries += _cues("ctx", p, polarity="-")
    for p in _COMPARATIVES:
        entries += _cues("comp", p)
    for polarity, patterns in _SENTIMENT.items():
        for p in patterns:
            entries += _cues("sent", p, polarity=polarity)
    return entries


_INDEX: _Index = _build_index(_builtin_entries())
# "someone with more X": the gap X is the reason, not the other candidate.
_YIELDING_COMPETITION = re.compile(
    r"(?:chose|chosen|selected|hired|hire|proceed|proceeding|move|moving|go|going|went|gone|"
    r"another|other|stronger|different|someone|the other)\b")


# --------------------------------------------------------------------------
# Custom themes


@functools.lru_cache(maxsize=64)
def compile_custom(custom: tuple[CustomTheme, ...]) -> _Index:
    """Index a person's custom themes for matching (cached per tuple of themes).

    Each phrase matches case-insensitively as whole words, with any spacing or
    hyphen between words and a plural or verb ending on the last word.
    """
    bodies: dict[tuple[str, str], set[str]] = {}
    for theme in custom:
        for phrase in theme.phrases:
            words = [w for w in TOKEN.findall(normalise_text(str(phrase))) if w != "+"]
            words = [part for w in words for part in re.split(r"[-']+", w) if part]
            if not words:
                continue
            body = r"[\s\-/]*".join(re.escape(w) for w in words)
            keys = {_key(words[0])}
            if len(words[0]) < 3 and len(words) > 1:   # "on call" is also "on-call", "oncall"
                keys |= {_key(words[0] + "-" + words[1]), _key(words[0] + words[1])}
            for key in keys:
                bodies.setdefault((key, theme.id), set()).add(body)
    entries = []
    for (key, theme_id), alternatives in bodies.items():
        # One pattern per theme and first letters; longest phrase first.
        either = "|".join(sorted(alternatives, key=lambda b: (-len(b), b)))
        pattern = re.compile(rf"(?:{either})(?:s|es|ed|d|ing)?(?![\w'-])")
        entries.append((key, _Cue("theme", theme_id, None, False, pattern)))
    return _build_index(entries)


def _custom_index(custom: Sequence[CustomTheme]) -> _Index:
    themes = tuple(custom)
    try:
        return compile_custom(themes)
    except TypeError:   # phrases given as a list: unhashable, so not cached
        return compile_custom.__wrapped__(themes)


# --------------------------------------------------------------------------
# Suggesting


@dataclass
class _Hit:
    cue: _Cue
    word: int            # index of first word
    last: int            # index of last word covered
    text: str
    segment: int
    clause: int
    value: int = 0       # resolved +1 / -1 for polar cues, qualified cues and sentiment


def normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).translate(_QUOTES)
    text = _CONTROL.sub(" ", text).lower()
    # "+ SQL, - too quiet" note-taking bullets read as praise / gap words.
    return _BULLET.sub(lambda m: " strong " if m.group(1) == "+" else " lacking ", text)


_SENTIMENT_KINDS = frozenset({"sent", "ctx", "negator", "comp"})
# Their terms hold sentiment-looking words ("right to work", "formal requirements").
_NO_INNER = frozenset({"qualifications", COMPETITION})
_RawHit = tuple[int, int, _Cue, str, int]


def _longest(text: str, word: re.Match[str], index: _Index,
             kinds: frozenset[str] | None = None) -> tuple[int, _Cue] | None:
    best: tuple[int, _Cue] | None = None
    pos = word.start()
    for cue in index.get(_key(word.group()), ()):
        if kinds is not None and cue.kind not in kinds:
            continue
        m = cue.pattern.match(text, pos)
        if m and (best is None or m.end() > best[0]):
            best = (m.end(), cue)
    return best


def _inner_sentiment(text: str, words: list[re.Match[str]], first: int, last: int, end: int) -> int:
    """Sentiment of the words inside one cue: "great questions", "know little about"."""
    total, flip = 0, False
    for j in range(first, last + 1):
        found = _longest(text, words[j], _INDEX, _SENTIMENT_KINDS)
        if found is None or found[0] > end:
            continue
        kind, polarity = found[1].kind, found[1].polarity
        if kind == "negator":
            flip = True
        elif kind == "comp":
            total -= 1
        else:
            value = 1 if polarity == "+" else -1
            total += -value if flip and kind == "sent" else value
            flip = False
    return -1 if flip and total == 0 else _sign(total)


def _scan(text: str, words: list[re.Match[str]], index: _Index) -> list[_RawHit]:
    """Leftmost-longest cue matches: (first word, last word, cue, matched text, inner sentiment)."""
    hits = []
    starts = [w.start() for w in words]
    i, n = 0, len(words)
    while i < n:
        best = _longest(text, words[i], index)
        if best is None:
            i += 1
            continue
        end, cue = best
        last = max(i, bisect_right(starts, end - 1) - 1)
        inner = 0
        if cue.kind == "theme" and cue.polarity is None and last > i and cue.theme not in _NO_INNER:
            inner = _inner_sentiment(text, words, i, last, end)
        hits.append((i, last, cue, text[words[i].start():end], inner))
        i = last + 1
    return hits


def _units(text: str, words: list[re.Match[str]]) -> tuple[list[int], list[int], list[int], set[int]]:
    """Segment, clause and sentence number of every word; clauses opened by contrast."""
    seg_of, clause_of, sent_of = [], [], []
    contrast_clauses: set[int] = set()
    seg = clause = sent = 0
    boundaries = list(_BOUNDARY.finditer(text))
    b = 0
    for w in words:
        start = w.start()
        while b < len(boundaries) and boundaries[b].start() <= start:
            kind = boundaries[b].lastgroup
            seg += 1
            if kind != "segment":
                clause += 1
                if kind == "contrast":
                    contrast_clauses.add(clause)
                if kind == "sentence":
                    sent += 1
            b += 1
        seg_of.append(seg)
        clause_of.append(clause)
        sent_of.append(sent)
    return seg_of, clause_of, sent_of, contrast_clauses


def _sign(x: int) -> int:
    return (x > 0) - (x < 0)


@dataclass(frozen=True)
class RuleScan:
    """What the rules read in one text: its words, their clauses, and the tags found.

    ``tags`` pairs each tag with the clause its evidence sits in; the learned
    model (``theme_model``) reads the same words and clauses.
    """

    norm: str
    words: tuple[str, ...]
    clause_of: tuple[int, ...]
    tags: tuple[tuple[ThemeTag, int], ...]


def scan_rules(text: str, custom: Sequence[CustomTheme] | None = None) -> RuleScan | None:
    """Normalise, split into clauses and apply the rules; None for a text with no words."""
    if not isinstance(text, str) or not text.strip():
        return None
    norm = normalise_text(text)
    words = list(TOKEN.finditer(norm))
    if not words:
        return None
    seg_of, clause_of, sent_of, contrast_clauses = _units(norm, words)

    raw = _scan(norm, words, _INDEX)
    if custom:
        mine = _scan(norm, words, _custom_index(custom))
        # A person's own theme takes its words from a built-in cue.
        taken = {j for first, last, *_ in mine for j in range(first, last + 1)}
        raw = [h for h in raw if h[2].kind != "theme" or taken.isdisjoint(range(h[0], h[1] + 1))]
        raw = sorted(raw + mine, key=lambda h: h[0])
    hits = [_Hit(cue, first, last, matched, seg_of[first], clause_of[first], inner)
            for first, last, cue, matched, inner in raw if cue.kind != "skip"]

    scores = _score(hits)
    clause_polarity = _clause_polarities(clause_of, sent_of, scores.clause, contrast_clauses)
    return RuleScan(norm, tuple(w.group() for w in words), tuple(clause_of),
                    tuple(_tags(hits, scores, clause_polarity)))


def rule_themes(text: str, custom: Sequence[CustomTheme] | None = None) -> list[ThemeTag]:
    """The rules' tags alone (no learned model), sorted, without duplicates.

    The same theme may come back with both polarities ("solid Python, but
    struggled with statistics"). ``competition`` is always "-". Only the first
    MAX_CHARS characters are read. Never raises on odd text.
    """
    found = scan_rules(text, custom)
    return unique_tags(tag for tag, _clause in found.tags) if found else []


def unique_tags(tags: Iterable[ThemeTag]) -> list[ThemeTag]:
    """Sorted tags, one per (theme, polarity): the first one's evidence is kept."""
    first: dict[ThemeTag, ThemeTag] = {}
    for tag in tags:
        first.setdefault(tag, tag)
    return sorted(first.values())


@dataclass
class _Scores:
    segment: dict[int, int] = field(default_factory=dict)
    clause: dict[int, int] = field(default_factory=dict)
    comparative_clauses: set[int] = field(default_factory=set)

    def add(self, hit: _Hit, value: int) -> None:
        self.segment[hit.segment] = self.segment.get(hit.segment, 0) + value
        self.clause[hit.clause] = self.clause.get(hit.clause, 0) + value


def _score(hits: list[_Hit]) -> _Scores:
    """Sum the sentiment of each segment and clause; fix the value of polar hits.

    A negator flips the next sentiment within NEGATION_WINDOW words ("not
    strong", "no concerns") or, finding none, counts as a gap by itself
    ("didn't ask a single question"). A comparative counts as a gap and turns
    a following praise cue into one ("more concise").
    """
    scores = _Scores()
    negator: _Hit | None = None
    comparative: _Hit | None = None
    for hit in hits:
        if negator is not None and (negator.clause != hit.clause
                                    or hit.word - negator.last > NEGATION_WINDOW):
            scores.add(negator, -1)
            negator = None
        if comparative is not None and (comparative.clause != hit.clause
                                        or hit.word - comparative.last > COMPARATIVE_WINDOW):
            comparative = None
        kind = hit.cue.kind
        if kind == "negator":
            if negator is not None:
                scores.add(negator, -1)
            negator = hit
        elif kind == "comp":
            scores.add(hit, -1)
            scores.comparative_clauses.add(hit.clause)
            comparative = hit
        elif kind == "theme" and hit.cue.polarity is None:
            if hit.value:                      # qualified inside the cue: "great questions"
                if negator is not None:
                    hit.value, negator = -hit.value, None
                scores.add(hit, hit.value)
        elif kind == "ctx":
            hit.value = -1
            scores.add(hit, -1)
        else:                                  # sentiment word or polar theme cue
            value = 1 if hit.cue.polarity == "+" else -1
            if negator is not None:
                value, negator = -value, None
            elif comparative is not None and kind == "theme" and value > 0:
                value = -1
            hit.value = value
            scores.add(hit, value)
    if negator is not None:
        scores.add(negator, -1)
    return scores


def _tags(hits: list[_Hit], scores: _Scores,
          clause_polarity: dict[int, int]) -> list[tuple[ThemeTag, int]]:
    """Turn theme hits into tags: drop generic cues near a specific one, pick polarities."""
    themed = [h for h in hits if h.cue.kind == "theme"]
    # Specific cues by first and last word, to find one near a generic cue quickly.
    starts: dict[int, list[_Hit]] = {}
    ends: dict[int, list[_Hit]] = {}
    others_in_clause: dict[int, set[str]] = {}
    competing_clauses: set[int] = set()
    for h in themed:
        if h.cue.theme == COMPETITION:
            competing_clauses.add(h.clause)
        else:
            others_in_clause.setdefault(h.clause, set()).add(h.cue.theme)
        if not h.cue.weak and not (h.cue.theme == COMPETITION and _YIELDING_COMPETITION.match(h.text)):
            starts.setdefault(h.word, []).append(h)
            ends.setdefault(h.last, []).append(h)

    def near_other_theme(h: _Hit) -> bool:
        after = (o for j in range(h.last, h.last + WEAK_WINDOW + 1) for o in starts.get(j, ()))
        before = (o for j in range(h.word - WEAK_WINDOW, h.word + 1) for o in ends.get(j, ()))
        return any(o.segment == h.segment and o.cue.theme != h.cue.theme
                   for o in itertools.chain(after, before))

    tags: list[tuple[ThemeTag, int]] = []
    for h in themed:
        theme = h.cue.theme
        # "experience" alone is experience; "experience with Tableau" is a skill.
        if h.cue.weak and near_other_theme(h):
            continue
        if theme == COMPETITION:
            # "someone with more X": the gap X is the reason, not the other candidate.
            if (h.clause in scores.comparative_clauses and others_in_clause.get(h.clause)
                    and _YIELDING_COMPETITION.match(h.text)):
                continue
            tags.append((ThemeTag(theme, "-", h.text), h.clause))
            continue
        # Said of the chosen candidate ("the other candidate had a PhD"): a gap.
        default = -1 if h.clause in competing_clauses else DEFAULT_SIGN
        sign = (h.value or _sign(scores.segment.get(h.segment, 0))
                or _sign(scores.clause.get(h.clause, 0)) or clause_polarity.get(h.clause, 0)
                or default)
        tags.append((ThemeTag(theme, "+" if sign > 0 else "-", h.text), h.clause))
    return tags


def _clause_polarities(clause_of: list[int], sent_of: list[int], clause_score: dict[int, int],
                       contrast_clauses: set[int]) -> dict[int, int]:
    """Polarity of each clause, borrowed from a neighbour in the sentence when it has none.

    The previous clause lends its polarity (reversed across "but", "however"...),
    then the next one ("Case study: did the maths quickly").
    """
    sentence: dict[int, int] = {}
    for i, c in enumerate(clause_of):
        sentence.setdefault(c, sent_of[i])
    order = sorted(sentence)
    own = {c: _sign(clause_score.get(c, 0)) for c in order}
    result = dict(own)
    for k, c in enumerate(order):
        if own[c]:
            continue
        if k > 0 and sentence[order[k - 1]] == sentence[c] and result[order[k - 1]]:
            prev = result[order[k - 1]]
            result[c] = -prev if c in contrast_clauses else prev
        elif k + 1 < len(order) and sentence[order[k + 1]] == sentence[c] and own[order[k + 1]]:
            nxt = own[order[k + 1]]
            result[c] = -nxt if order[k + 1] in contrast_clauses else nxt
    return result
