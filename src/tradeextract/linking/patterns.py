"""The word patterns the linker reads around a figure (compiled once)."""
from __future__ import annotations

import re



_CALENDAR_AFTER = re.compile(
    r"^(?:st|nd|rd|th)?\s*(?:consecutive|straight|successive|running|in a row|(?:working\s+)?days?\b|weeks?\b|"
    r"months?\b|years?\b|quarters?\b|hours?\b|-year|-month|-day|times in a row)", re.IGNORECASE)

_BASE_BEFORE = re.compile(r"\b(?:from|compared\s+with|compared\s+to|against|versus|vs\.?|(?<!more )(?<!less )(?<!fewer )(?<!rather )(?<!other )than|up\s+from|down\s+from|beating|eclipsed|previous\s+record\s+of)\s+(?:(?:a|an|the)\s+)?(?:[a-z]+\s+)?(?:(?:surplus|deficit|total|level|figure|gain|rise|increase|decline|drop)\s+of\s+)?(?-i:[^\d\sa-z]{0,4})\s?$", re.IGNORECASE)

# What may stand between a figure and the period it belongs to ("US$5.74 billion set in October 2021")
_ATTACH_GAP = re.compile(r"\s*(?:(?-i:[a-z-]+)\s+){0,2}?(?:gain|rise|increase|decline|drop|growth|surplus|deficit)?\s*(?:(?:which\s+was\s+|that\s+was\s+)?(?:recorded|registered|reported|seen|set|posted|booked|logged|reached)\s+)?(?:in|for|of|during|a|as\s+of)?\s*", re.IGNORECASE)

_POSSESSIVE_PERIOD = re.compile(r"^(?:'s|’s)\s+(?:[a-z]+\s+){0,3}?(?:of\s+)?[^\d\s]{0,4}\s?$", re.IGNORECASE)

_CHANGE_AMOUNT_BEFORE = re.compile(
    r"(?:\bby|\b(?:increase|decrease|rise|fall|drop|decline|gain|jump|growth|reduction|contraction|expansion|widening|narrowing),?\s+of)\s+(?:(?:about|nearly|some|around|over|more than|almost|roughly|just over|just under)\s+)?[^\d\s]{0,4}\s?$",
    re.IGNORECASE)

_MULTIPLE_AFTER = re.compile(r"^,?\s*more\s+than\s+(?:double|triple|twice|half|treble)", re.IGNORECASE)

_OR_AFTER_CHANGE = re.compile(r"\d\s?(?:%|percent|per\s+cent|pct)\s*,?\s*or\s+(?-i:[^\d\sa-z]{0,4})\s?$", re.IGNORECASE)

# "$48 billion more than in 2019", "$24.3 billion, or 22.8%, smaller than": an amount of change. After a
# comma, "above"/"below" compare a level with something else ("300.6 billion dollars, below the forecast").
_CHANGE_AMOUNT_AFTER = re.compile(
    r"^(?:,?\s*or\s+[\d.,]+\s*(?:%|percent|per\s+cent|pct),?)?"
    r"(?:,?\s*(?P<dir>more|less|higher|lower|fewer)\b(?:\s+than)?|\s*(?P<dir_at>above|below)\b(?:\s+than)?"
    r"|,?\s*(?P<dir2>smaller|larger|bigger|wider|narrower|greater)\s+than\b)",
    re.IGNORECASE)

_SHARE_AFTER = re.compile(r"^\s*(?:of|in)\s+(?:the\s+)?(?P<whole>[^,.;()]{2,60}?)(?=[,.;()]|\s+(?:in|and|while|for|from|as|making|with|to)\b|$)", re.IGNORECASE)

_TO_BEFORE = re.compile(r"\b(?:to|at|reaching|reached|was|were|stood at|hit)\s+(?:(?:about|nearly|some|around|over|more than|almost|roughly)\s+)?$", re.IGNORECASE)

_RANK_BEFORE = re.compile(r"\b(?:ranking|ranked|ranks|rank|came|placed|placing|remained|remains|was|is|putting\s+(?:\w+\s+){1,3}?|maintains?\s+(?:its|their)|to)\s+(?:(?:the|its|their)\s+)?$", re.IGNORECASE)

_RANK_AFTER = re.compile(r"^(?:\s*(?:and|to)\s+\w+)?\s*(?:-(?:largest|biggest|leading)\b(?!\s+economy)|nationwide|in the (?:country|nation|world|province)|place|position|positions|among|largest|biggest|-largest|-biggest|with\b|,? with)", re.IGNORECASE)

# "the second-largest in the series after 2021", "the third-highest on record": a rank among periods, no fact
_NOT_RANK_AFTER = re.compile(r"^(?:-?\s*(?:largest|biggest|smallest|highest|lowest|widest|narrowest)\s+(?:[a-z]+\s+){0,2}?(?:in\s+the\s+(?:series|data|records?)|on\s+record|in\s+history|ever|since)\b)|^\s*(?:time|half|quarter|quarters|month|months|year|years|shift|transition|consecutive|straight|successive|-highest|-lowest|highest|lowest|in a row|province|city|country|one|ten|10|days|week)", re.IGNORECASE)

_NUMBER_OF = re.compile(r"\bnumber of\s+(?P<what>(?:[\"“”'\w-]+\s+){0,4}?)(?P<noun>[A-Za-z-]+s)\b[^.;]*?\b(?:to|at|reached|reaching|was|of|exceeding|exceeded|topping|topped|surpassing|hit|hitting|totaling|totalling|totalled|totaled)\s+(?:(?:more than|over|about|nearly|some|around)\s+)?$", re.IGNORECASE)

# "Of the 21 prefecture-level cities in the province, 16 achieved ...", "Among the 16 cities of the province,
# 12 cities ..." / "Fourteen of the province's 16 cities"
_OF_THE_BEFORE = re.compile(r"\b(?:Of|Among) the (?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|twenty|thirty) (?P<what>(?:[\w-]+ ){0,3}?)(?P<noun>[A-Za-z-]+s)\b[^,.;]*,\s*$", re.IGNORECASE)

_OF_THE_AFTER = re.compile(r"^\s+of\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}?(?<!top\s)(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty)\s+(?P<what>(?:[\w-]+\s+){0,2}?)(?P<noun>[A-Za-z-]+s)\b", re.IGNORECASE)

# "42.1 million laptops": a scaled number of a thing
_SCALED_NOUN_AFTER = re.compile(r"^\s+(?:[a-z-]+\s+)?(?P<noun>[a-z][a-z-]+s)\b")

_COUNT_NOUN_AFTER = re.compile(r"^\s+(?:[A-Za-z-]+\s+){0,3}?(?P<noun>{nouns})\b", re.IGNORECASE)

_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)



_PARTNER_AFTER = re.compile(r"\s*(?:worth\s+)?(?:of\s+\w+\s+)?(?:went|go|goes|going|was\s+shipped|were\s+shipped|shipped|sent|exported|headed|bound)?\s*(?:to|from|with)\s+(?:the\s+)?", re.IGNORECASE)

_CHAINED_WHOLE = re.compile(r"^(?:\s*(?:,|and|,\s*and)\s*[\d.,]+\s*(?:%|percent|per\s+cent|pct))+\s*(?:of|in)\s+(?:the\s+)?", re.IGNORECASE)

_TRANSACTION_VERBS = {"bought", "buys", "bought up", "purchased", "sold", "sells", "took", "takes", "absorbed",
                      "shipped", "sent", "supplied"}

_CLAUSE_BREAK = re.compile(r";|,\s*(?:while|whereas|but)\b|\bwhile\b|\bwhereas\b", re.IGNORECASE)

_RANGE_TO = re.compile(r"^\s*(?:to|-|–|through)\s*$")

_MONTH_ON_MONTH = re.compile(
    r"\bmonth-on-month\b|\bon the month\b|\bm-o-m\b|\bfrom the (?:previous|prior) month\b|\bfrom (?-i:January|February|March|April|May|June|July|August|September|October|November|December)\b(?!\s+\d)(?!\s*(?:to|through|-|–|and)\b)",
    re.IGNORECASE)

_LIST_JOIN = re.compile(r"^\s*(?:,|\band\b|,\s*and\b|&|\bor\b)\s*(?:the\s+)?(?:[\w-]+-member\s+)?$", re.IGNORECASE)

