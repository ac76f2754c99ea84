"""Write ``docs/api.md`` from the package's public API (``python docs/gen_api.py``); a test
keeps the page equal to what this writes."""

from __future__ import annotations

from pathlib import Path

GROUPS = [
    ("Loading and validating 读取与检查", ["read_dataset", "from_frames", "validate", "reconcile",
                                     "write_reconcile", "load_example", "list_examples",
                                     "example_path", "CoBuildingNetwork", "write_template"]),
    ("Coverage 两个覆盖", ["coverage_gaps", "coverage_rates", "CoverageRules", "member_view",
                       "count_discrepancies", "plan_instructors", "plan_joint_branches",
                       "Plan"]),
    ("Ties and walls 横向联系与围墙内", ["actors", "Actors", "horizontal_ties", "walled_in_units",
                                "actor_statuses", "participation_rates", "hub_dependence",
                                "service_reciprocity"]),
    ("Linkage 领域联系", ["domain_linkage", "DomainLinkage", "brokers", "brokerage_roles"]),
    ("Councils, bodies, projects, posts 大党委、共同体、项目与职务",
     ["council_representation", "body_assessment", "body_meetings", "project_pipeline",
      "posts", "post_summary"]),
    ("Needs and resources 需求与资源", ["suggest_matches", "MatchResult", "MatchWeights",
                                  "match_wishes", "suggest_partners", "optimal_assignment",
                                  "needs_progress", "resource_totals", "venue_area"]),
    ("The assessment 评估", ["assess", "Assessment", "ANALYSES"]),
    ("A province 全省(市)汇总", ["assess_province", "ProvinceAssessment", "find_districts"]),
    ("Change over time 前后对比", ["compare", "Comparison", "trend"]),
    ("Pictures 图", ["network_view", "NetworkView", "to_pyvis", "plot_coverage",
                    "plot_linkage", "plot_ei", "plot_crossings", "plot_pipeline", "plot_map",
                    "plot_trend",
                    "cjk_font"]),
    ("Writing and exporting 输出", ["write_dataset", "write_xlsx", "write_parquet",
                                "write_graph", "actor_graph", "localise"]),
    ("Settings and errors 设置与异常", ["config", "Settings", "Result", "PartygraphError",
                                  "DataValidationError", "MissingTableError", "UsageError",
                                  "InvalidArgumentError", "OutputPathError",
                                  "PartygraphWarning"]),
]


def text() -> str:
    from partygraph import _EXPORTS

    listed = [n for _, names in GROUPS for n in names]
    missing = sorted(set(_EXPORTS) - set(listed))
    if missing:
        raise SystemExit(f"not in docs/gen_api.py's groups: {missing}")
    lines = ["# API reference", "",
             "Every public name of `partygraph` (`import partygraph as pg`), from its "
             "docstring.", ""]
    for title, names in GROUPS:
        lines += [f"## {title}", ""]
        for n in names:
            lines += [f"::: partygraph.{_EXPORTS[n]}.{n}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    Path(__file__).with_name("api.md").write_text(text(), encoding="utf-8")
