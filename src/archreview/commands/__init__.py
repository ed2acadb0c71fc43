"""One module per subcommand; registered in ``archreview.cli.COMMANDS``."""
