"""advisories: which restrictions are in force where your people are going.

The library API, stage by stage (docs/architecture.md draws the pipeline):

    rules = load_rules("rules")                              # load: files -> RuleSet
    when = read_when(on="2026-02-10", now=datetime.now())    # a question's time, checked
    answer = ask(rules, "Quetta", when, as_of=date.today())  # evaluate: -> Answer
    print(to_json(answer))

`Evaluator(rules)` keeps what it works out for the next question (hold one for many);
`evaluate_trip` answers a trip; `render_briefing` turns a trip into HTML or PDF bytes, through
stages each callable alone (`answer_trip`, `briefing_context`, `render_html`, `render_pdf`).
Every error a user can cause is an `AdvisoryError` (errors.py draws the tree).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from advisories.errors import (
    AdvisoryError,
    AmbiguousPlace,
    DocumentError,
    Location,
    OutputError,
    PlaceError,
    Problem,
    ProblemsError,
    QueryError,
    RuleError,
    UnknownPlace,
)

# Each public name and the module it lives in; imported on first use, so that importing
# `advisories` costs nothing and `advisory check` never pulls in the PDF stack.
_WHERE = {
    "load_rules": "advisories.load.tree",
    "load_trip": "advisories.load.documents",
    "load_organisation": "advisories.load.documents",
    "RuleSet": "advisories.compile.ruleset",
    "Evaluator": "advisories.evaluation.evaluator",
    "ask": "advisories.evaluation.evaluator",
    "evaluate": "advisories.evaluation.evaluator",
    "evaluate_trip": "advisories.evaluation.trips",
    "place_trip": "advisories.evaluation.trips",
    "TripAnswer": "advisories.evaluation.trips",
    "LegAnswer": "advisories.evaluation.trips",
    "When": "advisories.evaluation.query",
    "Instant": "advisories.evaluation.query",
    "Days": "advisories.evaluation.query",
    "read_when": "advisories.evaluation.query",
    "read_days": "advisories.evaluation.query",
    "instant_query": "advisories.evaluation.query",
    "days_query": "advisories.evaluation.query",
    "Answer": "advisories.evaluation.answer",
    "RestrictionOut": "advisories.evaluation.answer",
    "Change": "advisories.evaluation.answer",
    "ContextOut": "advisories.evaluation.answer",
    "QuerySpan": "advisories.evaluation.answer",
    "to_json": "advisories.evaluation.answer",
    "Region": "advisories.model.regions",
    "Trip": "advisories.model.documents",
    "Leg": "advisories.model.documents",
    "Organisation": "advisories.model.documents",
    "Logo": "advisories.model.documents",
    "BriefingOptions": "advisories.briefing",
    "RenderedBriefing": "advisories.briefing",
    "briefing_options": "advisories.briefing",
    "answer_trip": "advisories.briefing",
    "briefing_context": "advisories.briefing",
    "render_briefing": "advisories.briefing",
    "render_html": "advisories.render.html",
    "render_pdf": "advisories.render.pdf",
}

__all__ = [
    "AdvisoryError",
    "AmbiguousPlace",
    "Answer",
    "BriefingOptions",
    "Change",
    "ContextOut",
    "Days",
    "DocumentError",
    "Evaluator",
    "Instant",
    "Leg",
    "LegAnswer",
    "Location",
    "Logo",
    "Organisation",
    "OutputError",
    "PlaceError",
    "Problem",
    "ProblemsError",
    "QueryError",
    "QuerySpan",
    "Region",
    "RenderedBriefing",
    "RestrictionOut",
    "RuleError",
    "RuleSet",
    "Trip",
    "TripAnswer",
    "UnknownPlace",
    "When",
    "answer_trip",
    "ask",
    "briefing_context",
    "briefing_options",
    "days_query",
    "evaluate",
    "evaluate_trip",
    "instant_query",
    "load_organisation",
    "load_rules",
    "load_trip",
    "place_trip",
    "read_days",
    "read_when",
    "render_briefing",
    "render_html",
    "render_pdf",
    "to_json",
]

if TYPE_CHECKING:
    from advisories.briefing import (
        BriefingOptions,
        RenderedBriefing,
        answer_trip,
        briefing_context,
        briefing_options,
        render_briefing,
    )
    from advisories.compile.ruleset import RuleSet
    from advisories.evaluation.answer import (
        Answer,
        Change,
        ContextOut,
        QuerySpan,
        RestrictionOut,
        to_json,
    )
    from advisories.evaluation.evaluator import Evaluator, ask, evaluate
    from advisories.evaluation.query import (
        Days,
        Instant,
        When,
        days_query,
        instant_query,
        read_days,
        read_when,
    )
    from advisories.evaluation.trips import LegAnswer, TripAnswer, evaluate_trip, place_trip
    from advisories.load.documents import load_organisation, load_trip
    from advisories.load.tree import load_rules
    from advisories.model.documents import Leg, Logo, Organisation, Trip
    from advisories.model.regions import Region
    from advisories.render.html import render_html
    from advisories.render.pdf import render_pdf


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'advisories' has no attribute {name!r}")
    return getattr(import_module(module), name)
