"""Grading submissions: each notebook in its own limited kernel, official tests restored, results
in a gradebook and one feedback file per student."""
