"""The German (or any second-language) edition: gettext units per notebook, built notebooks, checks.

`units` reads and writes the `.po` files (instructor side, needs polib); `build` writes the
translated notebooks; `commands` is the `python -m teachkit translate` shell. Students never import
this package: what a running notebook needs is in `teachkit.strings`.
"""
