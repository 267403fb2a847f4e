"""Authoring exercise sets: one solution notebook is the source of exercise, tests and rubric.

`exercise_set` reads a solution notebook (nbgrader v3 cell metadata), `build` writes the student
copy, `audit` looks for leaks in what students get, `validate` proves the tests are strong.
"""
