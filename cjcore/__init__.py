"""cjcore: the devolution-spectrum model, with no user-interface code.

from cjcore import load_scenario, project
run = project(load_scenario("scenarios/greater-manchester.yaml"), draws=1000, seed=1)
"""

from cjcore.engine import Run, project, sweep
from cjcore.scenario_io import ScenarioError, dump_scenario, load_scenario, parse_scenario
from cjcore.schema import Scenario

__all__ = ["Run", "Scenario", "ScenarioError", "dump_scenario", "load_scenario", "parse_scenario", "project", "sweep"]
