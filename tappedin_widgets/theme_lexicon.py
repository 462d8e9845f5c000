"""The words the theme rules read: theme cues, sentiment, negators, comparatives, skips.

Data only (regular-expression sources); :mod:`theme_rules` compiles and applies
them. Kept apart so the lexicon can grow without the rules' logic passing the
module size limit.
"""

from __future__ import annotations

# Each pattern starts with a literal of at least 3 characters (or is a whole
# short word) so it can be indexed by the first 3 letters of a word: only the
# few patterns that can start at a word are tried there. Patterns must end at
# a word end. The longest match at a word wins, so "people-management
# experience" is one leadership cue and not an experience cue as well.

# "... questions about our roadmap": the topic asked about belongs to the cue.
ABOUT_WHAT = r"(?: (?:about|on|for)(?: (?:our|the|their|your|how|what))*(?: [\w-]+)?)?"

# Theme cues: theme -> {"~": neutral, "+": praise, "-": gap, "weak": neutral
# cues dropped when a segment also names another theme}.
THEME_CUES: dict[str, dict[str, list[str]]] = {
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
            r"too green", r"job[- ]hopp(?:ing|er|ed)", r"changed jobs", r"hopped jobs",
            r"(?:more|less) (?:relevant |direct |hands-on |industry |domain |real[- ]world )?experience",
            r"too specialized", r"too narrow",
        ],
        "weak": [r"experienced?", r"background", r"profile", r"qualifications?",
                 r"junior(?: level)?", r"exp"],
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
            # "didn't think you knew enough JS": the sentiment around it gives the polarity.
            r"portfolios?", r"(?:work|writing|code|design) samples?", r"case work",
            r"(?:demo|sample|trial|teaching|model) lessons?", r"demos?", r"auditions?", r"frameworks?",
            r"solv(?:e|ed|ing)", r"assignments?",
            r"js", r"node(?:\.?js)?", r"golang", r"leetcode", r"fibonacci",
            r"(?:knew|know|knows|knowing) enough(?: about)?(?: [\w#+.-]+)?",
            r"(?:knowledge|understanding) of (?:[\w-]+ ){0,2}(?:concepts|fundamentals|basics)",
        ],
        "weak": [r"skills?(?: set)?", r"skillset", r"depth", r"knowledge"],
    },
    "communication": {
        "~": [
            r"communicat(?:e|es|ed|ing|ion|ions|or|ors)(?: skills| style)?", r"comms",
            r"articulat(?:e|ed|es|ing|ion)", r"conciseness", r"clarity",
            r"explain(?:s|ed|ing)? (?:[\w-]+ ){0,2}(?:concepts|ideas|things|trade-offs|decisions|approach)",
            r"explain(?:s|ed|ing)? (?:it|them|things) (?:simply|clearly)",
            r"listen(?:s|ed|ing|er)?", r"listening skills",
            r"written (?:communication|summary|answers|english)",
            r"presentation skills", r"storytelling", r"train of thought", r"structured thinker",
            r"(?:answers|responses) (?:were|was|are|weren't|wasn't)(?: \w+){0,2}"
            r" (?:clear|unclear|structured|concise|brief|short|long|too \w+)",
            r"communication (?:was|is) (?:clear|unclear)", r"plain language",
            r"(?:answers|responses) ran (?:long|on|over)",
            r"express(?:ed|es|ing)? (?:themselves|himself|herself|myself|yourself|ideas|thoughts)",
            r"answer(?:ed|ing|s)? (?:\w+ ){0,2}(?:clearly|concisely|directly)", r"word choice",
            r"(?:how|the way) (?:i|he|she|you|they) explained", r"spelling", r"grammar", r"slang",
            r"group (?:exercise|discussion|task|activity|interview)", r"talk(?:ed|ing)? through",
            r"spoke (?:very |too )?(?:fast|quickly|slowly)",
            r"talk(?:ed|s)? (?:too much|over people|over others|over the)", r"well[- ]spoken",
        ],
        "+": [r"concise", r"succinct", r"to the point", r"easy to follow", r"clear communicator",
              r"clear and concise", r"clear and well structured", r"well[- ]organised", r"well[- ]organized",
              r"explains? (?:ideas |things |it )?simply", r"crisp and easy to read"],
        "-": [r"rambl(?:e|ed|es|ing)", r"verbose", r"long[- ]winded", r"tangents?",
              r"hard to follow", r"difficult to follow", r"get to the point", r"went off on",
              r"waffl(?:e|ed|ing)", r"monolog(?:ue|ued)", r"inarticulate", r"unclear answers",
              r"(?:not|wasn't|weren't|isn't|was not|were not|is not) (?:very |quite |as |that )?\"?smooth(?: enough)?",
              r"(?:stop|stopped|stops) talking", r"(?:spelling|grammar|grammatical) (?:errors|mistakes)",
              r"typos?", r"interrupt(?:ed|ing|s)?", r"talk(?:ed|s|ing)? over", r"cut (?:\w+ )?off"],
    },
    "examples_results": {
        "~": [
            r"examples?", r"star (?:answers?|method|format|stories|structure|responses?)",
            r"stories", r"specific examples", r"concrete(?: examples)?",
            r"quantif(?:y|ied|ies|ying|iable)", r"metrics", r"numbers", r"impact",
            r"measurable(?: results| outcomes| impact)?", r"achievements?", r"evidence",
            r"results?(?! of)", r"outcomes?", r"(?:individual|own|personal) contributions?",
            r"contribution", r"(?:your|my|her|his|their) part", r"personally",
            r"(?:own|individual|specific) role(?: in)?",
            r"what (?:you|she|he|they|i) (?:personally )?(?:did|delivered|achieved|built|owned|contributed)"
            r"(?: (?:herself|himself|yourself|themselves|myself))?",
            r"real situations", r"back(?:ed)? (?:\w+ ){0,2}(?:with|by) (?:data|numbers|metrics)",
            r"the team did", r"walk (?:\w+ ){0,2}through the decisions",
            r"behaviou?ral(?: questions?| rounds?| interviews?| part)?",
            r"(?:enough|more|lack of|no|little|in) detail", r"undersold (?:myself|himself|herself|themselves|yourself)",
            r"textbook(?:[- ]perfect)? answers", r"rehearsed", r"accomplishments?",
            r"answer(?:ed)? the questions? properly", r"(?:'we'|we) (?:answers|instead of|rather than)",
        ],
        "-": [r"high[- ]level", r"hypothetical", r"kept saying 'we'", r"said 'we'"],
    },
    "preparation": {
        "~": [
            r"prepar(?:e|ed|ing|ation|edness)", r"homework",
            r"knowledge of (?:our|the|their|your)(?: [\w-]+)?",
            r"knew (?:our|their|the company|about)(?: [\w-]+)?",
            r"know (?:much |little |what |anything )?(?:about )?"
            r"(?:our|their|the company|what the company)(?: [\w-]+)?",
            r"know (?:who|what|how) (?:our|their|the company)(?: [\w-]+)?",
            r"read (?:our|their|the)(?: [\w-]+)?",
            r"mock[- ]ups?", r"business model",
            r"(?:our|their|the|the company's|company) website", r"beforehand", r"read up on",
            r"know(?:s|ing)? (?:anything |much |little |nothing |enough )?about"
            r" (?:us|them|the company|the role|the firm|the school|the organi[sz]ation)",
            r"idea (?:what|who|about) (?:the |our |their |your )?(?:company|firm|business"
            r"|organi[sz]ation|role|job|product|team)s?(?: [\w-]+)?",
            r"what (?:the|our|their) (?:company|firm|business|organi[sz]ation) (?:does|did|do)",
        ],
        "+": [r"well[- ]prepared", r"did (?:your|their|his|her|my) homework",
              r"done (?:your|their|his|her|my) homework",
              r"well[- ]researched", r"did (?:your|their) research", r"done (?:your|their) research"],
        # "experience running research with clinicians" is not about preparing.
        "weak": [r"research(?:ed|ing)?"],
        "-": [r"unprepared", r"under[- ]?prepared", r"ill[- ]prepared", r"not prepared"],
    },
    "culture_fit": {
        "~": [
            r"cultur(?:e|al|ally)(?: fit| add)?", r"(?:team|cultural|culture) fit", r"fit in",
            r"fit (?:with|into) the team", r"fit right in", r"values",
            r"working style", r"work(?:ing)? style", r"way of working", r"ways of working",
            r"how we work", r"collaborative(?: approach| culture| team| way)?(?! exercise)",
            r"team player", r"mesh", r"environment", r"attitude", r"personality",
            r"self[- ]awareness", r"superiority complex", r"entitle(?:d|ment)", r"see eye to eye",
            r"baggage", r"overstat(?:ed|ing)", r"(?:lied|lying) (?:about|on)", r"dishonest(?:y)?",
            r"(?:speaking|spoke|talking|talked|speak) (?:\w+ ){0,2}negatively",
            r"bad[- ]?mouth(?:ed|ing|s)?", r"negative about", r"sense of humou?r", r"likeable", r"likable",
            r"cold fish", r"out of the box", r"rant(?:ed|ing)? about", r"belittl(?:e|ed|ing)",
            r"solo (?:developer|worker|player)", r"lone wolf", r"(?:would|will)(?: not|n't) (?:survive|thrive|last)",
            r"fits? how we work", r"working alone", r"team dynamics?",
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
            r"strategic(?:ally)?(?: thinking| thinker)?", r"strategy (?:skills|experience|work)",
            r"sets? (?:the )?direction", r"influenc(?:e|ed|ing)", r"drive (?:alignment|the|change)",
            r"cross[- ]functional(?: [\w-]+)?", r"executor", r"big(?:ger)? picture", r"vision",
            r"run (?:a|the) team", r"ran (?:a|the) team", r"team of \d+", r"managed teams",
            r"delegat(?:e|ion|ing)", r"decision[- ]making", r"accountability",
            r"influencing without authority", r"leading through ambiguity",
            r"(?:project|program|programme) management", r"entrepreneurial", r"worker[- ]bee",
            r"manager(?:ial)? (?:experience|skills|role|track|potential)", r"managerial",
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
            r"want this job", r"commitment to", r"mission", r"engaged",
        ],
        "+": [r"infectious", r"genuinely excited", r"enthusiastic", r"passionate", r"eager",
              r"keen", r"excited", r"motivated", r"curious", r"energetic"],
        "-": [r"disengaged", r"lukewarm", r"apath(?:y|etic)", r"uninterested", r"bored",
              r"disinterest(?:ed)?", r"unenthusiastic", r"unmotivated", r"half[- ]hearted",
              r"lack of interest", r"(?:too|overly|over|very over) (?:enthusiastic|eager|keen|excited)",
              r"over[- ]?(?:enthusiastic|eager|excited|keen)", r"over the top",
              r"backup option", r"low energy", r"indifferent", r"desperate", r"more interested in"],
    },
    "compensation_logistics": {
        "~": [
            r"salar(?:y|ies)(?: expectations?| range| ask| band| requirements)?", r"comp(?: expectations)?",
            r"compensation(?: expectations)?", r"pay", r"pay range", r"band",
            r"(?:day|daily|hourly) rate", r"rate expectations", r"expensive", r"location",
            r"relocat(?:e|ed|ing|ion)", r"remote(?:ly)?",
            r"hybrid(?: setup)?", r"on-site", r"on site", r"in the office", r"office \w+ days",
            r"commute", r"travel(?: requirements?| required)", r"notice period", r"start date",
            r"start (?:in|right|immediately|on|by)", r"availab(?:le|ility)", r"join in",
            r"night shifts?", r"shifts?", r"time ?zones?",
            r"(?:working|work|long|part-time|full-time|flexible|weekend|evening|unsocial) hours",
            r"hours (?:a|per) (?:week|day)", r"based in",
            r"days a week", r"contract type", r"visa timing",
            r"outside (?:our|the|their) range", r"within (?:our|the|their) range",
            r"ask was", r"wrong location",
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
            r"(?:chose|chosen|selected|hired|picked|proceed with|proceeding with|move forward with"
            r"|moving forward with|go with|going with|went with|gone with)"
            r" (?:a|an|another|the other|someone|other|one)(?: [\w-]+)?",
            r"the other (?:candidate|person|finalist)", r"lined up", r"no longer be filled",
            r"candidates? (?:whose|who|with) (?:[\w-]+ ){0,4}?(?:more closely|closer|better|best)(?: \w+)?",
            r"someone (?:whose|who) (?:[\w-]+ ){0,4}?(?:more closely|closer|better|best)(?: \w+)?",
            r"change in (?:business )?priorities",
            r"role (?:was|has been|got) (?:filled|cancelled|closed|withdrawn)",
            r"req (?:was|has been) closed", r"got the offer",
            r"found (?:someone|somebody|another|a better|a stronger|a more)(?: [\w-]+)?",
            r"open (?:recs?|reqs?|headcount|requisitions?)", r"requisitions?", r"no headcount",
            r"placed on hold", r"budget(?: cuts?| was cut| cut| got cut)?", r"no budget",
            r"no longer (?:hiring|recruiting|open|available|needed)",
            r"(?:someone|somebody|people|applicants?|candidates?|person) (?:with|who had|who has|that had"
            r"|who have) (?:more|stronger|better|deeper|broader|greater|a lot more|way more)", r"(?:role|position|job|opening|req) (?:was|got|has been|had been)"
            r" (?:pulled|eliminated|frozen|closed|put on hold|placed on hold)",
            r"(?:candidate|person|someone) who (?:got|received|accepted|was offered)(?: the)?"
            r" (?:offer|role|job|position)",
        ],
    },
    "questions_asked": {
        "~": [
            r"questions? (?:at the end|for (?:us|them|me|the \w+)|to ask|you asked|asked)",
            r"(?:good|great|thoughtful|insightful|smart|excellent|sharp|generic|follow[- ]up|clarifying"
            r"|few|zero|no|any|single|better|more|relevant|interesting|probing|intelligent|basic"
            r"|superficial) questions?" + ABOUT_WHAT,
            r"questions? about"
            r"(?: (?:our|the|their|your|how|what|on))*(?: [\w-]+)?",
            # "asked good questions", not "they asked me about my experience"
            r"ask(?:ed|s|ing)? (?:no|any|good|great|few|zero|some|smart|thoughtful|insightful"
            r"|intelligent|relevant|follow[- ]up|clarifying|the right|a few|any good|a single"
            r"|sharp|better|more|enough|many) questions?" + ABOUT_WHAT,
            r"any questions", r"questions were", r"(?:your|my|her|his|their) questions",
            r"i asked (?:about|if) (?:the )?(?:salary|pay|money|vacation|holidays?|benefits|perks"
            r"|flexible|overtime|hours|remote|working from home)",
            r"asked (?:if|whether) (?:i|he|she|they|you) had (?:any )?questions",
            r"(?:anything|something) (?:you'?d like )?to ask(?: us| me)?", r"prepared questions",
            r"ask(?:ed|ing)? (?:for )?(?:clarity|clarification|clarifying)", r"clarifying qs",
            r"(?:kept|keep) asking questions",
        ],
        "-": [r"no questions", r"zero questions", r"asked nothing", r"didn't ask anything"],
    },
    "presence": {
        "~": [
            r"confidence", r"presence", r"body language", r"eye contact", r"posture",
            r"appearance", r"attire", r"professionalism", r"demeanou?r", r"in the room",
            r"on camera", r"composure", r"poise", r"handled (?:\w+ ){0,3}pressure",
            r"dress(?:ed)?", r"punctuality", r"nerves", r"polish",
            r"shirts?", r"shoes", r"suit", r"jeans", r"clothes", r"clothing", r"outfit", r"wearing",
            r"wore", r"hair", r"(?:his|her|their|my) phone",
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
              r"hesitant", r"shaky", r"flustered", r"rattled", r"defensive",
              r"froze(?: up)?", r"freez(?:e|es|ing) up", r"frozen up", r"blank(?:ed)?(?: out)?",
              r"went blank", r"panick?(?:ed|ing)?", r"stammer(?:ed|ing)?", r"stutter(?:ed|ing)?",
              r"choked", r"sweating", r"awkward",
              r"(?:was|were|came|showed up|turned up|arrived|running|being|came in) (?:\w+ ){0,2}late",
              r"swear(?:ing|ed)?", r"rude(?:ly|ness)?", r"chewing gum"],
    },
    "qualifications": {
        "~": [
            r"degrees?", r"bachelor'?s?(?: degree)?", r"master'?s?(?: degree)?", r"mba", r"phd",
            r"doctorate", r"diploma", r"certifi(?:cation|cations|cate|cates|ed)", r"certs?",
            r"licen[cs]e(?:d|s)?", r"charter(?:ed)?", r"cpa", r"cfa", r"pmp", r"acca", r"cdl",
            r"(?:formal|academic|professional|required|necessary|minimum) qualifications?",
            r"accredit(?:ed|ation)", r"background checks?", r"criminal record", r"drug (?:test|screen)s?", r"registration", r"registered",
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
            # "my English was not good enough", "GPA was too low": the words after give polarity.
            r"(?:my|his|her|their|your) (?:english|french|german|spanish|dutch|japanese|mandarin"
            r"|portuguese|italian|arabic)",
            r"(?:english|french|german|spanish|dutch|japanese|mandarin|portuguese|italian|arabic)"
            r"(?: proficiency| fluency| language)?", r"criteria", r"language (?:level|barrier|requirement)s?",
            r"gpa", r"grades", r"(?:test|exam|sat|gre|gmat|ielts|toefl) scores?", r"transcripts?",
            r"ielts", r"toefl", r"a-levels?", r"a levels?", r"(?:first|2:1|2:2|third)(?:[- ]class)? degree",
        ],
    },
}

# Sentiment words: "+" praise, "-" gap. Negators flip the next sentiment
# within NEGATION_WINDOW words; comparatives ("more", "too") count as a gap
# and turn a following praise cue into a gap ("more concise").
SENTIMENT: dict[str, list[str]] = {
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
        # A stage or test got through ("passed the tech screens", "cleared the OA"); "passed
        # on" / "passed over" a candidate is a rejection, "passed me to" a hand-over.
        r"pass(?:ed|es|ing)?(?! (?:on|over|me|you|him|her|them|it|along)\b)", r"cleared",
        r"solved", r"satisfied",
        r"did (?:really |very |quite )?well", r"correct(?:ly)?",
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
CONTEXT = [
    r"requir(?:e|es|ed|ement|ements)", r"unfortunately", r"regrettably", r"sadly", r"afraid",
    r"seeking", r"want(?:ed|s)? someone", r"looking for (?:someone|a candidate|more|a)",
]
NEGATORS = [
    r"not", r"no", r"never", r"nothing", r"none", r"without", r"neither", r"nor", r"hardly",
    r"barely", r"zero", r"don't", r"didn't", r"doesn't", r"wasn't", r"weren't", r"isn't",
    r"aren't", r"haven't", r"hasn't", r"hadn't", r"wouldn't", r"won't", r"shouldn't",
    r"not (?:really|particularly|very|always|the most|that|entirely|fully|overly|all that)",
    r"no real", r"not a single", r"did not", r"do not", r"does not", r"was not", r"were not",
    r"has not", r"have not", r"had not", r"is not", r"are not",
    r"(?:didn't|did not|don't|do not|doesn't|does not|wouldn't|would not)"
    r" (?:think|believe|feel|say|see|sense|find|seem)",
]
COMPARATIVES = [
    r"more(?! than)", r"deeper", r"stronger", r"broader", r"greater", r"better", r"further",
    r"more of", r"a bit more", r"a little more", r"wider", r"extra", r"clearer",
]
# Words that look like cues but are not: eaten first so they cannot match.
SKIP = [
    r"(?:have |has |had )?decided (?:not )?to", r"we regret(?: to inform you)?",
    r"as well(?: as)?", r"hiring manager", r"(?:the|senior|our|their) leadership team", r"senior leadership", r"the manager", r"clearly", r"more than",
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

CONTRAST = (r"but|however|although|though|whereas|while|(?<=, )yet|(?<=; )yet|unfortunately|regrettably"
             r"|sadly|nevertheless|nonetheless|except|despite|even though|that said|on the other hand")

