"""The quality gate: Great Expectations suites and checkpoints (files in expectations/),
run on each feed's deliveries and on the published marts, with an offline report.

Nothing here imports great_expectations at module level: it costs seconds, so only
the functions that validate import it (footprint.quality.validation).
"""
