"""partygraph: graph analytics for urban grassroots Party co-building networks (区域化党建).

Load a data set (``read_dataset``, ``from_frames``, ``load_example``), and analyse the
resulting :class:`CoBuildingNetwork`. Importing the package is quick: submodules load on
first use. It has one side effect, and only when it comes before pyarrow (so before pandas,
which loads pyarrow) and the variable is not set already: it sets ``MIMALLOC_ALLOW_THP=0``.
Arrow's allocator then turns off Linux's transparent huge pages for the whole process (NumPy's
arrays too), and the processes it starts inherit the variable; set it to ``1`` to keep them
(``docs/scale.md``, *Memory the system hands out*).

Examples
--------
>>> import partygraph as pg
>>> net = pg.load_example("demo")
>>> isinstance(net, pg.CoBuildingNetwork)
True
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING

if "pyarrow" not in sys.modules:
    # Arrow's allocator (mimalloc) asks Linux for transparent huge pages: every page it
    # touches first is then 2 MB, zeroed whole. Loading a data set touches much memory once:
    # the system time of reading a million members fell from 1.1-1.5 s to 0.5 s without
    # them (issue 18). At 0, mimalloc turns them off for the process (PR_SET_THP_DISABLE).
    # Read once, when pyarrow loads; a value the user set is kept.
    os.environ.setdefault("MIMALLOC_ALLOW_THP", "0")

__version__ = "0.1.0"

_EXPORTS = {
    "CoBuildingNetwork": "network",
    "DataValidationError": "errors",
    "MissingTableError": "errors",
    "PartygraphError": "errors",
    "InvalidArgumentError": "errors",
    "OutputPathError": "errors",
    "UsageError": "errors",
    "localise": "labels",
    "Result": "results",
    "ANALYSES": "registry",
    "Settings": "settings",
    "config": "settings",
    "CoverageRules": "coverage",
    "coverage_gaps": "coverage",
    "coverage_rates": "coverage",
    "member_view": "coverage",
    "count_discrepancies": "coverage",
    "Actors": "ties",
    "actors": "ties",
    "horizontal_ties": "ties",
    "walled_in_units": "walls",
    "actor_statuses": "walls",
    "participation_rates": "walls",
    "hub_dependence": "walls",
    "service_reciprocity": "walls",
    "DomainLinkage": "linkage",
    "domain_linkage": "linkage",
    "brokers": "linkage",
    "brokerage_roles": "linkage",
    "council_representation": "bodies",
    "body_assessment": "bodies",
    "body_meetings": "bodies",
    "compare": "change",
    "Comparison": "change",
    "trend": "change",
    "needs_progress": "needs",
    "posts": "staffing",
    "post_summary": "staffing",
    "resource_totals": "measures",
    "venue_area": "measures",
    "project_pipeline": "projects",
    "MatchResult": "matching",
    "MatchWeights": "matching",
    "match_wishes": "wishes",
    "optimal_assignment": "_assignment",
    "suggest_matches": "matching",
    "suggest_partners": "partners",
    "Plan": "planning",
    "plan_instructors": "planning",
    "plan_joint_branches": "planning",
    "example_path": "dataset",
    "from_frames": "dataset",
    "list_examples": "dataset",
    "load_example": "dataset",
    "read_dataset": "dataset",
    "validate": "dataset",
    "reconcile": "dataset",
    "write_reconcile": "dataset",
    "write_dataset": "writing",
    "write_xlsx": "writing",
    "write_template": "template",
    "PartygraphWarning": "errors",
    "Assessment": "assessment",
    "assess": "assessment",
    "assess_province": "province",
    "ProvinceAssessment": "province",
    "find_districts": "districts",
    "NetworkView": "interactive",
    "network_view": "interactive",
    "to_pyvis": "interactive",
    "actor_graph": "export",
    "write_graph": "export",
    "write_parquet": "export",
    "cjk_font": "figures",
    "plot_coverage": "figures",
    "plot_crossings": "figures",
    "plot_ei": "figures",
    "plot_linkage": "figures",
    "plot_map": "figures",
    "plot_trend": "figures",
    "plot_pipeline": "figures",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # pragma: no cover
    from ._assignment import optimal_assignment
    from .assessment import Assessment, assess
    from .bodies import body_assessment, body_meetings, council_representation
    from .change import Comparison, compare, trend
    from .coverage import (
        CoverageRules,
        count_discrepancies,
        coverage_gaps,
        coverage_rates,
        member_view,
    )
    from .dataset import (
        example_path,
        from_frames,
        list_examples,
        load_example,
        read_dataset,
        reconcile,
        validate,
        write_reconcile,
    )
    from .districts import find_districts
    from .errors import (
        DataValidationError,
        InvalidArgumentError,
        MissingTableError,
        OutputPathError,
        PartygraphError,
        PartygraphWarning,
        UsageError,
    )
    from .export import actor_graph, write_graph, write_parquet
    from .figures import (
        cjk_font,
        plot_coverage,
        plot_crossings,
        plot_ei,
        plot_linkage,
        plot_map,
        plot_pipeline,
        plot_trend,
    )
    from .interactive import NetworkView, network_view, to_pyvis
    from .labels import localise
    from .linkage import DomainLinkage, brokerage_roles, brokers, domain_linkage
    from .matching import MatchResult, MatchWeights, suggest_matches
    from .measures import resource_totals, venue_area
    from .needs import needs_progress
    from .network import CoBuildingNetwork
    from .partners import suggest_partners
    from .planning import Plan, plan_instructors, plan_joint_branches
    from .projects import project_pipeline
    from .province import ProvinceAssessment, assess_province
    from .registry import ANALYSES
    from .results import Result
    from .settings import Settings, config
    from .staffing import post_summary, posts
    from .template import write_template
    from .ties import Actors, actors, horizontal_ties
    from .walls import (
        actor_statuses,
        hub_dependence,
        participation_rates,
        service_reciprocity,
        walled_in_units,
    )
    from .wishes import match_wishes
    from .writing import write_dataset, write_xlsx


def __getattr__(name: str) -> object:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    if name in {"schema", "synthetic", "identifiers", "labels"}:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'partygraph' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
