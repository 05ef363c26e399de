"""The discourse state the linker keeps while it walks an article, and what a figure reads as."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Cue


@dataclass
class Held:
    """A value the discourse state holds, with the cue that set it."""

    value: object
    cue: Cue
    only_here: bool = False  # "In the third quarter alone": set for its paragraph, not beyond


@dataclass
class DiscourseState:
    """What the article has established so far: read by later sentences, shown in the audit."""

    main: Held | None = None  # the economy the article is about
    entity: Held | None = None  # the economy last talked about
    by_type: dict[str, Held] = field(default_factory=dict)  # last economy of each type talked about
    named_by_type: dict[str, Held] = field(default_factory=dict)  # last economy of each type named at all
    partner: Held | None = None  # the partner (or list of partners) last named ("the Asian neighbor", "the two")
    partner_by_type: dict[str, Held] = field(default_factory=dict)  # last partner of each type ("the country")
    last_named: Held | None = None  # the economy named last, whatever its role
    recent_partners: list[str] = field(default_factory=list)  # partners in the order last named
    measured: Held | None = None  # the partner of the last figure, carried with its flow
    measured_paragraph: int = -1
    period: Held | None = None  # the period last set
    month: Held | None = None  # the single month last set ("for the month")
    main_period: Held | None = None  # the first period the article set: what it reports on
    paragraph: int = 0  # the paragraph of the sentence being read
    flow: Held | None = None  # flow/indicator of the previous sentence
    indicator: Held | None = None
    currency: dict[str, Held] = field(default_factory=dict)  # bare symbol -> the currency last spelled out for it


@dataclass
class Reading:
    """What the words around a number say about it, before any discourse is consulted."""

    measure: str
    unit: str
    value: float
    sign: int
    qualifier: str
    cues: list[Cue]
    counted_economies: str = ""  # "the number of trillion-yuan provinces": the indicator it names

