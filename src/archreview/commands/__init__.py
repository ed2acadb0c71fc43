"""One module per subcommand; registered in ``archreview.cli.COMMANDS``."""

# The gate's levels for --fail-on, spelled out here so that loading the
# command line does not load the scan machinery (archreview.gate.GATE_LEVELS;
# a test keeps the two equal).
FAIL_ON_LEVELS = ("critical", "high", "medium", "low", "info", "none")
